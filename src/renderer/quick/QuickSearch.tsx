import { useEffect, useRef, useState } from 'react';
import { useApi, useCommand } from '../api/hooks';
import { ErrorBanner } from '../ui/components';
import { useTheme } from '../theme';
import { openResult } from '../search/open-result';
import { ResultList, resultOptionId } from '../search/ResultList';
import { sourceLine } from '../search/result-labels';
import { useDebounced } from '../search/use-debounced';
import { useResultKeys } from '../search/use-result-keys';
import '../search/search.css';
import './quick.css';

const LIST_ID = 'quick-results';

/**
 * The quick-search window (`#/quick`, issue 18): one box and the best
 * results, with the Search screen's result list and keyboard model. Enter
 * opens the original and hides the window; Esc clears, then hides. In
 * browser mode (no window to hide) Esc only clears.
 */
export function QuickSearch() {
  const api = useApi();
  // The theme the main window uses (stored choice, else the system's).
  useTheme();
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const debounced = useDebounced(query.trim(), 120);
  const results = useCommand('search', { query: debounced || ' ', limit: 8 }, { enabled: debounced.length > 0 });
  const data = debounced ? results.data : null;
  const groups = data?.groups ?? [];

  // Shown again by its shortcut: the last query is selected, ready to be typed over.
  useEffect(() => {
    const onFocus = () => input.current?.select();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  const hide = () => void api.call('hideQuickSearch', {});
  const openDocument = (documentId: string, page: number | null) =>
    void openResult(api, documentId, page).then((said) => {
      setMessage(said);
      if (!said) hide();
    });
  const openAt = (i: number) => {
    const g = groups[i];
    if (g) openDocument(g.document.id, g.chunks[0]?.page ?? null);
  };
  const keys = useResultKeys({
    count: groups.length,
    listKey: data,
    inputId: 'quick-input',
    open: openAt,
    escape: () => {
      setMessage(null);
      if (query) setQuery('');
      else hide();
    },
  });
  const selected = keys.active >= 0 ? groups[keys.active] : undefined;

  return (
    <main className="quick" data-testid="quick-search">
      {/* The window has no visible title; screen readers' heading list still names it. */}
      <h1 className="visually-hidden">Quick search</h1>
      <input
        id="quick-input"
        ref={input}
        className="input input-large quick-input"
        type="search"
        role="combobox"
        aria-label="Quick search"
        aria-expanded={groups.length > 0}
        aria-controls={LIST_ID}
        aria-activedescendant={selected ? resultOptionId(LIST_ID, selected) : undefined}
        aria-autocomplete="list"
        placeholder="Search Trove…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={keys.onInputKeyDown}
        autoFocus
        data-testid="quick-input"
      />
      <div className="quick-status muted" role="status" aria-live="polite" data-testid="quick-status">
        {message ??
          (!debounced
            ? 'Type to search · ↑ ↓ choose · Enter opens · Esc clears, then closes'
            : results.loading && !data
              ? 'Searching…'
              : data && groups.length === 0
                ? `Nothing matches “${debounced}”`
                : selected
                  ? `${selected.document.title} · ${sourceLine(selected.document)}`
                  : '')}
      </div>
      <ErrorBanner error={debounced ? results.error : null} />
      <div className="quick-results">
        <ResultList
          listId={LIST_ID}
          label="Quick search results"
          groups={groups}
          active={keys.active}
          previewOpen={false}
          maxChunks={1}
          onSelect={keys.setActive}
          onKeyDown={keys.onListKeyDown}
          actions={{ open: openAt, openCopy: (id) => openDocument(id, null), togglePreview: () => undefined }}
        />
      </div>
    </main>
  );
}
