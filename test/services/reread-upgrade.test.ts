import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import {
  EXTRACTION_VERSION,
  FORMATS_VERSION,
  readByEarlierVersion,
  type ReaderChanges,
} from '../../src/main/core/ingest/extraction-version';
import { silentLogger } from '../../src/main/core/logger';
import {
  FORMATS_READ_SETTING,
  queueRereadAfterUpgrade,
  READ_WITH_SETTING,
} from '../../src/main/core/services/reread-upgrade';
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
        ALTER TABLE document_sketches DROP COLUMN version;
        ALTER TABLE embedding_spaces DROP COLUMN ivf_generation;
        ALTER TABLE embedding_spaces DROP COLUMN ivf_building;
        DROP TABLE ivf_build_changes;
        DROP TRIGGER trg_chunks_fts_insert_listed;
        DROP TRIGGER trg_chunks_fts_delete_listed;
        DROP TRIGGER trg_chunks_fts_update_listed;
        DROP TRIGGER trg_chunks_fts_title_listed;
        DROP TABLE chunks_fts_pending;
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

  it('reads again only what a reader the update changed had read, and every file read before readers were recorded', async () => {
    const folders = ['notes', 'reports', 'old'].map((name) => mkdtempSync(join(tmpdir(), `trove-reread-${name}-`)));
    const [notes, reports, old] = folders as [string, string, string];
    writeFileSync(join(notes, 'pond.md'), note('Pond care', 'koi'));
    writeFileSync(join(reports, 'budget.txt'), note('Budget', 'spending'));
    writeFileSync(join(reports, 'minutes.html'), '<title>Minutes</title><p>The committee met.</p>');
    writeFileSync(join(reports, 'release.md.gz'), gzipSync('# Release 2\n\nThe sensors report humidity.\n'));
    writeFileSync(join(old, 'diary.txt'), note('Diary', 'rain'));
    const t = await startTestCore({ model: false });
    try {
      const ids: string[] = [];
      for (const [i, path] of folders.entries()) {
        ids.push(
          (await t.core.connectors.add({ type: 'local_folder', name: `F${i}`, settings: { path } })).connector.id,
        );
      }
      await t.core.idle();
      const readers = t.core.db
        .prepare(`SELECT title, json_extract(metadata, '$.parse.reader') FROM imported_documents ORDER BY title`)
        .raw()
        .all();
      // Each text names its reader; a compressed file's is the file inside.
      expect(readers).toEqual([
        ['budget.txt', 'plain'],
        ['diary.txt', 'plain'],
        ['minutes.html', 'html'],
        ['pond.md', 'markdown'],
        ['release.md.gz', 'markdown'],
      ]);
      // An update to version V+1 that changed only the HTML reader; diary.txt was read before readers were kept.
      const current = EXTRACTION_VERSION + 1;
      const changes: ReaderChanges = { all: 0, byReader: { html: current, markdown: EXTRACTION_VERSION - 1 } };
      t.core.db.exec(
        `UPDATE imported_documents SET metadata = json_remove(metadata, '$.parse.reader') WHERE title = 'diary.txt'`,
      );
      const requested: string[] = [];
      queueRereadAfterUpgrade({
        db: t.core.db,
        settings: t.core.repos.settings,
        connectors: t.core.repos.connectors,
        requestSync: (id) => requested.push(id),
        extractionVersion: current,
        readerChanges: changes,
        formatsVersion: FORMATS_VERSION,
        logger: silentLogger,
      });
      expect(requested.sort()).toEqual([ids[1], ids[2]].sort());
      // The sync decides per document as the startup check does per folder.
      const stale = t.core.db
        .prepare(`SELECT title, metadata FROM imported_documents ORDER BY title`)
        .all()
        .map((row) => {
          const { title, metadata } = row as { title: string; metadata: string };
          return [title, readByEarlierVersion(JSON.parse(metadata) as Record<string, unknown>, current, changes)];
        });
      expect(stale).toEqual([
        ['budget.txt', false],
        ['diary.txt', true],
        ['minutes.html', true],
        ['pond.md', false],
        ['release.md.gz', false],
      ]);
    } finally {
      await t.cleanup();
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
