import { useState } from 'react';
import type { JobSummary, SyncLogSummary } from '../../shared/contract';
import { useAction, useCommand } from '../api/hooks';
import { FailureList } from '../runs/failures';
import { foldQuietRuns, quietRunsTitle, sourcesOf } from '../runs/quiet-runs';
import { QuietRunsToggle } from '../runs/quiet-runs-toggle';
import { RunProgressView } from '../runs/run-progress';
import {
  DocumentBadge,
  EmptyState,
  ErrorBanner,
  ExpandButton,
  PageHeader,
  ProgressBar,
  Segmented,
  StatusBadge,
} from '../ui/components';
import { formatBytes, formatCount, formatDuration, formatRelative } from '../ui/format';

const runRefresh = (e: { type: string; jobType?: string; phase?: string }) =>
  e.type === 'run.progress' || e.type === 'sync.finished' || (e.type === 'job' && e.phase !== 'progress');

export function ActivityScreen(props: { notify: (message: string) => void }) {
  const [tab, setTab] = useState<'runs' | 'failures'>('runs');
  return (
    <div className="screen">
      <PageHeader title="Activity" subtitle="What Trove is doing: each sync or import with the indexing it caused." />
      <Segmented
        label="Activity view"
        role="tab"
        options={[
          ['runs', 'Runs'],
          ['failures', 'Failed and skipped files'],
        ]}
        value={tab}
        onChange={setTab}
        testIdPrefix="tab-"
      />
      {tab === 'runs' ? <RunsView notify={props.notify} /> : <FailuresView notify={props.notify} />}
    </div>
  );
}

function RunsView(props: { notify: (message: string) => void }) {
  const open = useCommand('listSyncLogs', { openOnly: true, limit: 50 }, { refreshOn: runRefresh, throttleMs: 300 });
  // More than are shown: runs that found nothing fold into one row (quiet-runs.ts).
  const recent = useCommand('listSyncLogs', { limit: 40 }, { refreshOn: runRefresh, throttleMs: 1000 });
  const overview = useCommand('activityOverview', {}, { refreshOn: runRefresh, throttleMs: 500 });
  const other = useCommand(
    'listJobs',
    { status: ['queued', 'running', 'failed'], limit: 100 },
    // Progress too: it moves a running job's bar.
    { refreshOn: (e) => e.type === 'job', throttleMs: 500 },
  );
  const action = useAction();
  const reload = () => {
    open.reload();
    recent.reload();
    overview.reload();
    other.reload();
  };
  const act = async (promise: Promise<unknown>, message: string) => {
    if (await promise) props.notify(message);
    reload();
  };

  const openRuns = open.data?.items ?? [];
  const queued = overview.data?.queuedSyncs ?? [];
  // Indexing one document is part of a run; syncs show as runs. Other jobs are listed on their own.
  const otherJobs = (other.data?.items ?? []).filter(
    (j) => j.type !== 'process_imported_doc' && (j.type !== 'sync_connector' || j.status === 'failed'),
  );
  const finished = foldQuietRuns(
    (recent.data?.items ?? []).filter((r) => r.phase === 'done'),
    RECENT_ROWS,
  );
  const busy = openRuns.length + queued.length + otherJobs.filter((j) => j.status !== 'failed').length > 0;
  const nothing = open.data && recent.data && !busy && finished.length === 0 && otherJobs.length === 0;

  return (
    <>
      <ErrorBanner error={action.error ?? open.error} onDismiss={action.clearError} />
      {busy && (
        <div className="row row-end">
          <button
            type="button"
            className="btn btn-danger-ghost"
            onClick={() => void act(action.run('cancelAllWork', {}), 'Everything was cancelled.')}
            data-testid="cancel-all"
          >
            Cancel all
          </button>
        </div>
      )}
      {nothing && (
        <EmptyState title="All quiet" testId="activity-empty">
          Nothing is running. Work appears here when a connector syncs or you import files.
        </EmptyState>
      )}
      {(openRuns.length > 0 || queued.length > 0) && (
        <section>
          <h2 className="section-title">In progress</h2>
          <ul className="job-list" data-testid="runs-open">
            {openRuns.map((run) => (
              <RunCard
                key={run.id}
                run={run}
                onCancel={() =>
                  void act(action.run('cancelRun', { syncLogId: run.id }), `${run.connectorName}: cancelled.`)
                }
              />
            ))}
            {queued.map((q) => (
              <li key={q.jobId} className="card job" data-testid="run-queued">
                <div className="job-head">
                  <div>
                    <div className="job-label">{q.connectorName}</div>
                    <div className="muted small">Sync · waiting to start</div>
                  </div>
                  <div className="row">
                    <StatusBadge status="queued" />
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => void act(action.run('cancelJob', { jobId: q.jobId }), 'Sync cancelled.')}
                    >
                      Cancel
                    </button>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {otherJobs.length > 0 && (
        <section>
          <h2 className="section-title">Other work</h2>
          <ul className="job-list" data-testid="jobs-other">
            {otherJobs.map((job) => (
              <JobCard
                key={job.id}
                job={job}
                onCancel={() => void act(action.run('cancelJob', { jobId: job.id }), 'Cancelled.')}
                onRetry={() => void act(action.run('retryJob', { jobId: job.id }), 'Queued again.')}
              />
            ))}
          </ul>
        </section>
      )}
      {finished.length > 0 && (
        <section>
          <h2 className="section-title">Recently finished</h2>
          <ul className="job-list job-list-compact" data-testid="runs-recent">
            {finished.map((row) =>
              row.kind === 'run' ? (
                <RunCard key={row.run.id} run={row.run} />
              ) : (
                // Keyed by its oldest run: newer quiet runs join at the top, and an open row stays open.
                <QuietRunsCard key={row.runs[row.runs.length - 1]!.id} runs={row.runs} />
              ),
            )}
          </ul>
        </section>
      )}
    </>
  );
}

/** Rows under "Recently finished". */
const RECENT_ROWS = 10;

/** Runs in a row that found nothing new: one line, which opens to list them. */
function QuietRunsCard(props: { runs: SyncLogSummary[] }) {
  const { runs } = props;
  const [expanded, setExpanded] = useState(false);
  return (
    <li className="card job" data-testid="quiet-runs" data-runs={runs.length}>
      <div className="job-head">
        <div>
          <div className="job-label">{quietRunsTitle(runs)}</div>
          <div className="muted small">
            {sourcesOf(runs)} · latest {formatRelative(runs[0]!.startedAt)}
          </div>
        </div>
        <div className="row">
          <StatusBadge status="success" />
          <QuietRunsToggle expanded={expanded} onToggle={setExpanded} />
        </div>
      </div>
      {expanded && (
        <ul className="job-list job-list-compact quiet-runs-list" data-testid="quiet-runs-list">
          {runs.map((run) => (
            <RunCard key={run.id} run={run} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** One sync or import with its progress; expands to its documents. */
function RunCard(props: { run: SyncLogSummary; onCancel?: () => void }) {
  const { run } = props;
  const [expanded, setExpanded] = useState(false);
  const outcome =
    run.phase === 'done'
      ? `${formatCount(run.documentsSynced)} new · ${formatCount(run.documentsUpdated)} updated · ${formatCount(run.documentsDeleted)} removed${run.documentsFailed ? ` · ${formatCount(run.documentsFailed)} failed` : ''} · ${formatDuration(run.durationMs)}`
      : null;
  return (
    <li
      className="card job"
      data-testid="run-card"
      data-run-id={run.id}
      data-phase={run.phase}
      data-status={run.status}
    >
      <div className="job-head">
        <div>
          <div className="job-label">{run.connectorName}</div>
          <div className="muted small">
            {run.kindLabel} · started {formatRelative(run.startedAt)}
            {outcome ? ` · ${outcome}` : ''}
          </div>
        </div>
        <div className="row">
          <StatusBadge
            status={run.stopped ? 'stopped' : run.status}
            label={run.phase === 'syncing' ? 'reading' : run.phase === 'indexing' ? 'indexing' : undefined}
          />
          {props.onCancel && (
            <button type="button" className="btn btn-small" onClick={props.onCancel} data-testid="run-cancel">
              Cancel
            </button>
          )}
          <ExpandButton
            expanded={expanded}
            onToggle={setExpanded}
            testId="run-expand"
            labels={['Files', 'Hide files']}
          />
        </div>
      </div>
      {run.progress && <RunProgressView run={run.progress} label={`${run.connectorName}: ${run.kindLabel}`} />}
      {/* A partial run's failures are in its counts and files; only a failed run's reason is news. */}
      {run.errorMessage && run.status === 'failed' && (
        <p className={run.stopped ? 'muted small' : 'text-bad small'}>{run.errorMessage}</p>
      )}
      {expanded && <RunDocuments syncLogId={run.id} />}
    </li>
  );
}

function RunDocuments(props: { syncLogId: string }) {
  const docs = useCommand(
    'listDocuments',
    { syncLogId: props.syncLogId, sort: 'status', limit: 100 },
    { refreshOn: runRefresh, throttleMs: 1000 },
  );
  const items = docs.data?.items ?? [];
  if (docs.data && items.length === 0) {
    return <p className="muted small">No file changed in this run.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="run-documents">
        <thead>
          <tr>
            <th>File</th>
            <th>Status</th>
            <th className="num">Size</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {items.map((doc) => (
            <tr key={doc.id} data-status={doc.status}>
              <td>
                <div>{doc.title}</div>
                {doc.path && <div className="muted small mono">{doc.path}</div>}
              </td>
              <td>
                <DocumentBadge doc={doc} done="indexed" />
              </td>
              <td className="num nowrap">{formatBytes(doc.sizeBytes)}</td>
              <td className={doc.status === 'error' ? 'text-bad small' : 'muted small'}>
                {doc.error ?? doc.notice ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {(docs.data?.total ?? 0) > items.length && (
        <p className="muted small">
          Showing {formatCount(items.length)} of {formatCount(docs.data!.total)}, problems first.
        </p>
      )}
    </div>
  );
}

function JobCard(props: { job: JobSummary; onCancel: () => void; onRetry: () => void }) {
  const { job } = props;
  return (
    <li className="card job" data-testid="job-row" data-job-id={job.id} data-job-status={job.status}>
      <div className="job-head">
        <div>
          <div className="job-label">{job.label}</div>
          <div className="muted small">
            {job.kindLabel} ·{' '}
            {job.status === 'running' && job.startedAt !== null
              ? `started ${formatRelative(job.startedAt)}`
              : `queued ${formatRelative(job.createdAt)}`}
            {job.attempts > 1 || job.status === 'failed' ? ` · attempt ${job.attempts} of ${job.maxAttempts}` : ''}
          </div>
        </div>
        <div className="row">
          <StatusBadge status={job.status} />
          {job.status === 'failed' ? (
            <button type="button" className="btn btn-small btn-primary" onClick={props.onRetry} data-testid="job-retry">
              Retry
            </button>
          ) : (
            <button type="button" className="btn btn-small" onClick={props.onCancel} data-testid="job-cancel">
              Cancel
            </button>
          )}
        </div>
      </div>
      {job.status === 'running' && <JobProgress job={job} />}
      {job.lastError && (job.status === 'failed' || job.status === 'queued') && (
        <p className="text-bad small" data-testid="job-error">
          {job.lastError}
        </p>
      )}
    </li>
  );
}

/**
 * A running job's own account of its progress (OCR page 3 of 12, 4,000
 * passages embedded): the bar fills when the job knows how far it is, and
 * moves without a value while it does not.
 */
function JobProgress(props: { job: JobSummary }) {
  const { progress, progressMessage } = props.job;
  const percent = progress === null ? null : Math.round(progress * 100);
  const text = [progressMessage ?? 'Working…', percent === null ? null : `${percent}%`].filter(Boolean).join(' · ');
  return (
    <div className="job-progress" data-testid="job-progress">
      <ProgressBar value={progress} label={`${props.job.label}: progress`} testId="job-progress-bar" />
      <span className="muted small" data-testid="job-progress-text">
        {text}
      </span>
    </div>
  );
}

function FailuresView(props: { notify: (message: string) => void }) {
  const [status, setStatus] = useState<'error' | 'skipped'>('error');
  return (
    <>
      <div className="filters">
        <label>
          Show
          <select
            className="input"
            value={status}
            onChange={(e) => setStatus(e.target.value as 'error' | 'skipped')}
            data-testid="doc-failure-status"
          >
            <option value="error">Failed files</option>
            <option value="skipped">Skipped files</option>
          </select>
        </label>
      </div>
      <FailureList key={status} scope={{ status }} notify={props.notify} />
    </>
  );
}
