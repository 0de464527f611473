import { z } from 'zod';
import { ConnectorStatus, Count, ErrorInfoSchema, Id, Timestamp } from './common';
import { ModelStatus, NotificationItem, StorageStatusView } from './settings';
import { RunProgress, SyncLogStatus } from './sync-logs';

/** The UI's screens, addressable from menus and links. */
export const Screen = z.enum(['search', 'connectors', 'history', 'activity', 'import', 'settings', 'notifications']);
export type Screen = z.infer<typeof Screen>;

export const JobPhase = z.enum(['queued', 'started', 'progress', 'retrying', 'succeeded', 'failed', 'cancelled']);
export type JobPhase = z.infer<typeof JobPhase>;

/**
 * Events the core pushes to the UI, one discriminated union on `type`.
 * They are hints to refresh and to animate progress; the commands remain
 * the source of truth, so a missed event costs freshness, never correctness.
 */
export const TroveEvent = z.discriminatedUnion('type', [
  /** Lifecycle of background jobs other than indexing one document (those are counted in `run.progress`). */
  z.object({
    type: z.literal('job'),
    phase: JobPhase,
    jobId: Id,
    jobType: z.string(),
    connectorId: Id.nullable(),
    documentId: Id.nullable(),
    /** 0..1 when known. */
    progress: z.number().min(0).max(1).nullable(),
    message: z.string().nullable(),
    error: ErrorInfoSchema.nullable(),
    attempts: Count,
    maxAttempts: Count,
    at: Timestamp,
  }),
  /** A run moved (aggregated: a few per second at most, never one per document). */
  z.object({ type: z.literal('run.progress'), run: RunProgress, at: Timestamp }),
  z.object({
    type: z.literal('connector.changed'),
    connectorId: Id,
    /** null when the connector was removed. */
    status: ConnectorStatus.nullable(),
    at: Timestamp,
  }),
  z.object({
    type: z.literal('sync.finished'),
    connectorId: Id,
    syncLogId: Id,
    status: SyncLogStatus,
    documentsSynced: Count,
    documentsFailed: Count,
    at: Timestamp,
  }),
  z.object({
    type: z.literal('model.download'),
    modelId: z.string(),
    status: ModelStatus,
    downloadedBytes: Count,
    totalBytes: Count.nullable(),
    error: z.string().nullable(),
    at: Timestamp,
  }),
  z.object({ type: z.literal('notification.created'), notification: NotificationItem }),
  /** Notifications were marked read or removed with their connector: how many are unread now. */
  z.object({ type: z.literal('notifications.changed'), unreadCount: Count, at: Timestamp }),
  /** The data disk filled up or failed (background work paused), or takes writes again. */
  z.object({ type: z.literal('storage.changed'), storage: StorageStatusView, at: Timestamp }),
  /** The embedding model became ready, or stopped being (search modes follow it). */
  z.object({
    type: z.literal('embedding.changed'),
    status: z.enum(['ready', 'loading', 'needs_model', 'needs_key', 'error']),
    at: Timestamp,
  }),
  /**
   * Another process changed the library (the CLI beside the app added a
   * folder or imported files): every live view looks again.
   */
  z.object({ type: z.literal('library.changed'), at: Timestamp }),
  /** From the desktop shell (menu, tray): show a screen. */
  z.object({
    type: z.literal('shell.navigate'),
    screen: Screen,
    /** 'pick': also open that screen's picker (Import Files…, Add Folder… in the menu). */
    action: z.enum(['pick']).optional(),
  }),
]);
export type TroveEvent = z.infer<typeof TroveEvent>;
export type TroveEventType = TroveEvent['type'];
export type TroveEventOf<T extends TroveEventType> = Extract<TroveEvent, { type: T }>;
