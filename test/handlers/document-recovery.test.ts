import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/main/core/clock';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { silentLogger } from '../../src/main/core/logger';
import { createJobQueue, type JobQueue } from '../../src/main/core/queue';
import { DocumentRecovery, processingJobKey } from '../../src/main/core/services/document-recovery';
import { DocumentsRepo } from '../../src/main/core/store/documents.repo';

/**
 * What happens to documents whose text is stored but whose processing never
 * finished: each must end with a job queued or running, or failed with the
 * reason; none may stay pending with nothing to process it.
 */
describe('document recovery', () => {
  let db: Database;
  let documents: DocumentsRepo;
  let queue: JobQueue;
  let recovery: DocumentRecovery;

  const addDocument = (externalId: string, content: string | null = `text of ${externalId}`): string => {
    const recorded = documents.recordSource(
      {
        connectorId: 'c1',
        externalId,
        title: externalId,
        mimeType: 'text/markdown',
        sourceUrl: null,
        contentHash: `hash-${externalId}`,
        sizeBytes: 10,
        sourceModifiedAt: 1,
        metadata: {},
      },
      content === null ? { kind: 'status', status: 'skipped', reason: 'not text' } : { kind: 'text', text: content },
    );
    return recorded.id!;
  };
  const status = (id: string) => documents.get(id)?.syncStatus;
  const liveJobs = () =>
    db
      .prepare(`SELECT job_key FROM jobs WHERE status IN ('queued', 'running') ORDER BY job_key`)
      .pluck()
      .all() as string[];

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.prepare(
      `INSERT INTO connector_configs (id, type, name, created_at, updated_at) VALUES ('c1', 'local_folder', 'Notes', 0, 0)`,
    ).run();
    documents = new DocumentsRepo(db, systemClock);
    queue = createJobQueue(db, { clock: systemClock, logger: silentLogger, leaseMs: 1000 });
    queue.register('process_imported_doc', {
      schema: z.object({ documentId: z.string() }),
      handler: async () => undefined,
    });
    recovery = new DocumentRecovery({
      db,
      documents,
      logger: silentLogger,
      enqueueProcessing: (ids) =>
        queue.enqueueMany(
          ids.map((documentId) => ({
            type: 'process_imported_doc',
            payload: { documentId },
            options: { key: processingJobKey(documentId) },
          })),
        ),
    });
  });
  afterEach(async () => {
    await queue.stop({ deadlineMs: 100 });
    db.close();
  });

  it('re-queues a pending document whose job is gone, and leaves one with a live job alone', () => {
    const orphan = addDocument('orphan.md');
    const queued = addDocument('queued.md');
    queue.enqueue('process_imported_doc', { documentId: queued }, { key: processingJobKey(queued) });
    addDocument('binary.bin', null);

    expect(recovery.recoverAtStart()).toEqual({ requeued: 1, failed: 0 });
    expect(liveJobs()).toEqual([processingJobKey(orphan), processingJobKey(queued)].sort());
    // Nothing left to do: a second start changes nothing.
    expect(recovery.recoverAtStart()).toEqual({ requeued: 0, failed: 0 });
  });

  it('fails a document whose last job died on every attempt, naming why, instead of retrying it forever', () => {
    const doomed = addDocument('doomed.md');
    const { id } = queue.enqueue('process_imported_doc', { documentId: doomed }, { key: processingJobKey(doomed) });
    // The job was claimed by a process that died on its last attempt: its lease ran out long ago.
    db.prepare(
      `UPDATE jobs SET status = 'running', attempts = max_attempts, locked_by = 'dead', locked_until = 1 WHERE id = ?`,
    ).run(id);
    db.prepare(`UPDATE imported_documents SET sync_status = 'processing' WHERE id = ?`).run(doomed);
    const failures: string[] = [];
    queue.on('failed', (e) => {
      failures.push(e.jobId);
      recovery.onProcessingJobFailed(doomed, e.error.message);
    });

    // Still "running" at start-up: recovery leaves it to the queue's lease recovery.
    expect(recovery.recoverAtStart()).toEqual({ requeued: 0, failed: 0 });
    expect(queue.recoverExpiredLeases()).toBe(1);
    expect(failures).toEqual([id]);
    expect(status(doomed)).toBe('error');
    expect(documents.get(doomed)?.syncError).toMatch(/Indexing stopped before it finished .*Retry its job in Activity/);
    expect(liveJobs()).toEqual([]);

    // A document whose job failed while the app was not listening is failed at the next start.
    const later = addDocument('later.md');
    const job = queue.enqueue('process_imported_doc', { documentId: later }, { key: processingJobKey(later) });
    db.prepare(`UPDATE jobs SET status = 'failed', last_error = 'worker died' WHERE id = ?`).run(job.id);
    expect(recovery.recoverAtStart()).toEqual({ requeued: 0, failed: 1 });
    expect(documents.get(later)?.syncError).toMatch(/Last error: worker died/);
  });

  it('does not touch a document its handler already failed', () => {
    const broken = addDocument('broken.md');
    documents.setStatus(broken, 'error', 'The parser said no.');
    recovery.onProcessingJobFailed(broken, 'The parser said no.');
    expect(documents.get(broken)?.syncError).toBe('The parser said no.');
  });
});
