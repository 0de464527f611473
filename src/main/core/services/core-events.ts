import type { ErrorInfo } from '../../../shared/errors';
import type { QueueEvents } from '../queue';
import { TypedEmitter } from '../queue';
import type { ConnectorStatus } from '../connectors/types';
import type { Notification } from '../store/events.repo';
import type { SyncLog } from '../store/sync-logs.repo';
import type { RunProgress } from '../../../shared/contract';
import type { EmbeddingState } from './embedding.service';
import type { StorageState } from './storage-health';

type JobEventName = keyof QueueEvents;

export const JOB_EVENT_NAMES: readonly JobEventName[] = [
  'queued',
  'started',
  'progress',
  'retrying',
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * Everything the core announces, as a typed map. The shell and the
 * browser mode forward these to the UI; the core never knows who listens.
 */
export interface CoreEventMap {
  job: { [E in JobEventName]: { event: E } & QueueEvents[E] }[JobEventName];
  notification: Notification;
  /** Notifications were read or removed: how many are unread now. */
  unreadNotifications: { unread: number };
  /** An open run moved (aggregated by the run tracker). */
  run: RunProgress;
  /** A run closed, with its final status and counts. */
  runFinished: SyncLog;
  /** A connector was added, changed state or was removed (status null). */
  connector: { connectorId: string; status: ConnectorStatus | null };
  embedding: EmbeddingState;
  /** Another process committed to the library; the connectors it added, changed or removed. */
  outsideWrites: { connectorsChanged: string[] };
  /** The data disk filled up or failed (background work paused), or takes writes again. */
  storage: StorageState;
  modelDownload: {
    modelId: string;
    file: string;
    receivedBytes: number;
    totalBytes: number | null;
    done: boolean;
    error: ErrorInfo | null;
  };
}

export class CoreEvents extends TypedEmitter<CoreEventMap> {}
