import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import { jobConnectorId } from '../jobs';
import type { SyncType } from '../store/sync-logs.repo';

/** What asks for a sync: a person, the folder watcher, a webhook, an import. */
export interface SyncRequest {
  mode: 'full' | 'incremental';
  syncType: SyncType;
  /** Only these documents (e.g. the Notion pages a webhook names). */
  onlyExternalIds?: string[];
  /** An import of new paths: only these are scanned. */
  roots?: string[];
  /** External ids to read again even if unchanged (a retry). */
  reread?: string[];
  /** Asked for because Trove's parsers were updated: files read by the earlier ones are read again. */
  afterUpdate?: boolean;
  /** A folder caught up at start-up, for what changed while nothing watched it. */
  atStart?: boolean;
  /** Queue deduplication key; default `syncJobKey` for whole-connector syncs, none for targeted ones. */
  key?: string;
  /** Start no earlier than this many ms from now. */
  delayMs?: number;
}

/**
 * Queue keys of sync_connector jobs. Incremental syncs of a connector share
 * one key, which is what coalesces a burst of changes. Targeted syncs hash
 * their id set, so repeated edits of one page coalesce but edits of different
 * pages are all kept. Full syncs get their own key so a queued incremental
 * sync cannot swallow one.
 */
export function syncJobKey(connectorId: string, mode: 'incremental' | 'full', onlyExternalIds?: string[]): string {
  if (mode === 'full') return `sync:${connectorId}:full`;
  if (!onlyExternalIds || onlyExternalIds.length === 0) return `sync:${connectorId}`;
  const digest = createHash('sha256')
    .update([...onlyExternalIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
  return `sync:${connectorId}:ids:${digest}`;
}

/** The part of the job queue sync requests use. */
export interface SyncJobQueue {
  enqueue(
    type: 'sync_connector',
    payload: { connectorId: string } & Omit<SyncRequest, 'key' | 'delayMs'>,
    options: { key?: string; priority: number; runAt?: number },
  ): { id: string; deduplicated: boolean };
  get(id: string): { status: string } | undefined;
  list(query: {
    status: Array<'queued' | 'running'>;
    limit: number;
  }): Array<{ id: string; type: string; payload: unknown }>;
  cancel(id: string): unknown;
}

/** Syncs run before indexing work of earlier syncs (process_imported_doc runs at 0). */
const SYNC_PRIORITY = 10;

/**
 * The one way a sync is queued. A sync already queued absorbs a new request;
 * one already running may have walked past the change, so a single follow-up
 * is queued behind it (the connector's serial key keeps them in order).
 */
export class SyncRequests {
  constructor(private readonly deps: { queue: SyncJobQueue; clock: Clock }) {}

  request(connectorId: string, request: SyncRequest): { jobId: string } {
    const { queue, clock } = this.deps;
    const { key: requestedKey, delayMs, ...rest } = request;
    const payload = { connectorId, ...rest };
    const runAt = delayMs ? clock.now() + delayMs : undefined;
    const targeted = request.onlyExternalIds || request.roots || request.reread;
    const key = requestedKey ?? (targeted ? undefined : syncJobKey(connectorId, request.mode));
    const first = queue.enqueue('sync_connector', payload, { key, priority: SYNC_PRIORITY, runAt });
    if (key && first.deduplicated && queue.get(first.id)?.status === 'running') {
      const followUp = queue.enqueue('sync_connector', payload, {
        key: `${key}:follow-up`,
        priority: SYNC_PRIORITY,
        runAt,
      });
      return { jobId: followUp.id };
    }
    return { jobId: first.id };
  }

  /** Cancels every queued or running job that works for this connector (before it is removed or paused). */
  cancelJobsOf(connectorId: string): void {
    const { queue } = this.deps;
    for (const job of queue.list({ status: ['queued', 'running'], limit: 1000 })) {
      if (jobConnectorId(job) === connectorId) queue.cancel(job.id);
    }
  }
}
