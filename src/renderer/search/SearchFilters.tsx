import type { ConnectorType } from '../../shared/contract';
import { useCommand } from '../api/hooks';
import { CONNECTOR_TYPE_LABEL } from '../../shared/connector-labels';
import { ConnectorSelect } from '../ui/connector-select';

export interface FilterState {
  connectorId: string;
  sourceType: ConnectorType | '';
  modifiedFrom: string;
}

/** The contract's filters for what the selects hold (empty: no filter). */
export function toSearchFilters(state: FilterState) {
  return {
    ...(state.connectorId ? { connectorIds: [state.connectorId] } : {}),
    ...(state.sourceType ? { sourceTypes: [state.sourceType] } : {}),
    ...(state.modifiedFrom ? { modifiedFrom: new Date(state.modifiedFrom).getTime() } : {}),
  };
}

/** Source kind, connector and "changed since": the filters that also exist as operators (type:, in:, after:). */
export function SearchFilters(props: { value: FilterState; onChange(value: FilterState): void }) {
  const connectors = useCommand('listConnectors', {});
  const set = (patch: Partial<FilterState>) => props.onChange({ ...props.value, ...patch });
  return (
    <div className="filters" aria-label="Filters">
      <label>
        Source
        <select
          className="input"
          value={props.value.sourceType}
          onChange={(e) => set({ sourceType: e.target.value as ConnectorType | '' })}
          data-testid="filter-source-type"
        >
          <option value="">All kinds</option>
          {Object.entries(CONNECTOR_TYPE_LABEL).map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Connector
        <ConnectorSelect
          value={props.value.connectorId}
          onChange={(connectorId) => set({ connectorId })}
          connectors={connectors.data?.items}
          testId="filter-connector"
        />
      </label>
      <label>
        Changed since
        <input
          className="input"
          type="date"
          value={props.value.modifiedFrom}
          onChange={(e) => set({ modifiedFrom: e.target.value })}
          data-testid="filter-modified-from"
        />
      </label>
    </div>
  );
}
