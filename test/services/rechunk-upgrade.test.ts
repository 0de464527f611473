import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNKER_VERSION, hashChunk } from '../../src/main/core/ingest';
import { silentLogger } from '../../src/main/core/logger';
import { CHUNKED_WITH_SETTING, queueRechunkAfterUpgrade } from '../../src/main/core/services/rechunk-upgrade';
import { startTestCore } from '../helpers/test-core';

const README = [
  '# my-tool [![npm](https://img.shields.io/npm/v/my-tool.svg)](https://npmjs.com/package/my-tool)',
  'A small tool that renames photos by the date they were taken.',
  '## Install',
  'Run the installer, then point it at a folder of photos.',
  '## Usage',
  'Pick a folder and press rename; nothing is moved without asking.',
].join('\n\n');

/** The heading path chunker version 3 stored for the README's opening section: a badge half taken apart. */
const OLD_HEADING = '["my-tool ![npm](https://npmjs.com/package/my-tool)"]';

interface ChunkRow {
  id: number;
  heading_path: string;
}

describe('documents chunked by an earlier chunker version', () => {
  it('are chunked again in the background at the next start, keeping unchanged chunks and their vectors', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trove-rechunk-'));
    const folder = mkdtempSync(join(tmpdir(), 'trove-rechunk-folder-'));
    const chunksOf = (db: import('better-sqlite3').Database): ChunkRow[] =>
      db
        .prepare(
          `SELECT c.id, c.heading_path FROM imported_doc_chunks c JOIN imported_documents d ON d.id = c.imported_document_id
           WHERE d.title = 'README.md' ORDER BY c.chunk_index`,
        )
        .all() as ChunkRow[];
    const processedKey = (db: import('better-sqlite3').Database, title: string): string =>
      db.prepare(`SELECT processed_hash FROM imported_documents WHERE title = ?`).pluck().get(title) as string;
    try {
      writeFileSync(join(folder, 'README.md'), README);
      writeFileSync(join(folder, 'notes.md'), '# Notes\n\n## Lenses\n\nClean them with a dry cloth.\n');
      const before = await startTestCore({ dataDir });
      await before.core.connectors.add({ type: 'local_folder', name: 'Tools', settings: { path: folder } });
      await before.core.idle();
      const current = chunksOf(before.core.db);
      expect(current.length).toBeGreaterThan(1);
      // What an earlier version left: its heading path for the opening section, its version in the processed key.
      const opening = current.find((c) => c.heading_path === '["my-tool"]')!;
      const text = before.core.db.prepare(`SELECT chunk_text FROM imported_doc_chunks WHERE id = ?`).pluck();
      before.core.db
        .prepare(`UPDATE imported_doc_chunks SET heading_path = ?, content_hash = ? WHERE id = ?`)
        .run(OLD_HEADING, hashChunk(text.get(opening.id) as string, JSON.parse(OLD_HEADING)), opening.id);
      before.core.db
        .exec(`UPDATE imported_documents SET processed_hash = replace(processed_hash, ':v${CHUNKER_VERSION}', ':v${CHUNKER_VERSION - 1}');
        DELETE FROM settings WHERE key = '${CHUNKED_WITH_SETTING}';
        UPDATE imported_documents SET metadata = json_remove(metadata, '$.parse') WHERE title = 'notes.md'`);
      const shownPath = async (core: typeof before.core): Promise<string[] | undefined> =>
        (await core.search.search({ query: 'renames photos', mode: 'keyword' })).groups[0]?.chunks[0]?.headingPath;
      expect(await shownPath(before.core)).toEqual(JSON.parse(OLD_HEADING));
      await before.cleanup();

      const after = await startTestCore({ dataDir });
      try {
        await after.core.idle();
        const rechunked = chunksOf(after.core.db);
        expect(rechunked.map((c) => c.heading_path)).toEqual(current.map((c) => c.heading_path));
        // Unchanged chunks kept their rows (so their vectors); only the one with the old heading was replaced.
        const kept = rechunked.filter((c) => current.some((old) => old.id === c.id));
        expect(kept).toHaveLength(current.length - 1);
        const space = after.core.repos.spaces.getActive()!;
        const missing = after.core.repos.vectors.missingChunkIds(
          space,
          rechunked.map((c) => c.id),
        );
        expect(missing.size).toBe(0);
        expect(await shownPath(after.core)).toEqual(['my-tool']);
        expect(processedKey(after.core.db, 'README.md')).toMatch(new RegExp(`:v${CHUNKER_VERSION}$`));
        // Work of no sync run: the run that indexed it still ended after its last document.
        const early = after.core.db
          .prepare(
            `SELECT count(*) FROM connector_sync_logs l
             WHERE l.completed_at < (SELECT max(d.processed_at) FROM imported_documents d WHERE d.sync_log_id = l.id)`,
          )
          .pluck()
          .get();
        expect(early).toBe(0);
        // A document whose parse facts an earlier version lost would be read as plain text: it is left as it is.
        expect(processedKey(after.core.db, 'notes.md')).toMatch(new RegExp(`:v${CHUNKER_VERSION - 1}$`));
        expect(after.core.repos.settings.get(CHUNKED_WITH_SETTING, null)).toBe(CHUNKER_VERSION);

        // The version is recorded: the next start looks at no document.
        const queued: string[] = [];
        const again = queueRechunkAfterUpgrade({
          db: after.core.db,
          settings: after.core.repos.settings,
          enqueueProcessing: (ids) => queued.push(...ids),
          chunkerVersion: CHUNKER_VERSION,
          logger: silentLogger,
        });
        expect([again, queued]).toEqual([0, []]);
      } finally {
        await after.cleanup();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
