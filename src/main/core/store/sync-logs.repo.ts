import {
  SyncType as SyncTypeSchema,
  type RunPhase,
  type SyncLogStatus,
  type SyncType,
} from '../../../shared/contract/sync-logs';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { newId } from '../ids';
import { fromJson, toJson } from './json';

/** Defined once, in the contract. */
export type { RunPhase, SyncLogStatus, SyncType };
export const SYNC_TYPES = SyncTypeSchema.options;
/** syncing: the connector is listing and reading; indexing: documents it queued are still being indexed. */

/** What a sync did to documents: new, changed, failed, removed, skipped. */
export interface DocumentCounts {
  documentsSynced: number;
  documentsUpdated: number;
  documentsFailed: number;
  documentsDeleted: number;
  documentsSkipped: number;
}

const NO_DOCUMENTS: DocumentCounts = {
  documentsSynced: 0,
  documentsUpdated: 0,
  documentsFailed: 0,
  documentsDeleted: 0,
  documentsSkipped: 0,
};

export interface SyncCounts extends DocumentCounts {
  apiCallsMade: number;
  bytesTransferred: number;
}

/** A run's counts before it has done anything. */
export function emptySyncCounts(): SyncCounts {
  return { ...NO_DOCUMENTS, apiCallsMade: 0, bytesTransferred: 0 };
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
  phase: RunPhase;
  /** When the connector finished listing and reading (indexing may go on). */
  syncCompletedAt: number | null;
  /** Documents this run queued for indexing. */
  documentsToIndex: number;
  /** Files or items the connector looked at. */
  documentsExamined: number;
}

/** A run's documents by status (those it queued, failed or skipped; unchanged ones are not part of it). */
export interface RunDocumentCounts {
  pending: number;
  processing: number;
  completed: number;
  error: number;
  skipped: number;
  deleted: number;
}

/**
 * A run left `syncing` with no live sync behind it. With a connector, every
 * syncing run of it but the one its starting sync carries on (`keep`): one
 * sync of a connector runs at a time. Without one, those whose job will not
 * run again: a running job belongs to a live process, this one or another
 * on the same library (the CLI beside the app), and a queued one was handed
 * back (a busy library, a dead process's lease taken back) and carries its
 * run on. A dead process's job reads 'running' until its lease is taken back.
 */
const ORPHAN = `phase = 'syncing' AND (@connectorId IS NULL OR connector_id = @connectorId)
  AND id IS NOT @keep
  AND (@connectorId IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM jobs j WHERE j.id = connector_sync_logs.job_id AND j.status IN ('queued', 'running')))`;

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
  phase: RunPhase;
  sync_completed_at: number | null;
  documents_to_index: number;
  documents_examined: number;
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
  phase: r.phase,
  syncCompletedAt: r.sync_completed_at,
  documentsToIndex: r.documents_to_index,
  documentsExamined: r.documents_examined,
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
        `INSERT INTO connector_sync_logs (id, connector_id, job_id, sync_type, full_sync, started_at, status, phase,
           sync_completed_at, metadata, created_at)
         VALUES (@id, @connectorId, @jobId, @syncType, @fullSync, @now, 'running', @phase,
           @syncCompletedAt, @metadata, @now)`,
      ),
      // The sync phase is over; the run stays open (status running) while
      // documents it queued are indexed. Its document counts were added as
      // each batch committed (addCounts); requests and bytes are this
      // attempt's, added to those of an attempt it resumed.
      syncDone: db.prepare(
        `UPDATE connector_sync_logs SET status = @status, phase = 'indexing', sync_completed_at = @now,
           api_calls_made = api_calls_made + @apiCallsMade,
           bytes_transferred = bytes_transferred + @bytesTransferred,
           error_message = @errorMessage, error_details = @errorDetails,
           metadata = json_patch(metadata, @metadata), documents_examined = @examined
         WHERE id = @id`,
      ),
      addCounts: db.prepare(
        `UPDATE connector_sync_logs SET documents_synced = documents_synced + @documentsSynced,
           documents_updated = documents_updated + @documentsUpdated,
           documents_failed = documents_failed + @documentsFailed,
           documents_deleted = documents_deleted + @documentsDeleted,
           documents_skipped = documents_skipped + @documentsSkipped
         WHERE id = @id`,
      ),
      openSyncOfJob: db
        .prepare(
          `SELECT id FROM connector_sync_logs WHERE connector_id = ? AND job_id = ? AND phase = 'syncing'
           ORDER BY started_at DESC LIMIT 1`,
        )
        .pluck(),
      finish: db.prepare(
        `UPDATE connector_sync_logs SET status = @status, phase = 'done', completed_at = @now,
           duration_ms = @now - started_at, documents_failed = @documentsFailed, documents_skipped = @documentsSkipped,
           error_message = COALESCE(@errorMessage, error_message), metadata = json_patch(metadata, @metadata)
         WHERE id = @id AND phase != 'done'`,
      ),
      markCancelled: db.prepare(
        `UPDATE connector_sync_logs SET metadata = json_set(metadata, '$.cancelled', json('true')) WHERE id = ?`,
      ),
      addToIndex: db.prepare(
        `UPDATE connector_sync_logs SET documents_to_index = documents_to_index + @n WHERE id = @id`,
      ),
      open: db.prepare(`SELECT * FROM connector_sync_logs WHERE phase != 'done' ORDER BY started_at`),
      runCounts: db.prepare(
        `SELECT sync_status AS status, COUNT(*) AS n FROM imported_documents WHERE sync_log_id = ? GROUP BY sync_status`,
      ),
      byJob: db.prepare(`SELECT * FROM connector_sync_logs WHERE job_id = ? ORDER BY started_at DESC LIMIT 1`),
      countForConnector: db.prepare(`SELECT COUNT(*) AS n FROM connector_sync_logs WHERE connector_id = ?`).pluck(),
      get: db.prepare(`SELECT * FROM connector_sync_logs WHERE id = ?`),
      list: db.prepare(
        `SELECT * FROM connector_sync_logs WHERE (@connectorId IS NULL OR connector_id = @connectorId)
           AND (@before IS NULL OR started_at < @before) AND (@since IS NULL OR started_at >= @since)
         ORDER BY started_at DESC, id LIMIT @limit OFFSET @offset`,
      ),
      // An orphan still has documents to index, so it moves on to indexing
      // (failed); the run tracker closes it once they are done.
      closeOrphans: db.prepare(
        `UPDATE connector_sync_logs SET status = 'failed', phase = 'indexing', sync_completed_at = @now,
           error_message = @message, error_details = '{"code":"CANCELLED"}'
         WHERE ${ORPHAN}`,
      ),
      // Read first: an UPDATE that changes nothing still waits for the write lock.
      hasOrphans: db.prepare(`SELECT EXISTS (SELECT 1 FROM connector_sync_logs WHERE ${ORPHAN})`).pluck(),
    };
  }

  /**
   * Opens a run. A sync starts in `syncing`; a run with nothing to list (a
   * retry of failed documents) starts in `indexing`.
   */
  start(input: {
    connectorId: string;
    jobId: string | null;
    syncType: SyncType;
    fullSync: boolean;
    phase?: Exclude<RunPhase, 'done'>;
    metadata?: Record<string, unknown>;
  }): string {
    const id = newId();
    const now = this.clock.now();
    const phase = input.phase ?? 'syncing';
    this.stmts.start.run({
      id,
      connectorId: input.connectorId,
      jobId: input.jobId,
      syncType: input.syncType,
      fullSync: input.fullSync ? 1 : 0,
      phase,
      syncCompletedAt: phase === 'indexing' ? now : null,
      metadata: toJson(input.metadata ?? {}),
      now,
    });
    return id;
  }

  /**
   * Ends the sync phase with the connector's counts. `failed` keeps its
   * status: the run still waits for the documents it queued before failing.
   */
  /**
   * Adds a batch's outcomes to the run's counts, in the transaction that
   * stores the batch: the row is true at every commit, and an attempt that
   * resumes the run (see openSyncOfJob) adds to them.
   */
  addCounts(id: string, delta: Partial<DocumentCounts>): void {
    this.stmts.addCounts.run({ ...NO_DOCUMENTS, ...delta, id });
  }

  /**
   * The run a previous attempt of this sync job left in its listing phase: it
   * met a library busy in another process, or its process died. The next
   * attempt carries it on rather than opening a second run.
   */
  openSyncOfJob(connectorId: string, jobId: string): string | undefined {
    return (this.stmts.openSyncOfJob.get(connectorId, jobId) as string | undefined) ?? undefined;
  }

  syncDone(
    id: string,
    status: 'running' | 'failed',
    counts: Pick<SyncCounts, 'apiCallsMade' | 'bytesTransferred'>,
    extra: {
      examined?: number;
      error?: { message: string; details?: unknown };
      metadata?: Record<string, unknown>;
    } = {},
  ): void {
    this.stmts.syncDone.run({
      id,
      status,
      apiCallsMade: counts.apiCallsMade,
      bytesTransferred: counts.bytesTransferred,
      examined: extra.examined ?? 0,
      errorMessage: extra.error?.message ?? null,
      errorDetails: extra.error?.details === undefined ? null : toJson(extra.error.details),
      metadata: toJson(extra.metadata ?? {}),
      now: this.clock.now(),
    });
  }

  /** Closes a run whose documents are all indexed or failed. False when it was already closed. */
  finish(
    id: string,
    outcome: {
      status: Exclude<SyncLogStatus, 'running'>;
      documentsFailed: number;
      documentsSkipped: number;
      errorMessage?: string | null;
      metadata?: Record<string, unknown>;
    },
  ): boolean {
    return (
      this.stmts.finish.run({
        id,
        status: outcome.status,
        documentsFailed: outcome.documentsFailed,
        documentsSkipped: outcome.documentsSkipped,
        errorMessage: outcome.errorMessage ?? null,
        metadata: toJson(outcome.metadata ?? {}),
        now: this.clock.now(),
      }).changes > 0
    );
  }

  /** Marks a run cancelled: it closes as failed, saying so. */
  markCancelled(id: string): void {
    this.stmts.markCancelled.run(id);
  }

  /** Counts documents queued by a run (inside the batch's transaction). */
  addToIndex(id: string, n: number): void {
    if (n > 0) this.stmts.addToIndex.run({ id, n });
  }

  /** Runs not yet done, oldest first. */
  openRuns(): SyncLog[] {
    return (this.stmts.open.all() as SyncLogRow[]).map(toLog);
  }

  /** The run's documents by status; one index range scan. */
  documentCounts(id: string): RunDocumentCounts {
    const counts: RunDocumentCounts = { pending: 0, processing: 0, completed: 0, error: 0, skipped: 0, deleted: 0 };
    for (const r of this.stmts.runCounts.all(id) as Array<{ status: keyof RunDocumentCounts; n: number }>) {
      counts[r.status] = r.n;
    }
    return counts;
  }

  /** The newest run started by a job. */
  byJob(jobId: string): SyncLog | undefined {
    const row = this.stmts.byJob.get(jobId) as SyncLogRow | undefined;
    return row && toLog(row);
  }

  countForConnector(connectorId: string): number {
    return this.stmts.countForConnector.get(connectorId) as number;
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
   * Fails the sync phase of runs left `syncing` with no sync to carry them on
   * (see ORPHAN): at start-up and on the run tracker's looks (no connector),
   * and when a connector's sync starts (every other of its runs but `keep`).
   * Documents such a run had queued are still indexed, and it closes when
   * they are.
   */
  closeOrphans(connectorId?: string, keep?: string): number {
    const scope = { connectorId: connectorId ?? null, keep: keep ?? null };
    if (!this.stmts.hasOrphans.get(scope)) return 0;
    return this.stmts.closeOrphans.run({
      ...scope,
      message: 'Trove stopped before this sync finished; it runs again.',
      now: this.clock.now(),
    }).changes;
  }
}
