import { useEffect, useRef, useState } from 'react';
import type { CommandOutput, DocumentSummary } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/errors';
import { useApi, useCommand } from '../api/hooks';
import { pathsFromText } from '../paths';
import { RunProgressView } from '../runs/run-progress';
import { DocumentBadge, ErrorBanner, PageHeader } from '../ui/components';
import { formatBytes, formatCount, formatDuration, plural } from '../ui/format';

export interface ImportSession {
  state: 'starting' | 'running' | 'failed';
  fileNames: string[];
  startedAt: number;
  error: ErrorInfo | null;
  result: CommandOutput<'importPaths'> | null;
}

export function ImportScreen(props: {
  session: ImportSession | null;
  /** The app menu's Import Files…: open the picker once, then report back. */
  pickRequested?: boolean;
  onPickRequestHandled?: () => void;
  onImport: (files: File[] | null, paths: string[]) => void;
  onDismiss: () => void;
  notify: (message: string) => void;
}) {
  const api = useApi();
  const fileInput = useRef<HTMLInputElement>(null);
  const [typed, setTyped] = useState('');

  const pick = async () => {
    if (api.shape === 'desktop') {
      const picked = await api.call('pickPaths', { kind: 'files-and-folders', multiple: true, title: 'Import files' });
      if (picked.ok && picked.value.paths.length > 0) props.onImport(null, picked.value.paths);
    } else fileInput.current?.click();
  };
  const latestPick = useRef(pick);
  useEffect(() => {
    latestPick.current = pick;
  });
  const { pickRequested, onPickRequestHandled } = props;
  useEffect(() => {
    if (!pickRequested) return;
    onPickRequestHandled?.();
    void latestPick.current();
  }, [pickRequested, onPickRequestHandled]);

  return (
    <div className="screen">
      <PageHeader title="Import" subtitle="Add files or whole folders once, without watching them." />
      <div className="dropzone" data-testid="dropzone">
        <div className="dropzone-title">Drop files or folders anywhere in this window</div>
        <div className="muted">PDF, Word, Markdown, text, HTML and more. Folders are imported recursively.</div>
        <button type="button" className="btn btn-primary" onClick={() => void pick()} data-testid="import-pick">
          Choose files…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            if (files.length > 0) props.onImport(files, []);
            e.target.value = '';
          }}
          data-testid="import-file-input"
        />
      </div>
      <ImportProgress session={props.session} onDismiss={props.onDismiss} notify={props.notify} />
      {api.shape === 'browser' && (
        <form
          className="form card"
          onSubmit={(e) => {
            e.preventDefault();
            const paths = pathsFromText(typed);
            if (paths.length > 0) {
              props.onImport(null, paths);
              setTyped('');
            }
          }}
        >
          <label className="field">
            <span>Or type full paths on the machine running Trove, one per line (~ is your home folder)</span>
            <textarea
              className="input mono"
              rows={3}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder="/home/you/Reports/q3.pdf"
              data-testid="import-paths"
            />
          </label>
          <div>
            <button
              type="submit"
              className="btn"
              disabled={pathsFromText(typed).length === 0}
              data-testid="import-paths-submit"
            >
              Import these paths
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/**
 * The "Why" of a document that did not fail: what is indexed, what a damaged
 * file lost, and what OCR is doing or could not read.
 */
function describeIndexed(doc: DocumentSummary): string {
  const passages = doc.status === 'completed' ? `${plural(doc.chunkCount, 'passage')} indexed` : '';
  const indexed = [passages, doc.notice].filter(Boolean).join('. ');
  if (doc.ocr?.state === 'pending') {
    return [indexed, `reading scanned pages (${doc.ocr.pagesDone} of ${doc.ocr.pagesTotal})`]
      .filter(Boolean)
      .join('; ');
  }
  return [indexed, doc.ocr?.message].filter(Boolean).join('. ');
}

/**
 * The last import, followed through its run: reading, then "Indexing X of N"
 * until its last file is indexed or failed. It is read from the history, so
 * a reload (or another tab) shows the same import.
 */
function ImportProgress(props: {
  session: ImportSession | null;
  onDismiss: () => void;
  notify: (message: string) => void;
}) {
  const { session } = props;
  const connectors = useCommand('listConnectors', {}, { refreshOn: (e) => e.type === 'connector.changed' });
  const connectorId =
    session?.result?.connectorId ?? connectors.data?.items.find((c) => c.type === 'local_import')?.id ?? null;
  const runs = useCommand(
    'listSyncLogs',
    { connectorId: connectorId ?? 'none', limit: 5 },
    {
      enabled: Boolean(connectorId),
      refreshOn: (e) => e.type === 'run.progress' || e.type === 'sync.finished' || e.type === 'job',
      throttleMs: 250,
    },
  );
  const [sort, setSort] = useState<'status' | 'title' | 'size'>('status');
  const [problemsOnly, setProblemsOnly] = useState(false);
  const jobId = session?.result?.jobId;
  const run = jobId ? runs.data?.items.find((r) => r.jobId === jobId) : runs.data?.items[0];
  const runDocuments = {
    enabled: Boolean(run),
    refreshOn: (e: { type: string }) => e.type === 'run.progress' || e.type === 'sync.finished',
    throttleMs: 400,
  };
  const docs = useCommand(
    'listDocuments',
    {
      syncLogId: run?.id ?? 'none',
      sort,
      limit: 500,
      ...(problemsOnly ? { problems: true } : {}),
    },
    runDocuments,
  );
  // Files cut short are imported, but only in part: the summary says how many.
  const readInPart = useCommand(
    'listDocuments',
    { syncLogId: run?.id ?? 'none', problems: true, status: ['completed'], limit: 1 },
    runDocuments,
  );
  if (!session && !run) return null;

  const failed = session?.state === 'failed';
  const done = !failed && run?.phase === 'done';
  const items = docs.data?.items ?? [];
  const partial = readInPart.data?.total ?? 0;
  const problems = run ? run.documentsFailed + run.documentsSkipped + partial : 0;
  const title = failed
    ? 'Import failed'
    : done
      ? problems > 0
        ? 'Import finished, with problems'
        : 'Import finished'
      : session?.state === 'starting'
        ? 'Starting the import…'
        : 'Importing…';
  return (
    <section
      className="card"
      data-testid="import-session"
      data-phase={failed ? 'failed' : (run?.phase ?? 'starting')}
      data-run-status={run?.status ?? ''}
    >
      <div className="card-head">
        <h2 data-testid="import-title">{title}</h2>
        {session && (
          <button type="button" className="btn btn-ghost btn-small" onClick={props.onDismiss}>
            Clear
          </button>
        )}
      </div>
      <ErrorBanner error={session?.error ?? null} />
      {!failed && run && (
        <>
          {run.progress && <RunProgressView run={run.progress} label="Import progress" testId="import-progress" />}
          <p className="summary" data-testid="import-summary" data-done={done ? 'true' : 'false'}>
            {formatCount(run.documentsSynced + run.documentsUpdated)} new
            {partial > 0 ? ` (${formatCount(partial)} read in part)` : ''} · {formatCount(run.documentsSkipped)} skipped
            · {formatCount(run.documentsFailed)} failed
            {done && run.documentsSynced + run.documentsUpdated + problems === 0
              ? ' — everything here was already in Trove'
              : ''}
            {done ? ` · ${formatDuration(run.durationMs)}` : ''}
          </p>
          {(items.length > 0 || problemsOnly) && (
            <div className="filters">
              <label>
                Sort by
                <select
                  className="input"
                  value={sort}
                  onChange={(e) => setSort(e.target.value as typeof sort)}
                  data-testid="import-sort"
                >
                  <option value="status">Problems first</option>
                  <option value="title">Name</option>
                  <option value="size">Size</option>
                </select>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={problemsOnly}
                  onChange={(e) => setProblemsOnly(e.target.checked)}
                  data-testid="import-problems-only"
                />
                Only problems
              </label>
            </div>
          )}
          {items.length > 0 && (
            <div className="table-scroll">
              <table className="table" data-testid="import-files">
                <thead>
                  <tr>
                    <th>File</th>
                    <th className="num">Size</th>
                    <th>Status</th>
                    <th>Why</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((doc) => (
                    <tr key={doc.id} data-testid="import-file-row" data-status={doc.status}>
                      <td>{doc.title}</td>
                      <td className="num nowrap">{formatBytes(doc.sizeBytes)}</td>
                      <td>
                        <DocumentBadge doc={doc} done="imported" />
                      </td>
                      <td className={doc.status === 'error' ? 'text-bad' : 'muted'} data-testid="import-file-reason">
                        {doc.error ?? describeIndexed(doc)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
