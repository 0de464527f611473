import { useEffect, useState } from 'react';
import type { CommandOutput, ConnectorType, SearchMode, SnippetSegment } from '../../shared/contract';
import { useApi, useCommand } from '../api/hooks';
import { EmptyState, ErrorBanner, PageHeader } from '../ui/components';
import { CONNECTOR_TYPE_LABEL, formatRelative } from '../ui/format';
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

const MODES: Array<{ id: SearchMode; label: string; hint: string }> = [
  { id: 'hybrid', label: 'Hybrid', hint: 'Meaning and keywords together' },
  { id: 'keyword', label: 'Keyword', hint: 'Exact words (works offline before any model)' },
  { id: 'semantic', label: 'Semantic', hint: 'By meaning only' },
];

export function SearchScreen(props: { notify: (message: string) => void }) {
  const api = useApi();
  const [query, setQuery] = useState(() => sessionStorage.getItem('trove.lastQuery') ?? '');
  const [mode, setMode] = useState<SearchMode>('hybrid');
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
              title={m.hint}
              onClick={() => setMode(m.id)}
              data-testid={`mode-${m.id}`}
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

      <ErrorBanner error={debounced ? results.error : null} />
      {data?.notice && (
        <div className="banner banner-info" data-testid="search-notice">
          {data.notice}
        </div>
      )}
      {data && (
        <div className="result-meta" data-testid="result-meta">
          {groups.length === 0
            ? 'No matches'
            : `${groups.length}${nextCursor ? '+' : ''} document${groups.length === 1 ? '' : 's'}`}{' '}
          · {data.mode} · {Math.round(data.tookMs)} ms
          {results.loading && <span className="spinner" aria-label="Searching" />}
        </div>
      )}

      {!debounced && (
        <EmptyState title="Type to search" testId="search-empty">
          Results appear as you type. Use quotes for exact phrases in keyword mode. Nothing indexed yet? Add a folder on
          the Connectors screen or drop files anywhere in this window.
        </EmptyState>
      )}
      {debounced && data && groups.length === 0 && (
        <EmptyState title={`Nothing matches “${debounced}”`}>
          Try other words, switch to hybrid or semantic mode, or clear the filters.
        </EmptyState>
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
              <span className="result-source">
                {CONNECTOR_TYPE_LABEL[group.document.connectorType]} · {group.document.connectorName}
                {group.document.sourceModifiedAt ? ` · ${formatRelative(group.document.sourceModifiedAt)}` : ''}
              </span>
            </div>
            {group.chunks.map((chunk) => (
              <div key={chunk.chunkId} className="snippet">
                {(chunk.headingPath.length > 0 || chunk.page) && (
                  <div className="snippet-path">
                    {chunk.headingPath.join(' › ')}
                    {chunk.page ? `${chunk.headingPath.length > 0 ? ' · ' : ''}page ${chunk.page}` : ''}
                  </div>
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
