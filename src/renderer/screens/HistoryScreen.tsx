import { useState } from 'react';
import type { SyncLogDetail, SyncLogSummary } from '../../shared/contract';
import { useCommand } from '../api/hooks';
import { FailureList } from '../runs/failures';
import { foldQuietRuns, quietRunsTitle, sourcesOf } from '../runs/quiet-runs';
import { QuietRunsToggle } from '../runs/quiet-runs-toggle';
import { RunProgressView } from '../runs/run-progress';
import { ConnectorSelect } from '../ui/connector-select';
import { EmptyState, ErrorBanner, Modal, PageHeader, Segmented, StatusBadge } from '../ui/components';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatShortDateTime } from '../ui/format';
import { SyncChart } from './SyncChart';

const LOCAL_TYPES = new Set(['local_folder', 'local_import']);

export function HistoryScreen(props: { notify: (message: string) => void }) {
  const [connectorId, setConnectorId] = useState('');
  const [bucket, setBucket] = useState<'hour' | 'day'>('day');
  const [selected, setSelected] = useState<string | null>(null);
  const filter = connectorId ? { connectorId } : {};
  const refreshOn = (e: { type: string }) => e.type === 'sync.finished' || e.type === 'connector.changed';
  const connectors = useCommand('listConnectors', {});
  const logs = useCommand(
    'listSyncLogs',
    { ...filter, limit: 100 },
    {
      refreshOn: (e) =>
        refreshOn(e) || e.type === 'run.progress' || (e.type === 'job' && e.jobType === 'sync_connector'),
      throttleMs: 500,
    },
  );
  const timeline = useCommand('syncLogTimeline', { ...filter, bucket }, { refreshOn });
  const items = logs.data?.items ?? [];

  return (
    <div className="screen">
      <PageHeader
        title="Sync history"
        subtitle="Every run: when, how long (reading and indexing), and what changed."
        actions={
          <ConnectorSelect
            value={connectorId}
            onChange={setConnectorId}
            connectors={connectors.data?.items}
            ariaLabel="Connector"
            testId="history-connector"
          />
        }
      />
      <ErrorBanner error={logs.error ?? timeline.error} />
      <section className="card">
        <div className="card-head">
          <h2>Documents over time</h2>
          <Segmented
            label="Chart interval"
            role="radio"
            options={[
              ['hour', 'Last 48 hours'],
              ['day', 'Last 14 days'],
            ]}
            value={bucket}
            onChange={setBucket}
          />
        </div>
        {timeline.data && <SyncChart points={timeline.data.points} bucket={timeline.data.bucket} />}
      </section>

      {logs.data && items.length === 0 && (
        <EmptyState title="No syncs yet">
          Runs appear here as soon as a connector syncs. Add a source on the Connectors screen or press “Sync now” on
          one.
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="sync-log-table">
            <thead>
              <tr>
                <th>Started</th>
                <th>Connector</th>
                <th>Kind</th>
                <th>Duration</th>
                <th>Status</th>
                <th className="num">New</th>
                <th className="num wide-only">Updated</th>
                <th className="num wide-only">Deleted</th>
                <th className="num wide-only">Skipped</th>
                <th className="num">Failed</th>
              </tr>
            </thead>
            <tbody>
              {foldQuietRuns(items, items.length).map((row) =>
                row.kind === 'run' ? (
                  <RunRow key={row.run.id} log={row.run} onSelect={setSelected} />
                ) : (
                  // Keyed by its oldest run: newer quiet runs join at the top, and an open row stays open.
                  <QuietRunRows key={row.runs[row.runs.length - 1]!.id} runs={row.runs} onSelect={setSelected} />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {selected && <SyncLogDialog syncLogId={selected} onClose={() => setSelected(null)} notify={props.notify} />}
    </div>
  );
}

/** One run; Enter, Space or a click opens its details. */
function RunRow(props: { log: SyncLogSummary; onSelect: (id: string) => void; nested?: boolean }) {
  const { log, onSelect } = props;
  return (
    <tr
      className={`clickable${props.nested ? ' nested-row' : ''}`}
      tabIndex={0}
      onClick={() => onSelect(log.id)}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        // Without this, the same key press would reach the dialog's first button and close it again.
        e.preventDefault();
        onSelect(log.id);
      }}
      data-testid="sync-log-row"
      data-status={log.status}
      data-phase={log.phase}
    >
      <td className="nowrap" title={formatDateTime(log.startedAt)}>
        {formatShortDateTime(log.startedAt)}
      </td>
      <td>{log.connectorName}</td>
      <td data-testid="sync-log-kind">{log.kindLabel}</td>
      <td className="nowrap" title={phaseTimes(log)}>
        {log.phase === 'done' ? formatDuration(log.durationMs) : runningLabel(log)}
      </td>
      <td>
        <StatusBadge
          status={log.stopped ? 'stopped' : log.status}
          label={log.phase === 'indexing' ? 'indexing' : undefined}
        />
      </td>
      <td className="num">{formatCount(log.documentsSynced)}</td>
      <td className="num wide-only">{formatCount(log.documentsUpdated)}</td>
      <td className="num wide-only">{formatCount(log.documentsDeleted)}</td>
      <td className="num wide-only">{formatCount(log.documentsSkipped)}</td>
      <td className={`num ${log.documentsFailed > 0 ? 'text-bad' : ''}`}>{formatCount(log.documentsFailed)}</td>
    </tr>
  );
}

/**
 * Runs in a row that found nothing (quiet-runs.ts): one row, which opens to
 * list them. Each start checks every folder, so listed one by one they filled
 * the table and pushed the runs that changed something out of sight.
 */
function QuietRunRows(props: { runs: SyncLogSummary[]; onSelect: (id: string) => void }) {
  const { runs } = props;
  const [expanded, setExpanded] = useState(false);
  const newest = runs[0]!;
  const oldest = runs[runs.length - 1]!;
  const since = formatShortDateTime(oldest.startedAt);
  return (
    <>
      <tr className="quiet-row" data-testid="quiet-runs" data-runs={runs.length}>
        <td className="nowrap" title={`${formatDateTime(oldest.startedAt)} to ${formatDateTime(newest.startedAt)}`}>
          {formatShortDateTime(newest.startedAt)}
        </td>
        <td>{sourcesOf(runs)}</td>
        <td colSpan={8}>
          <div className="row">
            <span>
              {quietRunsTitle(runs)}{' '}
              {since !== formatShortDateTime(newest.startedAt) && <span className="muted small">since {since}</span>}
            </span>
            <QuietRunsToggle expanded={expanded} onToggle={setExpanded} />
          </div>
        </td>
      </tr>
      {expanded && runs.map((run) => <RunRow key={run.id} log={run} onSelect={props.onSelect} nested />)}
    </>
  );
}

function runningLabel(log: SyncLogSummary): string {
  return log.phase === 'syncing' ? 'reading…' : 'indexing…';
}

/** "Reading 1.2 s, indexing 4.1 s": the two phases of a run. */
function phaseTimes(log: SyncLogSummary): string {
  const parts: string[] = [];
  if (log.syncDurationMs !== null) parts.push(`Reading ${formatDuration(log.syncDurationMs)}`);
  if (log.indexingDurationMs !== null) parts.push(`indexing ${formatDuration(log.indexingDurationMs)}`);
  return parts.join(', ');
}

function SyncLogDialog(props: { syncLogId: string; onClose: () => void; notify: (message: string) => void }) {
  const detail = useCommand(
    'getSyncLog',
    { syncLogId: props.syncLogId },
    { refreshOn: (e) => e.type === 'run.progress' || e.type === 'sync.finished', throttleMs: 500 },
  );
  const connectors = useCommand('listConnectors', {});
  const log = detail.data?.log;
  const connectorType = connectors.data?.items.find((c) => c.id === log?.connectorId)?.type;
  return (
    <Modal title="Sync run" onClose={props.onClose} testId="sync-log-detail" wide>
      <ErrorBanner error={detail.error} />
      {log && (
        <>
          <dl className="detail-grid">
            <dt>Connector</dt>
            <dd>{log.connectorName}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={log.status} label={log.phase === 'indexing' ? 'indexing' : undefined} />
            </dd>
            <dt>Started</dt>
            <dd>{formatDateTime(log.startedAt)}</dd>
            <dt>Duration</dt>
            <dd data-testid="sync-log-duration">
              {log.phase === 'done' ? formatDuration(log.durationMs) : runningLabel(log)}
              {phaseTimes(log) && <span className="muted"> ({phaseTimes(log)})</span>}
            </dd>
            <dt>Kind</dt>
            <dd>{log.kindLabel}</dd>
            <dt>Documents</dt>
            <dd>
              {formatCount(log.documentsSynced)} new, {formatCount(log.documentsUpdated)} updated,{' '}
              {formatCount(log.documentsDeleted)} deleted, {formatCount(log.documentsSkipped)} skipped,{' '}
              {formatCount(log.documentsFailed)} failed
            </dd>
            <dt>{connectorType && LOCAL_TYPES.has(connectorType) ? 'Read' : 'Traffic'}</dt>
            <dd>{traffic(log, connectorType)}</dd>
          </dl>
          {log.progress && <RunProgressView run={log.progress} label="Run progress" />}
          {log.errorMessage && log.status === 'failed' && (
            <div className={`banner ${log.stopped ? 'banner-info' : 'banner-error'}`} data-testid="sync-log-error">
              {log.errorMessage}
            </div>
          )}
          {log.documentsFailed > 0 && (
            <>
              <h3>Failed files</h3>
              <FailureList scope={{ syncLogId: log.id }} notify={props.notify} />
            </>
          )}
          {log.documentsFailed === 0 && log.errorDetails.length > 0 && (
            <ul className="error-list" data-testid="sync-log-error-details">
              {log.errorDetails.map((item, index) => (
                <li key={index}>
                  {item.title && <strong>{item.title}</strong>}
                  {item.path && <span className="muted mono small"> {item.path}</span>}
                  {item.title || item.path ? ': ' : ''}
                  {item.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Modal>
  );
}

/** Local sources make no API calls: say how much was read instead. */
function traffic(log: SyncLogDetail, connectorType: string | undefined): string {
  if (connectorType && LOCAL_TYPES.has(connectorType)) return formatBytes(log.bytesTransferred);
  return `${formatCount(log.apiCallsMade)} API calls, ${formatBytes(log.bytesTransferred)}`;
}
