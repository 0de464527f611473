import { useAction, useCommand } from '../api/hooks';
import { EmptyState, ErrorBanner, PageHeader } from '../ui/components';
import { formatRelative } from '../ui/format';

export function NotificationsScreen() {
  const list = useCommand('listNotifications', { limit: 200 }, { refreshOn: (e) => e.type === 'notification.created' });
  const action = useAction();
  const items = list.data?.items ?? [];
  const markAll = async () => {
    await action.run('markNotificationsRead', {});
    list.reload();
  };
  return (
    <div className="screen">
      <PageHeader
        title="Notifications"
        subtitle="What happened while you were away: finished syncs and documents that could not be read."
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
          Notifications appear when a sync finishes or a document fails to import.
        </EmptyState>
      )}
      <ul className="notification-list" data-testid="notifications">
        {items.map((n) => (
          <li
            key={n.id}
            className={`card notification notification-${n.level} ${n.readAt ? '' : 'notification-unread'}`}
            data-testid="notification"
          >
            <div className="notification-head">
              <strong>{n.title}</strong>
              <span className="muted small">{formatRelative(n.createdAt)}</span>
            </div>
            {n.message && <p>{n.message}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
