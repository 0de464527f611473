import { mkdtempSync, rmSync, writeFileSync, unlinkSync, truncateSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/main/core/db/sql';
import type { StoredDocument } from '../../src/main/core/store/documents.repo';
import {
  makeCorruptPdf,
  makeBinary,
  makeEmpty,
  makePdf,
  makeSampleDocx,
  makeScannedPdf,
  writeFixture,
} from '../fixtures/documents';
import { startTestCore, type TestCore } from '../helpers/test-core';

const NOTES = `# Greenhouse notes

## Watering

Tomatoes need deep watering twice a week in summer; seedlings need a light mist every morning.

## Pests

Aphids gather under the leaves. A soap spray every third day keeps them away.

## Harvest

Pick the fruit when it is fully red and slightly soft.
`;

/** `n` lines of `sentence`, so each PDF page holds more than one chunk's worth of text. */
const filler = (sentence: string, n: number): string => Array.from({ length: n }, () => sentence).join('\n');

describe('ingesting a real folder', () => {
  let t: TestCore;
  let folder: string;
  let connectorId: string;
  const byName = (name: string): StoredDocument =>
    t.core.repos.documents.getByExternalId(connectorId, name) ?? expect.unreachable(`no document ${name}`);

  beforeAll(async () => {
    t = await startTestCore();
    folder = mkdtempSync(join(tmpdir(), 'trove-folder-'));
    writeFileSync(join(folder, 'notes.md'), NOTES);
    await writeFixture(
      folder,
      'report.pdf',
      await makePdf([
        `Quarterly report\n${filler('The greenhouse project started in spring.', 30)}`,
        `Irrigation results\n${filler('Every bed was measured weekly.', 30)}\nThe drip irrigation cut water use by a third.`,
        `Outlook\n${filler('Next year we expand to cucumbers.', 30)}`,
      ]),
    );
    await writeFixture(folder, 'guide.docx', await makeSampleDocx());
    await writeFixture(folder, 'broken.pdf', await makeCorruptPdf());
    await writeFixture(folder, 'scan.pdf', await makeScannedPdf());
    await writeFixture(folder, 'program.bin', makeBinary());
    await writeFixture(folder, 'empty.txt', makeEmpty());
    await writeFixture(folder, 'sensors.csv', 'sensor,location,reading\nA1,bench,21.5\nB2,roof,18.0\n');
    await writeFixture(
      folder,
      'pump.ts',
      'export function startPump(litres: number): void {\n  console.log(litres);\n}\n',
    );
    // 50 MB, over the folder's 25 MB default limit: must be skipped without being read.
    writeFileSync(join(folder, 'huge.log'), '');
    truncateSync(join(folder, 'huge.log'), 50 * 1024 * 1024);

    const added = await t.core.connectors.add({ type: 'local_folder', name: 'Greenhouse', settings: { path: folder } });
    connectorId = added.connector.id;
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('indexes every readable document and gives each unreadable one a clear reason', () => {
    for (const name of ['notes.md', 'report.pdf', 'guide.docx', 'sensors.csv', 'pump.ts']) {
      expect(byName(name).syncStatus, `${name}: ${byName(name).syncError}`).toBe('completed');
    }
    expect(byName('broken.pdf')).toMatchObject({ syncStatus: 'error' });
    expect(byName('broken.pdf').syncError).toMatch(/PDF/i);
    // Its pages are stripes, not print: OCR reads them and finds nothing to index.
    expect(byName('scan.pdf')).toMatchObject({ syncStatus: 'skipped' });
    expect(byName('scan.pdf').syncError).toBe('OCR found no text in this scanned PDF.');
    expect(byName('program.bin').syncStatus).toBe('skipped');
    expect(byName('program.bin').syncError).toMatch(/binary|not supported|cannot/i);
    expect(byName('empty.txt').syncStatus).toBe('skipped');
    expect(byName('empty.txt').syncError).toMatch(/empty/i);
    expect(byName('huge.log').syncStatus).toBe('skipped');
    expect(byName('huge.log').syncError).toMatch(/50\.0 MB, over the 25 MB limit/);
  });

  it('records the run in the sync history as partial, with the counts', () => {
    const [log] = t.core.repos.syncLogs.list({ connectorId });
    expect(log).toMatchObject({ status: 'partial', syncType: 'manual', fullSync: true, documentsFailed: 1 });
    // scan.pdf is stored for OCR (synced); it is skipped later, when OCR finds no text.
    expect(log!.documentsSynced).toBe(6);
    expect(log!.documentsSkipped).toBe(3);
    expect(log!.durationMs).toBeGreaterThanOrEqual(0);
    expect(t.core.repos.connectors.get(connectorId)!.lastSyncAt).not.toBeNull();
  });

  it('keeps PDF page numbers and DOCX heading paths on the chunks', async () => {
    const report = byName('report.pdf');
    const pages = (report.metadata.parse as { pages: Array<{ page: number; start: number }> }).pages;
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    const pageAt = (offset: number): number => pages.filter((p) => p.start <= offset).at(-1)!.page;
    const chunks = t.core.db
      .prepare(`SELECT char_start, page FROM imported_doc_chunks WHERE imported_document_id = ? ORDER BY chunk_index`)
      .all(report.id) as Array<{ char_start: number; page: number }>;
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.page).toBe(pageAt(c.char_start));
    expect(new Set(chunks.map((c) => c.page)).size).toBeGreaterThan(1);
    const found = await t.core.search.search({ query: 'drip irrigation', mode: 'keyword' });
    expect(found.groups[0]?.document.title).toBe('report.pdf');

    const rows = t.core.db
      .prepare(`SELECT heading_path FROM imported_doc_chunks WHERE imported_document_id = ?`)
      .all(byName('guide.docx').id) as Array<{ heading_path: string }>;
    expect(rows.map((r) => JSON.parse(r.heading_path) as string[])).toContainEqual(['Field Guide', 'Installation']);
  });

  it('stores a vector for every chunk in the active space and finds documents by meaning', async () => {
    const space = t.core.repos.spaces.getActive()!;
    expect(t.core.repos.vectors.count(space)).toBe(t.core.repos.documents.chunkCount());
    const result = await t.core.search.search({ query: 'aphids under leaves', mode: 'semantic' });
    expect(result.mode).toBe('semantic');
    expect(result.groups[0]?.document).toMatchObject({ title: 'Greenhouse notes', fileName: 'notes.md' });
  });

  describe('an incremental sync after edits', () => {
    let before: { notesChunks: Map<string, number>; pumpChunkIds: number[]; processJobs: number };
    let reportMetadata: Record<string, unknown>;

    beforeAll(async () => {
      const notesId = byName('notes.md').id;
      const rows = t.core.db
        .prepare(`SELECT id, chunk_text FROM imported_doc_chunks WHERE imported_document_id = ?`)
        .all(notesId) as Array<{ id: number; chunk_text: string }>;
      before = {
        notesChunks: new Map(rows.map((r) => [r.chunk_text, r.id])),
        pumpChunkIds: t.core.repos.chunks.chunkIdsForDocument(byName('pump.ts').id),
        processJobs: t.core.queue.list({ type: 'process_imported_doc', limit: 1000 }).length,
      };
      writeFileSync(join(folder, 'notes.md'), NOTES.replace('fully red and slightly soft', 'deep red and firm'));
      unlinkSync(join(folder, 'pump.ts'));
      writeFileSync(join(folder, 'compost.md'), '# Compost\n\nTurn the compost heap every two weeks.\n');
      // Touched, not changed: read and hashed again, found the same.
      reportMetadata = byName('report.pdf').metadata;
      utimesSync(join(folder, 'report.pdf'), new Date(), new Date(Date.now() + 60_000));
      t.core.connectors.syncNow(connectorId, 'incremental');
      await t.core.idle();
    }, 60_000);

    it('keeps what was read from a file that was touched but not changed: format, pages, title', () => {
      const report = byName('report.pdf');
      expect(report.metadata.mtimeMs).not.toBe(reportMetadata.mtimeMs);
      for (const key of ['parse', 'parsedTitle']) expect(report.metadata[key]).toEqual(reportMetadata[key]);
      expect((report.metadata.parse as { pages: unknown[] }).pages).toHaveLength(3);
    });

    it('processes only the changed and the new file', () => {
      const jobs = t.core.queue.list({ type: 'process_imported_doc', limit: 1000 });
      const fresh = jobs.slice(0, jobs.length - before.processJobs);
      const ids = fresh.map((j) => (j.payload as { documentId: string }).documentId).sort();
      expect(ids).toEqual([byName('notes.md').id, byName('compost.md').id].sort());
      expect(byName('compost.md').syncStatus).toBe('completed');
    });

    it('keeps unchanged chunks (and their vectors) and replaces the edited one', () => {
      const space = t.core.repos.spaces.getActive()!;
      const rows = t.core.db
        .prepare(`SELECT id, chunk_text FROM imported_doc_chunks WHERE imported_document_id = ?`)
        .all(byName('notes.md').id) as Array<{ id: number; chunk_text: string }>;
      const kept = rows.filter((r) => before.notesChunks.get(r.chunk_text) === r.id);
      const changed = rows.filter((r) => !before.notesChunks.has(r.chunk_text));
      expect(kept.length).toBeGreaterThan(0);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.some((r) => r.chunk_text.includes('deep red and firm'))).toBe(true);
      expect(
        t.core.repos.vectors.missingChunkIds(
          space,
          rows.map((r) => r.id),
        ).size,
      ).toBe(0);
    });

    it('removes every trace of a deleted file', async () => {
      expect(byName('pump.ts').syncStatus).toBe('deleted');
      // Its text and what was derived from it (the sketch that finds its copies) are gone too.
      const pump = t.core.db
        .prepare(
          `SELECT content, (SELECT count(*) FROM document_sketches WHERE document_id = d.id) AS sketches
           FROM imported_documents d WHERE id = ?`,
        )
        .get(byName('pump.ts').id);
      expect(pump).toEqual({ content: null, sketches: 0 });
      const ids = before.pumpChunkIds;
      expect(ids.length).toBeGreaterThan(0);
      const space = t.core.repos.spaces.getActive()!;
      const q = sql`SELECT
          (SELECT COUNT(*) FROM imported_doc_chunks WHERE id IN ${sql.list(ids)}) AS chunks,
          (SELECT COUNT(*) FROM chunks_fts WHERE rowid IN ${sql.list(ids)}) AS fts,
          (SELECT COUNT(*) FROM vector_gc) AS tombstones`;
      expect(t.core.db.prepare(q.text).get(...q.params)).toEqual({ chunks: 0, fts: 0, tombstones: 0 });
      expect(t.core.repos.vectors.missingChunkIds(space, ids).size).toBe(ids.length);
      const found = await t.core.search.search({ query: 'startPump litres', mode: 'hybrid' });
      expect(found.groups.map((g) => g.document.title)).not.toContain('pump.ts');
    });

    it('logs the incremental run with its counts', () => {
      const [log] = t.core.repos.syncLogs.list({ connectorId });
      expect(log).toMatchObject({
        fullSync: false,
        documentsSynced: 1,
        documentsUpdated: 1,
        documentsDeleted: 1,
        status: 'success',
      });
    });
  });
});
