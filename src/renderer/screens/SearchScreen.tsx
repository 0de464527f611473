import { useEffect, useState } from 'react';
import type { CommandOutput, Screen, SearchMode } from '../../shared/contract';
import { useApi, useCommand } from '../api/hooks';
import { EmptyState, ErrorBanner, PageHeader } from '../ui/components';
import { SemanticSetup, useSearchModes } from './search-modes';
import { openResult, revealResult } from '../search/open-result';
import { PreviewPane } from '../search/PreviewPane';
import { OperatorChips, OperatorHelp, SpellingHelp } from '../search/QueryHelp';
import { ResultList, resultOptionId } from '../search/ResultList';
import { SearchFilters, toSearchFilters, type FilterState } from '../search/SearchFilters';
import { useDebounced } from '../search/use-debounced';
import { useResultKeys } from '../search/use-result-keys';
import { plural } from '../ui/format';
import '../search/search.css';

type SearchOutput = CommandOutput<'search'>;

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
  const [filterState, setFilterState] = useState<FilterState>({ connectorId: '', sourceType: '', modifiedFrom: '' });
  const [more, setMore] = useState<SearchOutput['groups']>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  /** "More like this": the document whose neighbours are listed instead of the query's results. */
  const [similarTo, setSimilarTo] = useState<{ id: string; title: string } | null>(null);
  const debounced = useDebounced(query.trim(), 180);

  useEffect(() => {
    sessionStorage.setItem('trove.lastQuery', query);
  }, [query]);

  const filters = toSearchFilters(filterState);
  const results = useCommand(
    'search',
    { query: debounced || ' ', mode, filters, limit: 20 },
    { enabled: debounced.length > 0 },
  );
  const similar = useCommand(
    'similarDocuments',
    { documentId: similarTo?.id ?? 'none', limit: 20 },
    { enabled: similarTo !== null },
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

  const data = debounced ? results.data : null;
  const similarData = similarTo ? similar.data : null;
  const groups = similarTo ? (similarData?.groups ?? []) : data ? [...data.groups, ...more] : [];
  const say = (message: string | null) => {
    if (message) props.notify(message);
  };
  const setQueryAndReset = (next: string) => {
    setSimilarTo(null);
    setQuery(next);
  };
  const focusInput = () => document.getElementById('search-input')?.focus();

  const keys = useResultKeys({
    count: groups.length,
    listKey: similarTo ? similarData : data,
    inputId: 'search-input',
    open: (i) => {
      const g = groups[i];
      if (g) void openResult(api, g.document.id, g.chunks[0]?.page ?? null).then(say);
    },
    escape: () => {
      if (similarTo) setSimilarTo(null);
      else setQueryAndReset('');
      focusInput();
    },
  });
  const selected = keys.active >= 0 ? groups[keys.active] : undefined;
  const openCopy = (documentId: string) => void openResult(api, documentId, null).then(say);
  const showSimilar = (i: number) => {
    const g = groups[i];
    if (!g) return;
    keys.setPreviewOpen(false);
    setSimilarTo({ id: g.document.id, title: g.document.title });
  };
  const addToQuery = (text: string) => {
    setQueryAndReset(query.trim() ? `${query.trim()} ${text}` : text);
    focusInput();
  };
  const searching = debounced.length > 0 && results.loading && !similarTo;

  return (
    <div className="screen">
      <PageHeader title="Search" subtitle="Everything you have connected, by meaning and by keyword." />
      <div className="search-bar">
        <input
          id="search-input"
          className="input input-large"
          type="search"
          role="combobox"
          aria-expanded={groups.length > 0}
          aria-controls="search-results-list"
          aria-activedescendant={selected ? resultOptionId('search-results-list', selected) : undefined}
          aria-autocomplete="list"
          aria-describedby="search-keys-hint"
          placeholder="Search your documents…  (press / or Ctrl+K)"
          value={query}
          onChange={(e) => setQueryAndReset(e.target.value)}
          onKeyDown={keys.onInputKeyDown}
          autoFocus
          aria-label="Search query"
          data-testid="search-input"
        />
        <OperatorHelp onInsert={addToQuery} />
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
      <p id="search-keys-hint" className="keys-hint muted">
        ↑ ↓ choose · Enter opens · → or Space previews · Esc closes, then clears
      </p>
      <SearchFilters value={filterState} onChange={setFilterState} />

      <SemanticSetup status={status} chosen={chosen} />
      <ErrorBanner error={debounced ? results.error : null} />
      <ErrorBanner error={similarTo ? similar.error : null} />
      {/* The setup panel above already says why only keywords run; other notices still show. */}
      {data?.notice && !similarTo && (!status || status.semantic.state === 'ready') && (
        <div className="banner banner-info" data-testid="search-notice">
          {data.notice}
        </div>
      )}
      {data && !similarTo && (
        <>
          <OperatorChips
            operators={data.operators}
            onRemove={(text) => setQueryAndReset(query.replace(text, '').replace(/\s+/g, ' ').trim())}
          />
          <SpellingHelp suggestion={data.suggestion} fuzzy={data.fuzzy} onUse={setQueryAndReset} />
        </>
      )}
      <div className="result-meta" role="status" aria-live="polite" data-testid="result-meta" data-mode={data?.mode}>
        {similarTo ? (
          <SimilarHeader
            title={similarTo.title}
            data={similarData}
            loading={similar.loading}
            onBack={() => setSimilarTo(null)}
          />
        ) : searching && !data ? (
          <span data-testid="searching">Searching…</span>
        ) : data ? (
          <>
            {groups.length === 0
              ? 'No matches'
              : `${groups.length}${nextCursor ? '+' : ''} document${groups.length === 1 ? '' : 's'}`}{' '}
            · {MODE_LABEL[data.mode]} search · {Math.round(data.tookMs)} ms
            {searching && <span className="spinner" aria-label="Searching" />}
          </>
        ) : null}
      </div>

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
          {!debounced && !similarTo && (
            <EmptyState title="Type to search" testId="search-empty">
              Results appear as you type. Use quotes for exact phrases; the Operators button lists the rest.
              {status ? unindexedNote(status) : ''}
            </EmptyState>
          )}
          {debounced && data && groups.length === 0 && !similarTo && (
            <EmptyState title={`Nothing matches “${debounced}”`} testId="search-no-results">
              {noResultsHint(data.mode, canRun)}
            </EmptyState>
          )}
        </>
      )}

      <div className={keys.previewOpen && selected ? 'search-split' : undefined} aria-busy={searching}>
        <ResultList
          listId="search-results-list"
          label={similarTo ? `Documents like ${similarTo.title}` : 'Search results'}
          groups={groups}
          active={keys.active}
          previewOpen={keys.previewOpen}
          onSelect={keys.setActive}
          onKeyDown={keys.onListKeyDown}
          actions={{
            open: (i) => {
              const g = groups[i];
              if (g) void openResult(api, g.document.id, g.chunks[0]?.page ?? null).then(say);
            },
            openCopy,
            togglePreview: (i) => {
              keys.setPreviewOpen(!(keys.previewOpen && keys.active === i));
              keys.setActive(i);
            },
            similar: showSimilar,
          }}
        />
        {keys.previewOpen && selected && (
          <PreviewPane
            key={selected.document.id}
            group={selected}
            query={similarTo ? '' : debounced}
            onClose={() => {
              keys.setPreviewOpen(false);
              focusInput();
            }}
            onOpen={(page) => void openResult(api, selected.document.id, page).then(say)}
            onReveal={() => void revealResult(api, selected.document.id).then(say)}
            onSimilar={() => showSimilar(keys.active)}
            onOpenCopy={openCopy}
          />
        )}
      </div>
      {nextCursor && groups.length > 0 && !similarTo && (
        <button type="button" className="btn" onClick={() => void loadMore()} data-testid="load-more">
          More results
        </button>
      )}
    </div>
  );
}

function SimilarHeader(props: {
  title: string;
  data: CommandOutput<'similarDocuments'> | null;
  loading: boolean;
  onBack(): void;
}) {
  return (
    <span data-testid="similar-header">
      {props.loading && !props.data ? 'Finding documents like ' : 'Documents like '}“{props.title}”
      {props.data && (
        <>
          {' '}
          · {props.data.groups.length} found
          {props.data.basis === 'terms' && props.data.terms.length > 0
            ? ` by shared words (${props.data.terms.slice(0, 5).join(', ')})`
            : props.data.basis === 'vectors'
              ? ' by meaning'
              : ''}
        </>
      )}{' '}
      <button type="button" className="link" onClick={props.onBack} data-testid="similar-back">
        Back to results
      </button>
    </span>
  );
}

/** What the empty search screen says about documents search cannot find yet; skipped files are not counted. */
function unindexedNote(status: { waitingDocuments: number; leftDocuments: number; failedDocuments: number }): string {
  const waiting = status.waitingDocuments
    ? ` ${plural(status.waitingDocuments, 'document is', 'documents are')} still being indexed.`
    : '';
  const left = status.leftDocuments
    ? ` ${plural(status.leftDocuments, 'document is', 'documents are')} not indexed yet: the next sync indexes them.`
    : '';
  const failed = status.failedDocuments
    ? ` ${plural(status.failedDocuments, 'document', 'documents')} could not be indexed: Activity says why.`
    : '';
  return waiting + left + failed;
}
