import { z } from 'zod';
import { command, Count, Id, Timestamp } from './common';

export const SyncLogStatus = z.enum(['running', 'success', 'partial', 'failed']);
export const SyncType = z.enum(['manual', 'scheduled', 'webhook', 'watcher', 'import']);

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
  documentsSynced: Count,
  documentsUpdated: Count,
  documentsFailed: Count,
  documentsDeleted: Count,
  documentsSkipped: Count,
  errorMessage: z.string().nullable(),
  apiCallsMade: Count,
  bytesTransferred: Count,
});
export type SyncLogSummary = z.infer<typeof SyncLogSummary>;

/** One entry of `error_details`: which item failed and why. */
export const SyncErrorDetail = z.object({
  externalId: z.string().optional(),
  title: z.string().optional(),
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
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: z.object({ items: z.array(SyncLogSummary), nextBefore: Timestamp.nullable() }),
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
