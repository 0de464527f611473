import type { TroveEvent } from '../../../shared/contract';
import type { Core } from '../app';
import { notificationView, payloadField } from './views';

/**
 * Translates the core's internal events into the contract's TroveEvent
 * union for the UI. Returns the unsubscribe function.
 */
export function forwardEvents(core: Core, emit: (event: TroveEvent) => void): () => void {
  const now = () => core.clock.now();
  const offs = [
    core.events.on('job', (e) => {
      const job = core.queue.get(e.jobId);
      const documentId = job?.type === 'process_imported_doc' ? payloadField(job.payload, 'documentId') : null;
      const connectorId =
        payloadField(job?.payload, 'connectorId') ??
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
    core.events.on('document', (e) => {
      const doc = core.repos.documents.get(e.documentId);
      if (!doc) return;
      emit({
        type: 'document.status',
        documentId: doc.id,
        connectorId: doc.connectorId,
        title: doc.title,
        status: e.status,
        error: e.error,
        at: now(),
      });
    }),
    core.events.on('storage', (storage) => emit({ type: 'storage.changed', storage, at: now() })),
    core.events.on('connector', (e) =>
      emit({ type: 'connector.changed', connectorId: e.connectorId, status: e.status, at: now() }),
    ),
    core.events.on('notification', (n) => {
      emit({ type: 'notification.created', notification: notificationView(n) });
      const logId = typeof n.data.logId === 'string' ? n.data.logId : null;
      const log = logId ? core.repos.syncLogs.get(logId) : undefined;
      if (log && log.status !== 'running') {
        emit({
          type: 'sync.finished',
          connectorId: log.connectorId,
          syncLogId: log.id,
          status: log.status,
          documentsSynced: log.documentsSynced,
          documentsFailed: log.documentsFailed,
          at: now(),
        });
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
