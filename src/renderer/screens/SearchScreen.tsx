import { useEffect, useState } from 'react';
import type { CommandOutput, ConnectorType, Screen, SearchMode, SnippetSegment } from '../../shared/contract';
import { useApi, useCommand } from '../api/hooks';
import { EmptyState, ErrorBanner, PageHeader } from '../ui/components';
import { SemanticSetup, useSearchModes } from './search-modes';
import { CONNECTOR_TYPE_LABEL } from '../ui/format';
import { chunkLocation, sourceLine } from '../search/result-labels';
import { openSource } from '../open-source';

type SearchOutput = CommandOutput<'search'>;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

const MODE_LABEL: Record<SearchMode, string> = { hybrid: 'Hybrid', keyword: 'Keyword', semantic: 'Semantic' };

/** What to try when nothing matched: only modes that are not the one that ran and can run now. */
function noResultsHint(ran: SearchMode, canRun: (mode: SearchMode) => boolean): string {
  // Hybrid already searched by meaning and by keyword: another mode would find nothing more.
  const modes =
    ran === 'hybrid' ? [] : (['hybrid', 'semantic', 'keyword'] as const).filter((m) => m !== ran && canRun(m));
  const switchTo =
    modes.length > 0 ? `, switch to ${modes.map((m) => MODE_LABEL[m].toLowerCase()).join(' or ')} mode` : '';
  return `Try other words${switchTo}, or clear the filters.`;
}

const MODES: Array<{ id: SearchMode; label: string; hint: string }> = [
  { id: 'hybrid', label: 'Hybrid', hint: 'Meaning and keywords together' },
  { id: 'keyword', label: 'Keyword', hint: 'Exact words (works offline before any model)' },
  { id: 'semantic', label: 'Semantic', hint: 'By meaning only' },
];

export function SearchScreen(props: { notify: (message: string) => void; onNavigate: (screen: Screen) => void }) {
  const api = useApi();
  const [query, setQuery] = useState(() => sessionStorage.getItem('trove.lastQuery') ?? '');
  // The chosen mode is kept (across screens and reloads); `mode` is the one that can run now.
  const { status, chosen, setChosen, mode, canRun } = useSearchModes();
  const [connectorIds, setConnectorIds] = useState<string[]>([]);
  const [sourceType, setSourceType] = useState<ConnectorType | ''>('');
  const [modifiedFrom, setModifiedFrom] = useState('');
  const [more, setMore] = useState<SearchOutput['groups']>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const debounced = useDebounced(query.trim(), 180);
  const connectors = useCommand('listConnectors', {});

  useEffect(() => {
    sessionStorage.setItem('trove.lastQuery', query);
  }, [query]);

  const filters = {
    ...(connectorIds.length > 0 ? { connectorIds } : {}),
    ...(sourceType ? { sourceTypes: [sourceType] } : {}),
    ...(modifiedFrom ? { modifiedFrom: new Date(modifiedFrom).getTime() } : {}),
  };
  const results = useCommand(
    'search',
    { query: debounced || ' ', mode, filters, limit: 20 },
    { enabled: debounced.length > 0 },
  );

  useEffect(() => {
    setMore([]);
    setNextCursor(results.data?.nextCursor ?? null);
  }, [results.data]);

  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await api.call('search', { query: debounced, mode, filters, limit: 20, cursor: nextCursor });
    if (page.ok) {
      setMore((m) => [...m, ...page.value.groups]);
      setNextCursor(page.value.nextCursor);
    }
  };

  const open = async (sourceUrl: string | null) => {
    const message = await openSource(api, sourceUrl);
    if (message) props.notify(message);
  };

  const data = debounced ? results.data : null;
  const groups = data ? [...data.groups, ...more] : [];

  return (
    <div className="screen">
      <PageHeader title="Search" subtitle="Everything you have connected, by meaning and by keyword." />
      <div className="search-bar">
        <input
          id="search-input"
          className="input input-large"
          type="search"
          placeholder="Search your documents…  (press / or Ctrl+K)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoFocus
          aria-label="Search query"
          data-testid="search-input"
        />
        <div className="segmented" role="radiogroup" aria-label="Search mode">
          {MODES.map((m) => (
            <button
              key={m.id}
              type="button"
              role="radio"
              aria-checked={mode === m.id}
              className={`segment ${mode === m.id ? 'segment-active' : ''}`}
              title={canRun(m.id) ? m.hint : `${m.hint}: needs the embedding model (see below)`}
              disabled={!canRun(m.id)}
              onClick={() => setChosen(m.id)}
              data-testid={`mode-${m.id}`}
              data-chosen={chosen === m.id ? 'true' : 'false'}
            >
              {m.label}
            </button>
          ))}
        </div>
      </div>
      <div className="filters" aria-label="Filters">
        <label>
          Source
          <select
            className="input"
            value={sourceType}
            onChange={(e) => setSourceType(e.target.value as ConnectorType | '')}
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
          <select
            className="input"
            value={connectorIds[0] ?? ''}
            onChange={(e) => setConnectorIds(e.target.value ? [e.target.value] : [])}
            data-testid="filter-connector"
          >
            <option value="">All connectors</option>
            {connectors.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Changed since
          <input
            className="input"
            type="date"
            value={modifiedFrom}
            onChange={(e) => setModifiedFrom(e.target.value)}
            data-testid="filter-modified-from"
          />
        </label>
      </div>

      <SemanticSetup status={status} chosen={chosen} />
      <ErrorBanner error={debounced ? results.error : null} />
      {/* The setup panel above already says why only keywords run; other notices still show. */}
      {data?.notice && (!status || status.semantic.state === 'ready') && (
        <div className="banner banner-info" data-testid="search-notice">
          {data.notice}
        </div>
      )}
      {data && (
        <div className="result-meta" data-testid="result-meta" data-mode={data.mode}>
          {groups.length === 0
            ? 'No matches'
            : `${groups.length}${nextCursor ? '+' : ''} document${groups.length === 1 ? '' : 's'}`}{' '}
          · {MODE_LABEL[data.mode]} search · {Math.round(data.tookMs)} ms
          {results.loading && <span className="spinner" aria-label="Searching" />}
        </div>
      )}

      {status && status.knownDocuments === 0 ? (
        <EmptyState
          title="Nothing indexed yet"
          testId="search-library-empty"
          action={
            <div className="row">
              <button type="button" className="btn btn-primary" onClick={() => props.onNavigate('connectors')}>
                Add a source
              </button>
              <button type="button" className="btn" onClick={() => props.onNavigate('import')}>
                Import files
              </button>
            </div>
          }
        >
          Search finds what Trove has indexed. Connect a folder, Google Drive or Notion, or drop files anywhere in this
          window.
        </EmptyState>
      ) : (
        <>
          {!debounced && (
            <EmptyState title="Type to search" testId="search-empty">
              Results appear as you type. Use quotes for exact phrases in keyword mode.
              {status && status.indexedDocuments < status.knownDocuments
                ? ` ${status.knownDocuments - status.indexedDocuments} documents are still being indexed or failed.`
                : ''}
            </EmptyState>
          )}
          {debounced && data && groups.length === 0 && (
            <EmptyState title={`Nothing matches “${debounced}”`} testId="search-no-results">
              {noResultsHint(data.mode, canRun)}
            </EmptyState>
          )}
        </>
      )}

      <ol className="results" data-testid="search-results">
        {groups.map((group) => (
          <li key={group.document.id} className="result card" data-testid="search-result">
            <div className="result-head">
              <button
                type="button"
                className="result-title link"
                onClick={() => void open(group.document.sourceUrl)}
                data-testid="open-source"
              >
                {group.document.title}
              </button>
              <span className="result-source">{sourceLine(group.document)}</span>
            </div>
            {group.chunks.map((chunk) => (
              <div key={chunk.chunkId} className="snippet">
                {chunkLocation(group.document, chunk) && (
                  <div className="snippet-path">{chunkLocation(group.document, chunk)}</div>
                )}
                <p>
                  <Snippet segments={chunk.snippet} />
                </p>
              </div>
            ))}
          </li>
        ))}
      </ol>
      {nextCursor && groups.length > 0 && (
        <button type="button" className="btn" onClick={() => void loadMore()} data-testid="load-more">
          More results
        </button>
      )}
    </div>
  );
}

function Snippet(props: { segments: SnippetSegment[] }) {
  return (
    <>
      {props.segments.map((segment, index) =>
        segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}
