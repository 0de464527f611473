import type { RunProgress } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ConnectorsRepo } from '../store/connectors.repo';
import type { DocumentsRepo } from '../store/documents.repo';
import type { EventsRepo } from '../store/events.repo';
import type { SyncLog, SyncLogsRepo } from '../store/sync-logs.repo';
import { describeRunOutcome } from './run-notification';

export interface RunTrackerDeps {
  syncLogs: SyncLogsRepo;
  documents: DocumentsRepo;
  connectors: ConnectorsRepo;
  events: EventsRepo;
  clock: Clock;
  logger: Logger;
  /** One aggregated progress report per open run and tick, never one per document. */
  onProgress(progress: RunProgress): void;
  /** A run closed: its row holds the final status, counts and duration. */
  onFinished(run: SyncLog): void;
  /** How long after a change the tracker looks again. Default 100 ms. */
  debounceMs?: number;
  /** While runs are open, the tracker also looks this often, whatever happens. Default 1000 ms. */
  pollMs?: number;
}

/**
 * Keeps sync runs honest: a run (a connector_sync_logs row) stays open while
 * documents it queued are waiting to be indexed, and closes with the truth
 * once the last one is indexed or failed: status, counts over its documents,
 * duration, one notification if something changed or failed.
 *
 * Work is aggregated: document jobs only `poke` the tracker, which looks at
 * most once per `debounceMs` and counts each open run's documents with one
 * indexed query. A run left open by a process that died is closed by the
 * same loop after a restart (the documents it queued are re-queued or failed
 * by DocumentRecovery, so they all reach an end).
 */
export class RunTracker {
  private readonly examined = new Map<string, { examined: number; total: number | null }>();
  private readonly lastSent = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private poller: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(private readonly deps: RunTrackerDeps) {}

  /** At start-up, before the queue runs: syncs that were running when the process died end as failed. */
  recoverAtStart(): void {
    const orphans = this.deps.syncLogs.closeOrphans();
    if (orphans > 0) this.deps.logger.warn('closed sync runs left open by an earlier process', { orphans });
    this.tick();
  }

  /** The connector reported how far it got (kept in memory; reported on the next tick). */
  syncProgress(runId: string, examined: number, total: number | null): void {
    this.examined.set(runId, { examined, total });
    this.poke();
  }

  /** The sync phase of a run ended: look now, so a run with nothing to index closes at once. */
  syncPhaseEnded(runId: string): void {
    this.examined.delete(runId);
    this.tick();
  }

  /** Something changed (a document finished, a job ended): look again soon. */
  poke(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, this.deps.debounceMs ?? 100);
    this.timer.unref?.();
  }

  /** Reports every open run's progress and closes those with nothing left to index. */
  tick(): void {
    if (this.stopped) return;
    let open: SyncLog[];
    try {
      open = this.look();
    } catch (error) {
      // Another process holds the library's write lock past the busy
      // timeout: the poll looks again. (Or the database is closing, and
      // stop() ends the poll.) A throw here would end the process.
      this.deps.logger.debug('run tracker could not look at open runs', { error: String(error) });
      this.keepPolling(true);
      return;
    }
    this.keepPolling(open.length > 0);
  }

  /** Reports and closes runs; returns those still open. */
  private look(): SyncLog[] {
    let open = this.deps.syncLogs.openRuns();
    // A sync whose process died is let go once the queue has taken back its
    // job's lease (at start-up that job may still read 'running').
    if (open.some((run) => run.phase === 'syncing') && this.deps.syncLogs.closeOrphans() > 0) {
      open = this.deps.syncLogs.openRuns();
    }
    const stillOpen: SyncLog[] = [];
    for (const run of open) {
      const progress = this.progressOf(run);
      if (run.phase === 'indexing' && progress.pending === 0) {
        this.finish(run);
        continue;
      }
      stillOpen.push(run);
      const key = JSON.stringify(progress);
      if (this.lastSent.get(run.id) !== key) {
        this.lastSent.set(run.id, key);
        this.deps.onProgress(progress);
      }
    }
    return stillOpen;
  }

  /** The progress of one run now (also what the API shows for open runs). */
  progressOf(run: SyncLog): RunProgress {
    const counts = this.deps.syncLogs.documentCounts(run.id);
    const pending = counts.pending + counts.processing;
    const scan = this.examined.get(run.id);
    return {
      syncLogId: run.id,
      connectorId: run.connectorId,
      phase: run.phase,
      status: run.status,
      startedAt: run.startedAt,
      examined: scan?.examined ?? run.documentsExamined,
      examineTotal: scan?.total ?? null,
      toIndex: run.documentsToIndex,
      indexed: Math.max(0, run.documentsToIndex - pending),
      pending,
      failed: counts.error,
      skipped: counts.skipped,
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.poller);
  }

  private finish(run: SyncLog): void {
    const counts = this.deps.syncLogs.documentCounts(run.id);
    const cancelled = run.metadata.cancelled === true;
    const status = run.status === 'failed' || cancelled ? 'failed' : counts.error > 0 ? 'partial' : 'success';
    const closed = this.deps.syncLogs.finish(run.id, {
      status,
      // Counted over the run's documents: failures while reading and while indexing alike.
      documentsFailed: Math.max(counts.error, run.status === 'failed' ? run.documentsFailed : 0),
      documentsSkipped: Math.max(counts.skipped, run.documentsSkipped),
      errorMessage: cancelled ? 'Cancelled; documents not indexed yet are indexed by the next sync.' : null,
    });
    this.lastSent.delete(run.id);
    if (!closed) return;
    const final = this.deps.syncLogs.get(run.id)!;
    this.notify(final);
    this.deps.onFinished(final);
  }

  /** One notification per run, and only when something changed or failed. */
  private notify(run: SyncLog): void {
    const connector = this.deps.connectors.get(run.connectorId);
    if (!connector) return;
    const failedDocs = this.deps.documents.list({ syncLogId: run.id, statuses: ['error'], limit: 20 }).items;
    const outcome = describeRunOutcome(connector.name, run, failedDocs);
    if (!outcome) return;
    this.deps.events.record({
      type: 'sync.finished',
      level: outcome.level,
      title: outcome.title,
      message: outcome.message,
      connectorId: run.connectorId,
      documentId: failedDocs[0]?.id ?? null,
      jobId: run.jobId,
      data: {
        logId: run.id,
        failedCount: run.documentsFailed,
        failed: failedDocs.map((d) => ({ documentId: d.id, title: d.title })),
      },
    });
  }

  private keepPolling(anyOpen: boolean): void {
    if (anyOpen && !this.poller && !this.stopped) {
      this.poller = setInterval(() => this.tick(), this.deps.pollMs ?? 1000);
      this.poller.unref?.();
    } else if (!anyOpen && this.poller) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }
}
