import { useEffect, useRef, useState } from 'react';
import type { CommandOutput, DocumentSummary } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/errors';
import { useApi, useCommand, useEvents } from '../api/hooks';
import { pathsFromText } from '../paths';
import { ErrorBanner, PageHeader, ProgressBar, StatusBadge } from '../ui/components';
import { formatBytes, plural } from '../ui/format';

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
            <span>Or paste absolute paths on the machine running Trove, one per line</span>
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
      {props.session && <ImportProgress session={props.session} onDismiss={props.onDismiss} />}
    </div>
  );
}

/** The "Why" of a document that did not fail: what is indexed, and what OCR is doing or could not read. */
function describeIndexed(doc: DocumentSummary): string {
  const indexed = doc.status === 'completed' ? `${plural(doc.chunkCount, 'passage')} indexed` : '';
  if (doc.ocr?.state === 'pending') {
    return [indexed, `reading scanned pages (${doc.ocr.pagesDone} of ${doc.ocr.pagesTotal})`]
      .filter(Boolean)
      .join('; ');
  }
  return [indexed, doc.ocr?.message].filter(Boolean).join('. ');
}

function ImportProgress(props: { session: ImportSession; onDismiss: () => void }) {
  const { session } = props;
  const [progress, setProgress] = useState<{ value: number | null; message: string | null }>({
    value: null,
    message: null,
  });
  const jobId = session.result?.jobId;
  const connectorId = session.result?.connectorId;
  const docs = useCommand(
    'listDocuments',
    { connectorId: connectorId ?? 'none', updatedSince: session.result?.startedAt ?? session.startedAt, limit: 500 },
    {
      enabled: Boolean(connectorId),
      refreshOn: (e) =>
        (e.type === 'document.status' && e.connectorId === connectorId) || (e.type === 'job' && e.phase !== 'progress'),
      throttleMs: 300,
    },
  );
  const job = useCommand(
    'listJobs',
    { connectorId: connectorId ?? 'none', limit: 50 },
    { enabled: Boolean(connectorId), refreshOn: (e) => e.type === 'job' && e.phase !== 'progress' },
  );
  useEvents((event) => {
    if (event.type === 'job' && event.jobId === jobId) setProgress({ value: event.progress, message: event.message });
  });

  const items = (docs.data?.items ?? []).filter((d) => d.status !== 'deleted');
  const count = (status: string) => items.filter((d) => d.status === status).length;
  const imported = count('completed');
  const failed = count('error');
  const skipped = count('skipped');
  const working = items.length - imported - failed - skipped;
  const importJob = job.data?.items.find((j) => j.id === jobId);
  const syncDone = importJob
    ? importJob.status === 'succeeded' || importJob.status === 'failed' || importJob.status === 'cancelled'
    : false;
  // The file list must be newer than the moment the sync was seen finished,
  // or a file recorded last could still be missing from it.
  const [syncDoneSeenAt, setSyncDoneSeenAt] = useState<number | null>(null);
  const reloadDocs = docs.reload;
  useEffect(() => {
    if (syncDone && syncDoneSeenAt === null) {
      setSyncDoneSeenAt(performance.now());
      reloadDocs();
    }
  }, [syncDone, syncDoneSeenAt, reloadDocs]);
  const done = syncDoneSeenAt !== null && docs.requestedAt >= syncDoneSeenAt && working === 0 && items.length > 0;
  const overall = items.length > 0 ? (imported + failed + skipped) / items.length : progress.value;

  return (
    <section className="card" data-testid="import-session" data-job-status={importJob?.status ?? 'unknown'}>
      <div className="card-head">
        <h2>{session.state === 'failed' ? 'Import failed' : done ? 'Import finished' : 'Importing…'}</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={props.onDismiss}>
          Clear
        </button>
      </div>
      <ErrorBanner error={session.error} />
      {session.state !== 'failed' && (
        <>
          <ProgressBar value={done ? 1 : overall} label="Import progress" testId="import-progress" />
          <p className="summary" data-testid="import-summary" data-done={done ? 'true' : 'false'}>
            {imported} imported · {skipped} skipped · {failed} failed{working > 0 ? ` · ${working} in progress` : ''}
            {!done && progress.message ? ` — ${progress.message}` : ''}
          </p>
          {items.length > 0 && (
            <table className="table" data-testid="import-files">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Size</th>
                  <th>Status</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {items.map((doc) => (
                  <tr key={doc.id} data-testid="import-file-row" data-status={doc.status}>
                    <td>{doc.title}</td>
                    <td>{formatBytes(doc.sizeBytes)}</td>
                    <td>
                      <StatusBadge status={doc.status} label={doc.status === 'completed' ? 'imported' : undefined} />
                    </td>
                    <td className={doc.status === 'error' ? 'text-bad' : 'muted'} data-testid="import-file-reason">
                      {doc.error ?? describeIndexed(doc)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
