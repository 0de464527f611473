import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { EXTRACTION_VERSION, FORMATS_VERSION } from '../../src/main/core/ingest/extraction-version';
import { FORMATS_READ_SETTING, READ_WITH_SETTING } from '../../src/main/core/services/reread-upgrade';
import { runKindLabel } from '../../src/main/core/api/views';
import { startTestCore, type TestCore } from '../helpers/test-core';

/** An underlined title, which parsers before version 2 did not read: the file name was the title. */
const note = (title: string, word: string): string =>
  `${title}\n${'='.repeat(title.length)}\n\nNotes on the ${word}.\n`;

/** What a library of an earlier parser version holds: no version, no title read from the text. */
const AS_EARLIER_VERSION = `UPDATE imported_documents
  SET metadata = json_remove(metadata, '$.parse.version', '$.parsedTitle'), content = content
  WHERE sync_status = 'completed';
  DELETE FROM settings WHERE key = '${READ_WITH_SETTING}';`;

describe('files read by an earlier parser version, in a folder that does not change and among imported files', () => {
  it('are read again in the background at the first start after the update, and only then', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trove-reread-upgrade-'));
    const folder = mkdtempSync(join(tmpdir(), 'trove-reread-folder-'));
    const inbox = mkdtempSync(join(tmpdir(), 'trove-reread-inbox-'));
    const shownTitle = async (t: TestCore, query: string): Promise<string | undefined> =>
      (await t.core.search.search({ query, mode: 'keyword' })).groups[0]?.document.title;
    const versions = (t: TestCore): unknown[] =>
      t.core.db
        .prepare(`SELECT json_extract(metadata, '$.parse.version') FROM imported_documents ORDER BY title`)
        .pluck()
        .all();
    const syncJobs = (t: TestCore): number => t.core.queue.list({ type: 'sync_connector', limit: 1000 }).length;
    try {
      writeFileSync(join(folder, 'pond.md'), note('Pond care', 'zqkoi'));
      writeFileSync(join(inbox, 'orchard.md'), note('Orchard diary', 'zqpears'));
      writeFileSync(join(inbox, 'moved.md'), note('Moved away', 'zqplums'));
      const before = await startTestCore({ dataDir });
      await before.core.connectors.add({ type: 'local_folder', name: 'Garden', settings: { path: folder } });
      await before.core.connectors.importPaths([join(inbox, 'orchard.md'), join(inbox, 'moved.md')]);
      await before.core.idle();
      before.core.db.exec(AS_EARLIER_VERSION);
      expect(await shownTitle(before, 'zqkoi')).toBe('pond.md');
      expect(await shownTitle(before, 'zqpears')).toBe('orchard.md');
      await before.cleanup();
      // An imported file gone from its place keeps what was read from it: the new reading adds, never removes.
      rmSync(join(inbox, 'moved.md'));

      const startedAt = Date.now();
      const after = await startTestCore({ dataDir });
      const jobsAtStart = syncJobs(after);
      try {
        await after.core.idle();
        expect(await shownTitle(after, 'zqkoi')).toBe('Pond care');
        expect(await shownTitle(after, 'zqpears')).toBe('Orchard diary');
        expect(await shownTitle(after, 'zqplums')).toBe('moved.md');
        expect(versions(after)).toEqual([null, EXTRACTION_VERSION, EXTRACTION_VERSION]);
        expect(after.core.repos.settings.get(READ_WITH_SETTING, null)).toBe(EXTRACTION_VERSION);
        // The runs that read them again say why they ran.
        const runs = after.core.repos.syncLogs.list({ limit: 20 }).filter((r) => r.startedAt >= startedAt);
        expect(runs.map(runKindLabel)).toEqual(['After update', 'After update']);
      } finally {
        await after.cleanup();
      }

      // A start at the same version queues nothing.
      const again = await startTestCore({ dataDir });
      try {
        await again.core.idle();
        expect(syncJobs(again)).toBe(jobsAtStart);
      } finally {
        await again.cleanup();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
      rmSync(inbox, { recursive: true, force: true });
    }
  }, 60_000);

  it('reads files of a format an earlier version skipped, once it reads that format', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trove-reread-formats-'));
    const folder = mkdtempSync(join(tmpdir(), 'trove-reread-formats-folder-'));
    const found = async (t: TestCore, query: string): Promise<string[]> =>
      (await t.core.search.search({ query, mode: 'keyword' })).groups.map((g) => g.document.title);
    const stateOf = (t: TestCore, title: string): unknown =>
      t.core.db
        .prepare(
          `SELECT sync_status || ' ' || coalesce(json_extract(metadata, '$.unsupportedBy'), '-') FROM imported_documents WHERE title = ?`,
        )
        .pluck()
        .get(title);
    try {
      writeFileSync(join(folder, 'NEWS.gz'), gzipSync('Version 2\n\nThe zqsensors now report humidity.\n'));
      writeFileSync(join(folder, 'clip.mp4'), Buffer.from('ftypisom'));
      const before = await startTestCore({ dataDir });
      await before.core.connectors.add({ type: 'local_folder', name: 'Docs', settings: { path: folder } });
      await before.core.idle();
      expect(await found(before, 'zqsensors')).toEqual(['NEWS.gz']);
      // A format these parsers do not read says so, with the version that skipped it.
      expect(stateOf(before, 'clip.mp4')).toBe(`skipped ${FORMATS_VERSION}`);
      // The library as a version that did not read gzip left it, before migration 13.
      before.core.db.exec(`
        DELETE FROM imported_doc_chunks WHERE imported_document_id IN (SELECT id FROM imported_documents WHERE title = 'NEWS.gz');
        UPDATE imported_documents SET sync_status = 'skipped', sync_error = 'Trove cannot read .gz files yet.',
          content = NULL, processed_hash = NULL, metadata = json_remove(metadata, '$.parse', '$.parsedTitle')
          WHERE title = 'NEWS.gz';
        UPDATE imported_documents SET metadata = json_remove(metadata, '$.unsupportedBy');
        DELETE FROM settings WHERE key = '${FORMATS_READ_SETTING}';
        PRAGMA user_version = 12;`);
      expect(await found(before, 'zqsensors')).toEqual([]);
      await before.cleanup();

      const after = await startTestCore({ dataDir });
      try {
        await after.core.idle();
        expect(await found(after, 'zqsensors')).toEqual(['NEWS.gz']);
        expect(stateOf(after, 'NEWS.gz')).toBe('completed -');
        expect(stateOf(after, 'clip.mp4')).toBe(`skipped ${FORMATS_VERSION}`);
        expect(after.core.repos.settings.get(FORMATS_READ_SETTING, null)).toBe(FORMATS_VERSION);
      } finally {
        await after.cleanup();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
