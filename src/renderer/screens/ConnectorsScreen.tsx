import { useEffect, useState } from 'react';
import type { ConnectorSummary, Screen } from '../../shared/contract';
import { useAction, useCommand } from '../api/hooks';
import { FailuresDialog, type FailureScope } from '../runs/failures';
import { RunProgressView } from '../runs/run-progress';
import { EmptyState, ErrorBanner, PageHeader, StatusBadge } from '../ui/components';
import { CONNECTOR_TYPE_LABEL } from '../../shared/connector-labels';
import { formatCount, formatRelative, plural } from '../ui/format';
import { AddConnectorDialog } from './AddConnectorDialog';
import { EditConnectorDialog, RemoveConnectorDialog } from './ConnectorDialogs';

export function ConnectorsScreen(props: {
  notify: (message: string) => void;
  onNavigate: (screen: Screen) => void;
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
  const [failures, setFailures] = useState<{ title: string; scope: FailureScope } | null>(null);
  // One list refresh covers every card: run progress is aggregated by the core, a few events a second at most.
  const connectors = useCommand(
    'listConnectors',
    {},
    {
      refreshOn: (e) =>
        e.type === 'connector.changed' ||
        e.type === 'sync.finished' ||
        e.type === 'run.progress' ||
        (e.type === 'job' && e.jobType === 'sync_connector' && e.phase !== 'progress'),
      throttleMs: 250,
    },
  );
  const action = useAction();

  const act = async (promise: Promise<unknown>, message: string) => {
    if (await promise) props.notify(message);
    connectors.reload();
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
        {items.map((connector) => (
          <ConnectorCard
            key={connector.id}
            connector={connector}
            busy={action.busy}
            onSync={(mode) =>
              void act(
                action.run('syncConnector', { connectorId: connector.id, mode }),
                `${mode === 'full' ? 'Full sync' : 'Sync'} of ${connector.name} queued.`,
              )
            }
            onCancel={() =>
              connector.run &&
              void act(action.run('cancelRun', { syncLogId: connector.run.syncLogId }), `${connector.name}: cancelled.`)
            }
            onPause={(paused) =>
              void act(
                action.run(paused ? 'pauseConnector' : 'resumeConnector', { connectorId: connector.id }),
                `${connector.name} ${paused ? 'paused' : 'resumed'}.`,
              )
            }
            onEdit={() => setEditing(connector)}
            onRemove={() => setRemoving(connector)}
            onImportMore={() => props.onNavigate('import')}
            onShowFailures={(status) =>
              setFailures({
                title: `${status === 'error' ? 'Failed' : 'Skipped'} in ${connector.name}`,
                scope: { connectorId: connector.id, status },
              })
            }
          />
        ))}
      </ul>
      {adding && (
        <AddConnectorDialog
          onClose={() => setAdding(false)}
          onAdded={(name) => {
            setAdding(false);
            props.notify(`${name} added. The first sync has started.`);
            connectors.reload();
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
      {failures && (
        <FailuresDialog
          title={failures.title}
          scope={failures.scope}
          onClose={() => setFailures(null)}
          notify={props.notify}
        />
      )}
    </div>
  );
}

function ConnectorCard(props: {
  connector: ConnectorSummary;
  busy: boolean;
  onSync: (mode: 'incremental' | 'full') => void;
  onCancel: () => void;
  onPause: (paused: boolean) => void;
  onEdit: () => void;
  onRemove: () => void;
  onImportMore: () => void;
  onShowFailures: (status: 'error' | 'skipped') => void;
}) {
  const { connector } = props;
  const counts = connector.documentCounts;
  const run = connector.run;
  const isImport = connector.type === 'local_import';
  const paused = connector.status === 'paused';
  const badge = run
    ? { status: 'running', label: run.phase === 'syncing' ? 'syncing' : 'indexing' }
    : connector.syncQueued
      ? { status: 'queued', label: 'sync queued' }
      : { status: connector.status, label: undefined };
  return (
    <li
      className="card connector"
      data-testid="connector-card"
      data-connector-id={connector.id}
      data-busy={connector.syncing ? 'true' : 'false'}
    >
      <div className="connector-head">
        <div className="connector-title">
          <h2 className="connector-name">{connector.name}</h2>
          <div className="muted connector-where">
            {CONNECTOR_TYPE_LABEL[connector.type]}
            {typeof connector.settings.path === 'string' ? ` · ${connector.settings.path}` : ''}
          </div>
        </div>
        <StatusBadge status={badge.status} label={badge.label} />
      </div>
      {run && <RunProgressView run={run} label={`Sync of ${connector.name}`} testId="connector-progress" />}
      {!run && connector.syncQueued && (
        <p className="muted small" data-testid="connector-queued">
          Waiting for another sync to finish…
        </p>
      )}
      <dl className="stats">
        <div>
          <dt>Indexed</dt>
          <dd data-testid="doc-count-completed">{formatCount(counts.completed)}</dd>
        </div>
        <div>
          <dt>Waiting</dt>
          <dd data-testid="doc-count-pending">{formatCount(counts.pending + counts.processing)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-testid="doc-count-error">
            <CountLink
              count={counts.error}
              onOpen={() => props.onShowFailures('error')}
              className="link text-bad"
              testId="show-failed"
              title="See which files failed and why"
            />
          </dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>
            <CountLink
              count={counts.skipped}
              onOpen={() => props.onShowFailures('skipped')}
              className="link"
              testId="show-skipped"
              title="See which files were left out and why"
            />
          </dd>
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
        {isImport ? (
          <button type="button" className="btn" onClick={props.onImportMore} data-testid="import-more">
            Import more…
          </button>
        ) : (
          <>
            <button
              type="button"
              className="btn"
              disabled={connector.syncing || paused || props.busy}
              onClick={() => props.onSync('incremental')}
              data-testid="sync-now"
            >
              Sync now
            </button>
            <button
              type="button"
              className="btn"
              disabled={connector.syncing || paused || props.busy}
              onClick={() => props.onSync('full')}
              title="Re-read everything, not just what changed"
              data-testid="sync-full"
            >
              Full sync
            </button>
          </>
        )}
        {run && (
          <button type="button" className="btn" onClick={props.onCancel} data-testid="cancel-run">
            Cancel
          </button>
        )}
        {!isImport &&
          (paused ? (
            <button type="button" className="btn" onClick={() => props.onPause(false)} data-testid="resume">
              Resume
            </button>
          ) : (
            <button type="button" className="btn" onClick={() => props.onPause(true)} data-testid="pause">
              Pause
            </button>
          ))}
        {!isImport && (
          <button type="button" className="btn" onClick={props.onEdit} data-testid="edit">
            Settings
          </button>
        )}
        <button type="button" className="btn btn-danger-ghost" onClick={props.onRemove} data-testid="remove">
          Remove
        </button>
      </div>
    </li>
  );
}

/** A count that opens the list behind it, or a plain 0. */
function CountLink(props: { count: number; onOpen: () => void; className: string; testId: string; title: string }) {
  if (props.count === 0) return <>0</>;
  return (
    <button
      type="button"
      className={props.className}
      onClick={props.onOpen}
      data-testid={props.testId}
      title={props.title}
    >
      {formatCount(props.count)}
    </button>
  );
}
