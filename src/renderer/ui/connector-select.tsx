/** A choice of one connector, or all of them (value ''): the filter on History and Search. */
export function ConnectorSelect(props: {
  value: string;
  onChange: (connectorId: string) => void;
  connectors: readonly { id: string; name: string }[] | undefined;
  testId: string;
  ariaLabel?: string;
}) {
  return (
    <select
      className="input"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      aria-label={props.ariaLabel}
      data-testid={props.testId}
    >
      <option value="">All connectors</option>
      {props.connectors?.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
