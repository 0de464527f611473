import type { NotificationLevel } from '../../../shared/contract/settings';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { fromJson, toJson } from './json';

/** Defined once, in the contract. */
export type { NotificationLevel };

export interface NotificationInput {
  type: string;
  level?: NotificationLevel;
  title: string;
  message?: string | null;
  connectorId?: string | null;
  documentId?: string | null;
  jobId?: string | null;
  data?: Record<string, unknown>;
}

export interface Notification extends Required<Omit<NotificationInput, 'data'>> {
  id: number;
  data: Record<string, unknown>;
  readAt: number | null;
  createdAt: number;
}

interface EventRow {
  id: number;
  type: string;
  level: NotificationLevel;
  title: string;
  message: string | null;
  connector_id: string | null;
  document_id: string | null;
  job_id: string | null;
  data: string;
  read_at: number | null;
  created_at: number;
}

const toNotification = (r: EventRow): Notification => ({
  id: r.id,
  type: r.type,
  level: r.level,
  title: r.title,
  message: r.message,
  connectorId: r.connector_id,
  documentId: r.document_id,
  jobId: r.job_id,
  data: fromJson(r.data, {}),
  readAt: r.read_at,
  createdAt: r.created_at,
});

/** The `events` feed: notifications the UI shows (sync finished, document failed, ...). */
export class EventsRepo {
  private readonly stmts;
  private readonly listeners = new Set<(n: Notification) => void>();
  private readonly unreadListeners = new Set<(unread: number) => void>();

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO events (type, level, title, message, connector_id, document_id, job_id, data, created_at)
         VALUES (@type, @level, @title, @message, @connectorId, @documentId, @jobId, @data, @now) RETURNING *`,
      ),
      list: db.prepare(
        `SELECT * FROM events WHERE (@unreadOnly = 0 OR read_at IS NULL) AND (@beforeId IS NULL OR id < @beforeId)
         ORDER BY id DESC LIMIT @limit`,
      ),
      markRead: db.prepare(`UPDATE events SET read_at = @now WHERE read_at IS NULL AND (@id IS NULL OR id = @id)`),
      unread: db.prepare(`SELECT COUNT(*) AS n FROM events WHERE read_at IS NULL`),
      prune: db.prepare(`DELETE FROM events WHERE created_at < ?`),
      removeForConnector: db.prepare(`DELETE FROM events WHERE connector_id = ?`),
    };
  }

  /** Records a notification and tells live listeners (the UI's event stream). */
  record(input: NotificationInput): Notification {
    const row = this.stmts.insert.get({
      type: input.type,
      level: input.level ?? 'info',
      title: input.title,
      message: input.message ?? null,
      connectorId: input.connectorId ?? null,
      documentId: input.documentId ?? null,
      jobId: input.jobId ?? null,
      data: toJson(input.data ?? {}),
      now: this.clock.now(),
    }) as EventRow;
    const notification = toNotification(row);
    for (const listener of this.listeners) listener(notification);
    return notification;
  }

  onRecord(listener: (n: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells `listener` how many notifications are unread after some were read
   * or removed (a new one comes through onRecord): the sidebar's count had
   * stayed after "Mark all read" until the next notification.
   */
  onUnreadChange(listener: (unread: number) => void): () => void {
    this.unreadListeners.add(listener);
    return () => this.unreadListeners.delete(listener);
  }

  list(filter: { unreadOnly?: boolean; beforeId?: number; limit?: number } = {}): Notification[] {
    return (
      this.stmts.list.all({
        unreadOnly: filter.unreadOnly ? 1 : 0,
        beforeId: filter.beforeId ?? null,
        limit: filter.limit ?? 50,
      }) as EventRow[]
    ).map(toNotification);
  }

  markRead(id?: number): number {
    return this.announced(this.stmts.markRead.run({ id: id ?? null, now: this.clock.now() }).changes);
  }

  unreadCount(): number {
    return (this.stmts.unread.get() as { n: number }).n;
  }

  /** Notifications about a connector that was removed. */
  removeForConnector(connectorId: string): number {
    return this.announced(this.stmts.removeForConnector.run(connectorId).changes);
  }

  prune(olderThanMs: number): number {
    return this.announced(this.stmts.prune.run(this.clock.now() - olderThanMs).changes);
  }

  /** Tells the unread listeners the new count when `changes` rows were read or removed; returns `changes`. */
  private announced(changes: number): number {
    if (changes > 0 && this.unreadListeners.size > 0) {
      const unread = this.unreadCount();
      for (const listener of this.unreadListeners) listener(unread);
    }
    return changes;
  }
}
