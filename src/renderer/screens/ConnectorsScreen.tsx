import { useEffect, useState } from 'react';
import type { ConnectorSummary } from '../../shared/contract';
import { useAction, useCommand } from '../api/hooks';
import { EmptyState, ErrorBanner, PageHeader, ProgressBar, StatusBadge } from '../ui/components';
import { CONNECTOR_TYPE_LABEL, formatRelative, plural } from '../ui/format';
import { AddConnectorDialog } from './AddConnectorDialog';
import { EditConnectorDialog, RemoveConnectorDialog } from './ConnectorDialogs';

export function ConnectorsScreen(props: {
  notify: (message: string) => void;
  /** The app menu's Add Folder…: open the add dialog once, then report back. */
  addRequested?: boolean;
  onAddRequestHandled?: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const { addRequested, onAddRequestHandled } = props;
  useEffect(() => {
    if (!addRequested) return;
    setAdding(true);
    onAddRequestHandled?.();
  }, [addRequested, onAddRequestHandled]);
  const [editing, setEditing] = useState<ConnectorSummary | null>(null);
  const [removing, setRemoving] = useState<ConnectorSummary | null>(null);
  const connectors = useCommand(
    'listConnectors',
    {},
    {
      refreshOn: (e) =>
        e.type === 'connector.changed' ||
        e.type === 'sync.finished' ||
        e.type === 'document.status' ||
        (e.type === 'job' && e.phase !== 'progress'),
    },
  );
  const jobs = useCommand(
    'listJobs',
    { status: ['queued', 'running'], type: 'sync_connector' },
    { refreshOn: (e) => e.type === 'job', throttleMs: 250 },
  );
  const action = useAction();

  const act = async (promise: Promise<unknown>, message: string) => {
    if (await promise) props.notify(message);
    connectors.reload();
    jobs.reload();
  };

  const items = connectors.data?.items ?? [];
  return (
    <div className="screen">
      <PageHeader
        title="Connectors"
        subtitle="Where Trove finds your documents. Each source syncs into the same local index."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="add-connector">
            Add source
          </button>
        }
      />
      <ErrorBanner error={connectors.error ?? action.error} onDismiss={action.clearError} />
      {connectors.data && items.length === 0 && (
        <EmptyState
          title="No sources yet"
          testId="connectors-empty"
          action={
            <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
              Add your first source
            </button>
          }
        >
          Add a local folder, Google Drive or Notion, or simply drop files anywhere in this window to import them.
        </EmptyState>
      )}
      <ul className="connector-list">
        {items.map((connector) => {
          const job = jobs.data?.items.find((j) => j.connectorId === connector.id);
          const counts = connector.documentCounts;
          return (
            <li
              key={connector.id}
              className="card connector"
              data-testid="connector-card"
              data-connector-id={connector.id}
            >
              <div className="connector-head">
                <div>
                  <h2 className="connector-name">{connector.name}</h2>
                  <div className="muted">
                    {CONNECTOR_TYPE_LABEL[connector.type]}
                    {typeof connector.settings.path === 'string' ? ` · ${connector.settings.path}` : ''}
                  </div>
                </div>
                <StatusBadge
                  status={job ? 'running' : connector.status}
                  label={job ? (job.status === 'queued' ? 'sync queued' : 'syncing') : undefined}
                />
              </div>
              {job && (
                <div className="connector-progress">
                  <ProgressBar value={job.progress} label={`Sync of ${connector.name}`} testId="connector-progress" />
                  <span className="muted small">
                    {job.progressMessage ?? (job.status === 'queued' ? 'Waiting to start…' : 'Working…')}
                  </span>
                </div>
              )}
              <dl className="stats">
                <div>
                  <dt>Documents</dt>
                  <dd data-testid="doc-count-completed">{counts.completed.toLocaleString()}</dd>
                </div>
                <div>
                  <dt>Pending</dt>
                  <dd>{(counts.pending + counts.processing).toLocaleString()}</dd>
                </div>
                <div>
                  <dt>Failed</dt>
                  <dd className={counts.error > 0 ? 'text-bad' : ''} data-testid="doc-count-error">
                    {counts.error.toLocaleString()}
                  </dd>
                </div>
                <div>
                  <dt>Skipped</dt>
                  <dd>{counts.skipped.toLocaleString()}</dd>
                </div>
                <div>
                  <dt>Last sync</dt>
                  <dd data-testid="last-sync">{formatRelative(connector.lastSyncAt)}</dd>
                </div>
              </dl>
              {connector.lastError && (
                <p className="text-bad small" data-testid="connector-error">
                  {connector.lastError}
                </p>
              )}
              <div className="connector-actions">
                <button
                  type="button"
                  className="btn"
                  disabled={Boolean(job) || connector.status === 'paused'}
                  onClick={() =>
                    void act(
                      action.run('syncConnector', { connectorId: connector.id, mode: 'incremental' }),
                      `Sync of ${connector.name} queued.`,
                    )
                  }
                  data-testid="sync-now"
                >
                  Sync now
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={Boolean(job) || connector.status === 'paused'}
                  onClick={() =>
                    void act(
                      action.run('syncConnector', { connectorId: connector.id, mode: 'full' }),
                      `Full sync of ${connector.name} queued.`,
                    )
                  }
                  title="Re-read everything, not just what changed"
                  data-testid="sync-full"
                >
                  Full sync
                </button>
                {connector.status === 'paused' ? (
                  <button
                    type="button"
                    className="btn"
                    onClick={() =>
                      void act(
                        action.run('resumeConnector', { connectorId: connector.id }),
                        `${connector.name} resumed.`,
                      )
                    }
                    data-testid="resume"
                  >
                    Resume
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn"
                    onClick={() =>
                      void act(action.run('pauseConnector', { connectorId: connector.id }), `${connector.name} paused.`)
                    }
                    data-testid="pause"
                  >
                    Pause
                  </button>
                )}
                <button type="button" className="btn" onClick={() => setEditing(connector)} data-testid="edit">
                  Settings
                </button>
                <button
                  type="button"
                  className="btn btn-danger-ghost"
                  onClick={() => setRemoving(connector)}
                  data-testid="remove"
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {adding && (
        <AddConnectorDialog
          onClose={() => setAdding(false)}
          onAdded={(name) => {
            setAdding(false);
            props.notify(`${name} added. The first sync has started.`);
            connectors.reload();
            jobs.reload();
          }}
        />
      )}
      {editing && (
        <EditConnectorDialog
          connector={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            connectors.reload();
          }}
        />
      )}
      {removing && (
        <RemoveConnectorDialog
          connector={removing}
          onClose={() => setRemoving(null)}
          onRemoved={(summary) => {
            setRemoving(null);
            props.notify(`Removed ${removing.name}: ${plural(summary.documents, 'document')} deleted from the index.`);
            connectors.reload();
          }}
        />
      )}
    </div>
  );
}
