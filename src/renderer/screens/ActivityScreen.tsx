import { useState, type ReactNode } from 'react';
import type { JobSummary } from '../../shared/contract';
import { useAction, useCommand, useEvents } from '../api/hooks';
import { EmptyState, ErrorBanner, PageHeader, ProgressBar, StatusBadge } from '../ui/components';
import { formatDateTime, formatRelative } from '../ui/format';

type LiveProgress = Record<string, { progress: number | null; message: string | null }>;

export function ActivityScreen() {
  const [tab, setTab] = useState<'jobs' | 'documents'>('jobs');
  return (
    <div className="screen">
      <PageHeader title="Activity" subtitle="Background work: syncing, parsing and embedding your documents." />
      <div className="segmented" role="tablist" aria-label="Activity view">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'jobs'}
          className={`segment ${tab === 'jobs' ? 'segment-active' : ''}`}
          onClick={() => setTab('jobs')}
          data-testid="tab-jobs"
        >
          Jobs
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'documents'}
          className={`segment ${tab === 'documents' ? 'segment-active' : ''}`}
          onClick={() => setTab('documents')}
          data-testid="tab-documents"
        >
          Document failures
        </button>
      </div>
      {tab === 'jobs' ? <JobsView /> : <DocumentFailuresView />}
    </div>
  );
}

function JobsView() {
  const refreshOn = (e: { type: string; phase?: string }) => e.type === 'job' && e.phase !== 'progress';
  const active = useCommand('listJobs', { status: ['running', 'queued'], limit: 200 }, { refreshOn, throttleMs: 250 });
  const failed = useCommand('listJobs', { status: ['failed'], limit: 100 }, { refreshOn });
  const recent = useCommand(
    'listJobs',
    { status: ['succeeded', 'cancelled'], limit: 20 },
    { refreshOn, throttleMs: 1000 },
  );
  const [live, setLive] = useState<LiveProgress>({});
  const action = useAction();

  // Progress events move the bars directly; lists refresh (throttled) on lifecycle changes.
  useEvents((event) => {
    if (event.type === 'job' && event.phase === 'progress') {
      setLive((l) => ({ ...l, [event.jobId]: { progress: event.progress, message: event.message } }));
    }
  });

  const act = async (command: 'retryJob' | 'cancelJob', jobId: string) => {
    await action.run(command, { jobId });
    active.reload();
    failed.reload();
  };

  const activeItems = active.data?.items ?? [];
  const failedItems = failed.data?.items ?? [];
  const nothing = active.data && failed.data && activeItems.length === 0 && failedItems.length === 0;
  return (
    <>
      <ErrorBanner error={action.error ?? active.error} onDismiss={action.clearError} />
      {nothing && (
        <EmptyState title="All quiet" testId="activity-empty">
          No jobs are waiting or running. Work appears here when a connector syncs or you import files.
        </EmptyState>
      )}
      {activeItems.length > 0 && (
        <section>
          <h2 className="section-title">In progress</h2>
          <ul className="job-list" data-testid="jobs-active">
            {activeItems.map((job) => (
              <JobRow key={job.id} job={job} live={live[job.id]}>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => void act('cancelJob', job.id)}
                  data-testid="job-cancel"
                >
                  Cancel
                </button>
              </JobRow>
            ))}
          </ul>
        </section>
      )}
      {failedItems.length > 0 && (
        <section>
          <h2 className="section-title">Failed</h2>
          <ul className="job-list" data-testid="jobs-failed">
            {failedItems.map((job) => (
              <JobRow key={job.id} job={job}>
                <button
                  type="button"
                  className="btn btn-small btn-primary"
                  onClick={() => void act('retryJob', job.id)}
                  data-testid="job-retry"
                >
                  Retry
                </button>
              </JobRow>
            ))}
          </ul>
        </section>
      )}
      {(recent.data?.items.length ?? 0) > 0 && (
        <section>
          <h2 className="section-title">Recently finished</h2>
          <ul className="job-list job-list-compact" data-testid="jobs-recent">
            {recent.data?.items.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function JobRow(props: {
  job: JobSummary;
  live?: { progress: number | null; message: string | null };
  children?: ReactNode;
}) {
  const { job } = props;
  const progress = props.live?.progress ?? job.progress;
  const message = props.live?.message ?? job.progressMessage;
  return (
    <li className="card job" data-testid="job-row" data-job-id={job.id} data-job-status={job.status}>
      <div className="job-head">
        <div>
          <div className="job-label">{job.label}</div>
          <div className="muted small">
            {job.type} · queued {formatRelative(job.createdAt)}
            {job.attempts > 1 || job.status === 'failed' ? ` · attempt ${job.attempts} of ${job.maxAttempts}` : ''}
          </div>
        </div>
        <div className="row">
          <StatusBadge status={job.status} />
          {props.children}
        </div>
      </div>
      {job.status === 'running' && (
        <div className="job-progress">
          <ProgressBar value={progress} label={job.label} testId="job-progress" />
          {message && <span className="muted small">{message}</span>}
        </div>
      )}
      {job.lastError && (job.status === 'failed' || job.status === 'queued') && (
        <p className="text-bad small" data-testid="job-error">
          {job.lastError}
        </p>
      )}
    </li>
  );
}

function DocumentFailuresView() {
  const [status, setStatus] = useState<'error' | 'skipped'>('error');
  const docs = useCommand(
    'listDocuments',
    { status: [status], limit: 200 },
    { refreshOn: (e) => e.type === 'document.status' },
  );
  const connectors = useCommand('listConnectors', {});
  const names = new Map(connectors.data?.items.map((c) => [c.id, c.name]));
  const items = docs.data?.items ?? [];
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
            <option value="error">Failed documents</option>
            <option value="skipped">Skipped documents</option>
          </select>
        </label>
      </div>
      <ErrorBanner error={docs.error} />
      {docs.data && items.length === 0 && (
        <EmptyState title={status === 'error' ? 'No failed documents' : 'No skipped documents'}>
          Every document was read and indexed.
        </EmptyState>
      )}
      {items.length > 0 && (
        <table className="table" data-testid="doc-failures">
          <thead>
            <tr>
              <th>Document</th>
              <th>Connector</th>
              <th>Reason</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {items.map((doc) => (
              <tr key={doc.id} data-testid="doc-failure-row">
                <td>{doc.title}</td>
                <td>{names.get(doc.connectorId) ?? '—'}</td>
                <td className={status === 'error' ? 'text-bad' : ''} data-testid="doc-failure-reason">
                  {doc.error ?? 'No reason recorded'}
                </td>
                <td>{formatDateTime(doc.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
