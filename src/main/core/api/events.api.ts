import type { TroveEvent } from '../../../shared/contract';
import type { Core } from '../app';
import { jobConnectorId, jobPayload } from '../jobs';
import { notificationView } from './views';

/**
 * Translates the core's internal events into the contract's TroveEvent
 * union for the UI. Returns the unsubscribe function.
 */
export function forwardEvents(core: Core, emit: (event: TroveEvent) => void): () => void {
  const now = () => core.clock.now();
  const offs = [
    core.events.on('job', (e) => {
      // One document's indexing is counted in its run's progress, never announced on its own.
      if (e.type === 'process_imported_doc') return;
      const job = core.queue.get(e.jobId);
      const documentId = jobPayload(job, 'process_imported_doc')?.documentId ?? null;
      const connectorId =
        (job ? jobConnectorId(job) : null) ??
        (documentId ? (core.repos.documents.get(documentId)?.connectorId ?? null) : null);
      emit({
        type: 'job',
        phase: e.event,
        jobId: e.jobId,
        jobType: e.type,
        connectorId,
        documentId,
        progress: e.event === 'progress' ? e.progress : e.event === 'succeeded' ? 1 : (job?.progress ?? null),
        message: e.event === 'progress' ? e.message : (job?.progressMessage ?? null),
        error: e.event === 'failed' || e.event === 'retrying' ? e.error : null,
        attempts: job?.attempts ?? 0,
        maxAttempts: job?.maxAttempts ?? 0,
        at: now(),
      });
    }),
    core.events.on('run', (run) => emit({ type: 'run.progress', run, at: now() })),
    core.events.on('runFinished', (log) =>
      emit({
        type: 'sync.finished',
        connectorId: log.connectorId,
        syncLogId: log.id,
        status: log.status,
        documentsSynced: log.documentsSynced,
        documentsFailed: log.documentsFailed,
        at: now(),
      }),
    ),
    core.events.on('embedding', (state) => emit({ type: 'embedding.changed', status: state.status, at: now() })),
    core.events.on('storage', (storage) => emit({ type: 'storage.changed', storage, at: now() })),
    core.events.on('connector', (e) =>
      emit({ type: 'connector.changed', connectorId: e.connectorId, status: e.status, at: now() }),
    ),
    core.events.on('outsideWrites', () => emit({ type: 'library.changed', at: now() })),
    core.events.on('notification', (n) => emit({ type: 'notification.created', notification: notificationView(n) })),
    core.events.on('unreadNotifications', ({ unread }) =>
      emit({ type: 'notifications.changed', unreadCount: unread, at: now() }),
    ),
  ];
  return () => offs.forEach((off) => off());
}
