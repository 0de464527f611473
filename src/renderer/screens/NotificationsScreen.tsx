import { useState } from 'react';
import type { NotificationItem, Screen } from '../../shared/contract';
import { useAction, useCommand } from '../api/hooks';
import { FailuresDialog } from '../runs/failures';
import { EmptyState, ErrorBanner, PageHeader } from '../ui/components';
import { formatRelative } from '../ui/format';

/** Notifications in a row about the same connector are one group, newest first; older ones fold away. */
function groupByConnector(items: NotificationItem[]): NotificationItem[][] {
  const groups: NotificationItem[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last[0]!.connectorId !== null && last[0]!.connectorId === item.connectorId) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

export function NotificationsScreen(props: { notify: (message: string) => void; onNavigate: (s: Screen) => void }) {
  const list = useCommand(
    'listNotifications',
    { limit: 200 },
    { refreshOn: (e) => e.type === 'notification.created' || e.type === 'notifications.changed' },
  );
  const action = useAction();
  const [failures, setFailures] = useState<NotificationItem | null>(null);
  const items = list.data?.items ?? [];
  const markAll = async () => {
    await action.run('markNotificationsRead', {});
    list.reload();
  };
  return (
    <div className="screen">
      <PageHeader
        title="Notifications"
        subtitle="Syncs that changed something, and files that could not be indexed."
        actions={
          (list.data?.unreadCount ?? 0) > 0 && (
            <button type="button" className="btn" onClick={() => void markAll()} data-testid="mark-all-read">
              Mark all read
            </button>
          )
        }
      />
      <ErrorBanner error={list.error ?? action.error} />
      {list.data && items.length === 0 && (
        <EmptyState title="Nothing new">
          Notifications appear when a sync brings new or changed documents, or a file cannot be indexed.
        </EmptyState>
      )}
      <ul className="notification-list" data-testid="notifications">
        {groupByConnector(items).map((group) => (
          <NotificationGroup
            key={group[0]!.id}
            group={group}
            onShowFailures={setFailures}
            onOpenConnectors={() => props.onNavigate('connectors')}
          />
        ))}
      </ul>
      {failures?.syncLogId && (
        <FailuresDialog
          title={failures.title}
          scope={{ syncLogId: failures.syncLogId }}
          onClose={() => setFailures(null)}
          notify={props.notify}
        />
      )}
    </div>
  );
}

function NotificationGroup(props: {
  group: NotificationItem[];
  onShowFailures: (n: NotificationItem) => void;
  onOpenConnectors: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [first, ...older] = props.group;
  const shown = open ? props.group : [first!];
  return (
    <li className="notification-group" data-testid="notification-group">
      {shown.map((n) => (
        <div
          key={n.id}
          className={`card notification notification-${n.level} ${n.readAt ? '' : 'notification-unread'}`}
          data-testid="notification"
        >
          <div className="notification-head">
            <strong>{n.title}</strong>
            <span className="muted small">{formatRelative(n.createdAt)}</span>
          </div>
          {n.message && <p>{n.message}</p>}
          <div className="row">
            {n.failedCount > 0 && n.syncLogId && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => props.onShowFailures(n)}
                data-testid="notification-show-files"
              >
                Show {n.failedCount === 1 ? 'the file' : `the ${n.failedCount} files`}
              </button>
            )}
            {n.connectorId && (
              <button type="button" className="btn btn-small btn-ghost" onClick={props.onOpenConnectors}>
                Open connector
              </button>
            )}
          </div>
        </div>
      ))}
      {older.length > 0 && (
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          data-testid="notification-group-toggle"
        >
          {open ? 'Show fewer' : `${older.length} earlier from the same source`}
        </button>
      )}
    </li>
  );
}
