import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { newId } from '../ids';
import { fromJson, toJson } from './json';

export type SyncType = 'manual' | 'scheduled' | 'webhook' | 'watcher' | 'import';
export type SyncLogStatus = 'running' | 'success' | 'partial' | 'failed';

export interface SyncCounts {
  documentsSynced: number;
  documentsUpdated: number;
  documentsFailed: number;
  documentsDeleted: number;
  documentsSkipped: number;
  apiCallsMade: number;
  bytesTransferred: number;
}

export interface SyncLog extends SyncCounts {
  id: string;
  connectorId: string;
  jobId: string | null;
  syncType: SyncType;
  fullSync: boolean;
  startedAt: number;
  completedAt: number | null;
  durationMs: number | null;
  status: SyncLogStatus;
  errorMessage: string | null;
  errorDetails: unknown;
  metadata: Record<string, unknown>;
}

interface SyncLogRow {
  id: string;
  connector_id: string;
  job_id: string | null;
  sync_type: SyncType;
  full_sync: number;
  started_at: number;
  completed_at: number | null;
  duration_ms: number | null;
  status: SyncLogStatus;
  documents_synced: number;
  documents_updated: number;
  documents_failed: number;
  documents_deleted: number;
  documents_skipped: number;
  error_message: string | null;
  error_details: string | null;
  metadata: string;
  api_calls_made: number;
  bytes_transferred: number;
}

const toLog = (r: SyncLogRow): SyncLog => ({
  id: r.id,
  connectorId: r.connector_id,
  jobId: r.job_id,
  syncType: r.sync_type,
  fullSync: r.full_sync === 1,
  startedAt: r.started_at,
  completedAt: r.completed_at,
  durationMs: r.duration_ms,
  status: r.status,
  documentsSynced: r.documents_synced,
  documentsUpdated: r.documents_updated,
  documentsFailed: r.documents_failed,
  documentsDeleted: r.documents_deleted,
  documentsSkipped: r.documents_skipped,
  errorMessage: r.error_message,
  errorDetails: fromJson(r.error_details, null),
  metadata: fromJson(r.metadata, {}),
  apiCallsMade: r.api_calls_made,
  bytesTransferred: r.bytes_transferred,
});

/** connector_sync_logs: one row per sync run, written at start and finished at the end. */
export class SyncLogsRepo {
  private readonly stmts;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      start: db.prepare(
        `INSERT INTO connector_sync_logs (id, connector_id, job_id, sync_type, full_sync, started_at, status, created_at)
         VALUES (@id, @connectorId, @jobId, @syncType, @fullSync, @now, 'running', @now)`,
      ),
      finish: db.prepare(
        `UPDATE connector_sync_logs SET status = @status, completed_at = @now, duration_ms = @now - started_at,
           documents_synced = @documentsSynced, documents_updated = @documentsUpdated,
           documents_failed = @documentsFailed, documents_deleted = @documentsDeleted,
           documents_skipped = @documentsSkipped, api_calls_made = @apiCallsMade,
           bytes_transferred = @bytesTransferred, error_message = @errorMessage, error_details = @errorDetails,
           metadata = @metadata
         WHERE id = @id`,
      ),
      get: db.prepare(`SELECT * FROM connector_sync_logs WHERE id = ?`),
      list: db.prepare(
        `SELECT * FROM connector_sync_logs WHERE (@connectorId IS NULL OR connector_id = @connectorId)
           AND (@before IS NULL OR started_at < @before) AND (@since IS NULL OR started_at >= @since)
         ORDER BY started_at DESC, id LIMIT @limit OFFSET @offset`,
      ),
      closeOrphans: db.prepare(
        `UPDATE connector_sync_logs SET status = 'failed', completed_at = @now, duration_ms = @now - started_at,
           error_message = 'Trove stopped before this sync finished; it was run again.'
         WHERE status = 'running' AND connector_id = @connectorId`,
      ),
    };
  }

  start(input: { connectorId: string; jobId: string | null; syncType: SyncType; fullSync: boolean }): string {
    const id = newId();
    this.stmts.start.run({ ...input, id, fullSync: input.fullSync ? 1 : 0, now: this.clock.now() });
    return id;
  }

  finish(
    id: string,
    status: Exclude<SyncLogStatus, 'running'>,
    counts: SyncCounts,
    error?: { message: string; details?: unknown },
    metadata: Record<string, unknown> = {},
  ): void {
    this.stmts.finish.run({
      id,
      status,
      ...counts,
      errorMessage: error?.message ?? null,
      errorDetails: error?.details === undefined ? null : toJson(error.details),
      metadata: toJson(metadata),
      now: this.clock.now(),
    });
  }

  get(id: string): SyncLog | undefined {
    const row = this.stmts.get.get(id) as SyncLogRow | undefined;
    return row && toLog(row);
  }

  /** Runs newest first; `before` / `since` bound started_at (exclusive / inclusive). */
  list(
    filter: { connectorId?: string; before?: number; since?: number; limit?: number; offset?: number } = {},
  ): SyncLog[] {
    return (
      this.stmts.list.all({
        connectorId: filter.connectorId ?? null,
        before: filter.before ?? null,
        since: filter.since ?? null,
        limit: filter.limit ?? 100,
        offset: filter.offset ?? 0,
      }) as SyncLogRow[]
    ).map(toLog);
  }

  /**
   * Closes runs of this connector left 'running' by a process that died.
   * Only one sync of a connector runs at a time (the queue's serial key), so
   * at the start of a sync every other running row of it is an orphan.
   */
  closeOrphans(connectorId: string): number {
    return this.stmts.closeOrphans.run({ connectorId, now: this.clock.now() }).changes;
  }
}
