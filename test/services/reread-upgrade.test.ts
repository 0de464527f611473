import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTRACTION_VERSION } from '../../src/main/core/ingest/extraction-version';
import { READ_WITH_SETTING } from '../../src/main/core/services/reread-upgrade';
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

      const after = await startTestCore({ dataDir });
      const jobsAtStart = syncJobs(after);
      try {
        await after.core.idle();
        expect(await shownTitle(after, 'zqkoi')).toBe('Pond care');
        expect(await shownTitle(after, 'zqpears')).toBe('Orchard diary');
        expect(await shownTitle(after, 'zqplums')).toBe('moved.md');
        expect(versions(after)).toEqual([null, EXTRACTION_VERSION, EXTRACTION_VERSION]);
        expect(after.core.repos.settings.get(READ_WITH_SETTING, null)).toBe(EXTRACTION_VERSION);
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
});
