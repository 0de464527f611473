import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { createProcessImportedDocHandler } from '../../src/main/core/handlers/process-imported-doc.handler';
import type { HandlerContext } from '../../src/main/core/handlers/ports';
import { jobContext } from '../helpers/job-context';
import { CHUNKER_VERSION, classifyAndChunk } from '../../src/main/core/ingest';
import { chunkStoredDocument } from '../../src/main/core/services/chunking';
import { TextBudget } from '../../src/main/core/ingest/text-budget';
import { ChunksRepo } from '../../src/main/core/store/chunks.repo';
import { DocumentsRepo, type StoredDocument } from '../../src/main/core/store/documents.repo';
import { AppError } from '../../src/shared/errors';

const FIRST = '# Pumps\n\nThe pump moves water from the tank to the beds.';
const SECOND = '# Valves\n\nEach bed has a valve that opens at dawn.';

describe('process_imported_doc', () => {
  let db: Database;
  let documents: DocumentsRepo;
  const ctx: HandlerContext = jobContext();

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.prepare(
      `INSERT INTO connector_configs (id, type, name, created_at, updated_at) VALUES ('c1', 'local_folder', 'Garden', 0, 0)`,
    ).run();
    db.prepare(
      `INSERT INTO imported_documents (id, connector_id, external_id, title, content_hash, content, created_at, updated_at)
       VALUES ('d1', 'c1', 'garden.md', 'Garden', 'hash-1', ?, 0, 0)`,
    ).run(FIRST);
    documents = new DocumentsRepo(db, systemClock);
  });
  afterEach(() => db.close());

  let chunkings = 0;
  /** The handler, with chunking that can run a "sync" in the middle, as one arriving meanwhile would. */
  const handler = (meanwhile?: () => void, admit?: (textBytes: number) => Promise<() => void>) =>
    createProcessImportedDocHandler({
      admit,
      db,
      documents,
      chunks: new ChunksRepo(db, systemClock),
      chunkDocument: async (doc: StoredDocument) => {
        chunkings++;
        const result = await chunkStoredDocument(doc, async (job) => classifyAndChunk(job));
        meanwhile?.();
        return result;
      },
      chunkerVersion: CHUNKER_VERSION,
      embeddingTarget: () => null,
      purgeDeletedVectors: () => {},
    });
  const chunkTexts = () =>
    db.prepare(`SELECT chunk_text FROM imported_doc_chunks ORDER BY chunk_index`).pluck().all() as string[];

  it('indexes the newer text when a sync stores it while the job is indexing, in the same attempt', async () => {
    let syncs = 0;
    const newSync = () => {
      if (syncs++ > 0) return; // one edit, arriving while the first text is being indexed
      db.prepare(`UPDATE imported_documents SET content = ?, content_hash = 'hash-2' WHERE id = 'd1'`).run(SECOND);
    };
    const summary = await handler(newSync)({ documentId: 'd1' }, ctx);
    expect(summary.status).toBe('completed');
    expect(documents.get('d1')).toMatchObject({ syncStatus: 'completed', processedHash: `hash-2:v${CHUNKER_VERSION}` });
    expect(chunkTexts().join('\n')).toContain('valve that opens at dawn');
    expect(chunkTexts().join('\n')).not.toContain('pump moves water');
  });

  it('leaves a document that keeps changing pending (not failed) for its retry', async () => {
    let version = 1;
    const keepsChanging = () =>
      db
        .prepare(`UPDATE imported_documents SET content = ?, content_hash = ? WHERE id = 'd1'`)
        .run(`${SECOND} Edit ${++version}.`, `hash-${version}`);
    const caught = await handler(keepsChanging)({ documentId: 'd1' }, ctx).catch((error: unknown) => error);
    expect(AppError.is(caught, 'CONFLICT')).toBe(true);
    expect(documents.get('d1')).toMatchObject({ syncStatus: 'pending', processedHash: null, syncError: null });

    const summary = await handler()({ documentId: 'd1' }, ctx);
    expect(summary.status).toBe('completed');
    expect(chunkTexts().join('\n')).toContain(`Edit ${version}.`);
    expect(chunkTexts().join('\n')).not.toContain('pump moves water');
  });

  it('writes nothing for a document deleted while it was being indexed, and leaves it deleted', async () => {
    // The file was removed and a sync recorded that while this job chunked (or embedded) its old text.
    const deletedBySync = () => documents.markDeleted('c1', ['garden.md']);
    const summary = await handler(deletedBySync)({ documentId: 'd1' }, ctx);
    expect(summary.status).toBe('gone');
    expect(chunkTexts()).toEqual([]);
    expect(documents.get('d1')).toMatchObject({ syncStatus: 'deleted', content: null });
    // A retry finds it gone too, instead of failing on the missing text.
    expect((await handler()({ documentId: 'd1' }, ctx)).status).toBe('gone');
  });

  it('never revives a deleted document by a status change of a job still working on it', () => {
    documents.markDeleted('c1', ['garden.md']);
    documents.setStatus('d1', 'pending');
    documents.setStatus('d1', 'error', 'stopped');
    expect(documents.get('d1')).toMatchObject({ syncStatus: 'deleted', syncError: null });
  });

  it('waits for its share of the text budget, sized by the stored text, and gives it back', async () => {
    const budget = new TextBudget(10);
    const asked: number[] = [];
    const admit = (textBytes: number) => (asked.push(textBytes), budget.acquire(textBytes));
    const holder = await budget.acquire(10); // another document is using the whole budget
    const running = handler(undefined, admit)({ documentId: 'd1' }, ctx);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chunkTexts()).toEqual([]); // still waiting
    holder();
    expect((await running).status).toBe('completed');
    expect(asked).toEqual([Buffer.byteLength(FIRST)]);
    expect(budget.inUse()).toBe(0);
  });

  it('skips a document already indexed at this text and chunker version without chunking it again', async () => {
    expect((await handler()({ documentId: 'd1' }, ctx)).status).toBe('completed');
    const before = chunkings;
    expect((await handler()({ documentId: 'd1' }, ctx)).status).toBe('unchanged');
    expect(chunkings).toBe(before);
    expect(chunkTexts().join('\n')).toContain('pump moves water');
  });
});
