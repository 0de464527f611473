import { z } from 'zod';
import { command, Count, Id, Timestamp } from './common';

export const SyncLogStatus = z.enum(['running', 'success', 'partial', 'failed']);
export type SyncLogStatus = z.infer<typeof SyncLogStatus>;
export const SyncType = z.enum(['manual', 'scheduled', 'webhook', 'watcher', 'import']);
export type SyncType = z.infer<typeof SyncType>;
/**
 * A run is a sync plus the indexing it caused. `syncing`: the connector is
 * listing and reading (how many files in all is not known yet); `indexing`:
 * listing is over and `toIndex` is final; `done`: every document it queued is
 * indexed or failed.
 */
export const RunPhase = z.enum(['syncing', 'indexing', 'done']);
export type RunPhase = z.infer<typeof RunPhase>;

/** Where a run is, counted over its documents. Pushed as `run.progress`, at most a few times a second. */
export const RunProgress = z.object({
  syncLogId: Id,
  connectorId: Id,
  phase: RunPhase,
  status: SyncLogStatus,
  startedAt: Timestamp,
  /** Files or items the connector has looked at so far. */
  examined: Count,
  /** How many it will look at, when the connector knows (null while it is still listing). */
  examineTotal: Count.nullable(),
  /** Documents this run queued for indexing; final from phase `indexing` on. */
  toIndex: Count,
  /** Of those, how many are indexed or failed. */
  indexed: Count,
  /** Documents of the run still waiting or being indexed. */
  pending: Count,
  /** Documents of the run that failed (while reading or indexing). */
  failed: Count,
  skipped: Count,
});
export type RunProgress = z.infer<typeof RunProgress>;

export const SyncLogSummary = z.object({
  id: Id,
  connectorId: Id,
  connectorName: z.string(),
  jobId: Id.nullable(),
  syncType: SyncType,
  fullSync: z.boolean(),
  startedAt: Timestamp,
  completedAt: Timestamp.nullable(),
  durationMs: Count.nullable(),
  status: SyncLogStatus,
  /**
   * A failed run that was stopped rather than going wrong: the person
   * cancelled it, or Trove was closed or stopped while it ran. Its documents
   * are read by the next sync; the screens show it as stopped, not failed.
   */
  stopped: z.boolean(),
  documentsSynced: Count,
  documentsUpdated: Count,
  documentsFailed: Count,
  documentsDeleted: Count,
  documentsSkipped: Count,
  errorMessage: z.string().nullable(),
  apiCallsMade: Count,
  bytesTransferred: Count,
  phase: RunPhase,
  /** What started the run, for people: "First sync", "Import", "File change", "Retry"… */
  kindLabel: z.string(),
  /** Listing and reading, ms (null while it runs). */
  syncDurationMs: Count.nullable(),
  /** Indexing after the listing ended, ms (null until the run is done). */
  indexingDurationMs: Count.nullable(),
  documentsToIndex: Count,
  documentsExamined: Count,
  /** Live progress while the run is open; null once done. */
  progress: RunProgress.nullable(),
});
export type SyncLogSummary = z.infer<typeof SyncLogSummary>;

/** One entry of `error_details`: which item failed and why, by name and path, never by an internal id. */
export const SyncErrorDetail = z.object({
  title: z.string().optional(),
  path: z.string().optional(),
  code: z.string().optional(),
  message: z.string(),
});
export type SyncErrorDetail = z.infer<typeof SyncErrorDetail>;

export const SyncLogDetail = SyncLogSummary.extend({
  errorDetails: z.array(SyncErrorDetail),
  metadata: z.record(z.string(), z.unknown()),
});
export type SyncLogDetail = z.infer<typeof SyncLogDetail>;

export const TimelineBucket = z.enum(['hour', 'day']);
export const TimelinePoint = z.object({
  /** Start of the bucket (epoch ms, UTC). */
  start: Timestamp,
  runs: Count,
  synced: Count,
  updated: Count,
  failed: Count,
  deleted: Count,
});
export type TimelinePoint = z.infer<typeof TimelinePoint>;

export const syncLogCommands = {
  listSyncLogs: command({
    summary: "Sync runs, newest first; page with `before` = the last item's startedAt.",
    input: z.object({
      connectorId: Id.optional(),
      before: Timestamp.optional(),
      /** Only runs still open (syncing or indexing). */
      openOnly: z.boolean().default(false),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.object({ items: z.array(SyncLogSummary), nextBefore: Timestamp.nullable() }),
  }),
  cancelRun: command({
    summary: 'Stop a run: its sync and the indexing of its documents not done yet (the next sync picks them up).',
    input: z.object({ syncLogId: Id }),
    output: z.object({ cancelledJobs: Count }),
  }),
  getSyncLog: command({
    summary: 'One run with its error details.',
    input: z.object({ syncLogId: Id }),
    output: z.object({ log: SyncLogDetail }),
  }),
  syncLogTimeline: command({
    summary: 'Documents synced and failures per bucket, for the history chart. Empty buckets are included.',
    input: z.object({
      connectorId: Id.optional(),
      /** Default: 14 days (bucket day) or 48 hours (bucket hour) before `to`. */
      from: Timestamp.optional(),
      /** Default: now. */
      to: Timestamp.optional(),
      bucket: TimelineBucket.default('day'),
    }),
    output: z.object({ bucket: TimelineBucket, points: z.array(TimelinePoint) }),
  }),
};
