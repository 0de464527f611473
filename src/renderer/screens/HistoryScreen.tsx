import { useState } from 'react';
import { useCommand } from '../api/hooks';
import { EmptyState, ErrorBanner, Modal, PageHeader, StatusBadge } from '../ui/components';
import { formatBytes, formatDateTime, formatDuration } from '../ui/format';
import { SyncChart } from './SyncChart';

export function HistoryScreen() {
  const [connectorId, setConnectorId] = useState('');
  const [bucket, setBucket] = useState<'hour' | 'day'>('day');
  const [selected, setSelected] = useState<string | null>(null);
  const filter = connectorId ? { connectorId } : {};
  const refreshOn = (e: { type: string }) => e.type === 'sync.finished' || e.type === 'connector.changed';
  const connectors = useCommand('listConnectors', {});
  const logs = useCommand(
    'listSyncLogs',
    { ...filter, limit: 100 },
    { refreshOn: (e) => refreshOn(e) || (e.type === 'job' && e.jobType === 'sync_connector' && e.phase === 'started') },
  );
  const timeline = useCommand('syncLogTimeline', { ...filter, bucket }, { refreshOn });
  const items = logs.data?.items ?? [];

  return (
    <div className="screen">
      <PageHeader
        title="Sync history"
        subtitle="Every sync run: when, how long, and what changed."
        actions={
          <select
            className="input"
            value={connectorId}
            onChange={(e) => setConnectorId(e.target.value)}
            aria-label="Connector"
            data-testid="history-connector"
          >
            <option value="">All connectors</option>
            {connectors.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        }
      />
      <ErrorBanner error={logs.error ?? timeline.error} />
      <section className="card">
        <div className="card-head">
          <h2>Documents over time</h2>
          <div className="segmented" role="radiogroup" aria-label="Chart interval">
            {(['hour', 'day'] as const).map((b) => (
              <button
                key={b}
                type="button"
                role="radio"
                aria-checked={bucket === b}
                className={`segment ${bucket === b ? 'segment-active' : ''}`}
                onClick={() => setBucket(b)}
              >
                {b === 'hour' ? 'Last 48 hours' : 'Last 14 days'}
              </button>
            ))}
          </div>
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
        <table className="table" data-testid="sync-log-table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Connector</th>
              <th>Kind</th>
              <th>Duration</th>
              <th>Status</th>
              <th className="num">New</th>
              <th className="num">Updated</th>
              <th className="num">Deleted</th>
              <th className="num">Failed</th>
            </tr>
          </thead>
          <tbody>
            {items.map((log) => (
              <tr
                key={log.id}
                className="clickable"
                tabIndex={0}
                onClick={() => setSelected(log.id)}
                onKeyDown={(e) => e.key === 'Enter' && setSelected(log.id)}
                data-testid="sync-log-row"
              >
                <td>{formatDateTime(log.startedAt)}</td>
                <td>{log.connectorName}</td>
                <td>
                  {log.syncType}
                  {log.fullSync ? ' · full' : ''}
                </td>
                <td>{log.status === 'running' ? 'running…' : formatDuration(log.durationMs)}</td>
                <td>
                  <StatusBadge status={log.status} />
                </td>
                <td className="num">{log.documentsSynced}</td>
                <td className="num">{log.documentsUpdated}</td>
                <td className="num">{log.documentsDeleted}</td>
                <td className={`num ${log.documentsFailed > 0 ? 'text-bad' : ''}`}>{log.documentsFailed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <SyncLogDialog syncLogId={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}

function SyncLogDialog(props: { syncLogId: string; onClose: () => void }) {
  const detail = useCommand('getSyncLog', { syncLogId: props.syncLogId });
  const log = detail.data?.log;
  return (
    <Modal title="Sync run" onClose={props.onClose} testId="sync-log-detail">
      <ErrorBanner error={detail.error} />
      {log && (
        <>
          <dl className="detail-grid">
            <dt>Connector</dt>
            <dd>{log.connectorName}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={log.status} />
            </dd>
            <dt>Started</dt>
            <dd>{formatDateTime(log.startedAt)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(log.durationMs)}</dd>
            <dt>Kind</dt>
            <dd>
              {log.syncType}, {log.fullSync ? 'full' : 'incremental'}
            </dd>
            <dt>Documents</dt>
            <dd>
              {log.documentsSynced} new, {log.documentsUpdated} updated, {log.documentsDeleted} deleted,{' '}
              {log.documentsSkipped} skipped, {log.documentsFailed} failed
            </dd>
            <dt>Traffic</dt>
            <dd>
              {log.apiCallsMade} API calls, {formatBytes(log.bytesTransferred)}
            </dd>
          </dl>
          {log.errorMessage && (
            <div className="banner banner-error" data-testid="sync-log-error">
              {log.errorMessage}
            </div>
          )}
          {log.errorDetails.length > 0 && (
            <>
              <h3>Errors</h3>
              <ul className="error-list" data-testid="sync-log-error-details">
                {log.errorDetails.map((item, index) => (
                  <li key={index}>
                    <strong>{item.title ?? item.externalId ?? 'Item'}</strong>
                    {item.code ? <span className="muted"> ({item.code})</span> : null}: {item.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Modal>
  );
}
