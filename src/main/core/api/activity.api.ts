import type { TroveApi } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { Core } from '../app';
import type { RunControl } from '../services/run-control';
import { jobPayload } from '../jobs';
import { documentView, jobView } from './views';

type ActivityCommands = Pick<
  TroveApi,
  'listDocuments' | 'getDocument' | 'listJobs' | 'jobCounts' | 'retryJob' | 'cancelJob' | 'retryDocuments'
>;

/** Documents and jobs: what the Activity screen and the failure lists read and do. */
export function activityApi(core: Core, control: RunControl): ActivityCommands {
  const connectorType = (id: string) => core.repos.connectors.get(id)?.type ?? 'local_import';
  const job = (id: string) => {
    const record = core.queue.get(id);
    if (!record) throw new AppError('NOT_FOUND', 'That job no longer exists (finished jobs are pruned after a while).');
    return jobView(core, record);
  };

  return {
    async listDocuments(input) {
      const { items, total } = core.repos.documents.list({
        connectorId: input.connectorId,
        statuses: input.status,
        titleContains: input.titleContains,
        updatedSince: input.updatedSince,
        syncLogId: input.syncLogId,
        problems: input.problems,
        sort: input.sort,
        limit: input.limit,
        offset: input.offset,
      });
      return { items: items.map((d) => documentView(d, connectorType(d.connectorId))), total };
    },
    async getDocument(input) {
      const doc = core.repos.documents.get(input.documentId);
      if (!doc) throw new AppError('NOT_FOUND', 'That document is no longer in Trove.');
      const chunkCount = core.repos.chunks.chunkIdsForDocument(doc.id).length;
      return {
        document: {
          ...documentView({ ...doc, chunkCount }, connectorType(doc.connectorId)),
          metadata: doc.metadata,
          processedAt: doc.processedAt,
          createdAt: doc.createdAt,
        },
      };
    },
    async listJobs(input) {
      // Filtering by connector reads the payload, so fetch generously and trim.
      const records = core.queue.list({
        status: input.status,
        type: input.type,
        limit: input.connectorId ? 1000 : input.limit,
      });
      const views = records.map((r) => jobView(core, r));
      const filtered = input.connectorId ? views.filter((v) => v.connectorId === input.connectorId) : views;
      return { items: filtered.slice(0, input.limit) };
    },
    async jobCounts() {
      return core.queue.counts().byStatus;
    },
    async retryJob(input) {
      core.queue.retry(input.jobId);
      // A document whose indexing failed shows as pending again while its job waits.
      const record = core.queue.get(input.jobId);
      const documentId = jobPayload(record, 'process_imported_doc')?.documentId;
      if (documentId) core.repos.documents.setStatus(documentId, 'pending');
      return { job: job(input.jobId) };
    },
    async cancelJob(input) {
      core.queue.cancel(input.jobId);
      return { job: job(input.jobId) };
    },
    async retryDocuments(input) {
      return control.retryDocuments(input);
    },
  };
}
