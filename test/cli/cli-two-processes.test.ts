import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { holdWriteLock } from '../helpers/lock-holder';
import { runTrove, startTrove, type TroveRun } from './run-trove';

const NOTES = 4000;

interface RunRow {
  syncType: string;
  status: string;
  phase: string;
  errorMessage: string | null;
  documentsToIndex: number;
}

/**
 * Two Trove processes on one library at once, as when `trove import` is
 * typed while the desktop app (or another terminal) is syncing a large
 * folder. Before, each side's writes could fail "database is locked" on
 * every attempt, and the second process's start-up declared the first's
 * sync dead ("Trove stopped before this sync finished").
 */
describe('two trove processes on one library', () => {
  let root: string;
  let dataDir: string;
  let folder: string;
  let added: TroveRun;
  let imported: TroveRun;
  let runs: RunRow[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trove-two-'));
    dataDir = join(root, 'data');
    folder = join(root, 'notes');
    for (let i = 0; i < NOTES; i++) {
      const dir = join(folder, `d${Math.floor(i / 200)}`);
      if (i % 200 === 0) mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `note-${i}.md`), `# Note ${i}\n\nword${i} about the kwnote${i}zq harvest.\n`);
    }
    writeFileSync(join(root, 'letter.md'), '# Letter\n\nThe kwletterzq arrived on Tuesday.\n');

    const adding = startTrove(dataDir, ['add-folder', folder, '--name', 'Notes']);
    // The second process starts while the first is still listing and writing the folder.
    await adding.waitForOutput(/^Added Notes/m, 60_000);
    imported = await runTrove(dataDir, ['import', join(root, 'letter.md')]);
    added = await adding.done;

    const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
    try {
      runs = db
        .prepare(
          `SELECT sync_type AS syncType, status, phase, error_message AS errorMessage,
             documents_to_index AS documentsToIndex
           FROM connector_sync_logs ORDER BY started_at`,
        )
        .all() as RunRow[];
    } finally {
      db.close();
    }
  }, 240_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('both finish without a failure', () => {
    expect(added.code, added.stderr).toBe(0);
    expect(imported.code, imported.stderr).toBe(0);
    for (const run of [added, imported]) {
      expect(run.stdout).not.toMatch(/^Failed:/m);
      expect(run.stderr).not.toMatch(/database is locked/);
    }
  });

  it('history holds one successful run for each, the folder sync whole', () => {
    expect(runs.map((r) => [r.syncType, r.status, r.phase, r.errorMessage])).toEqual(
      expect.arrayContaining([
        ['manual', 'success', 'done', null],
        ['import', 'success', 'done', null],
      ]),
    );
    expect(runs).toHaveLength(2);
    expect(runs.find((r) => r.syncType === 'manual')?.documentsToIndex).toBe(NOTES);
  });

  it('finds the imported letter and the folder’s first and last notes', async () => {
    const expected: Array<[string, string]> = [
      ['kwletterzq', 'Letter'],
      ['kwnote0zq', 'Note 0'],
      [`kwnote${NOTES - 1}zq`, `Note ${NOTES - 1}`],
    ];
    for (const [word, title] of expected) {
      const found = await runTrove(dataDir, ['search', word, '--mode', 'keyword', '--json']);
      expect(found.code, found.stderr).toBe(0);
      const titles = (JSON.parse(found.stdout) as { groups: Array<{ document: { title: string } }> }).groups.map(
        (g) => g.document.title,
      );
      expect(titles[0]).toBe(title);
    }
  });
});

describe('a command beside a long write of another process', () => {
  it('waits for the library rather than failing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trove-locked-'));
    try {
      const dataDir = join(root, 'data');
      writeFileSync(join(root, 'first.md'), '# First\n\nThe kwfirstzq entry.\n');
      writeFileSync(join(root, 'second.md'), '# Second\n\nThe kwsecondzq entry.\n');
      expect((await runTrove(dataDir, ['import', join(root, 'first.md')])).code).toBe(0);

      // Longer than the app's 5 s busy timeout, as a large search-index build holds it.
      const HOLD_MS = 7000;
      const lock = await holdWriteLock(databaseFile(dataDir), HOLD_MS);
      const startedAt = Date.now();
      const second = await runTrove(dataDir, ['import', join(root, 'second.md')]);
      await lock.released;

      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Done: 1 indexed, 0 skipped, 0 failed/);
      expect(second.stdout).toMatch(/Library: 2 indexed, 0 skipped, 0 failed/);
      expect(Date.now() - startedAt).toBeGreaterThan(HOLD_MS - 1000);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
