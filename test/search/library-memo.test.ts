import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { silentLogger } from '../../src/main/core/logger';
import { sketchToBytes, textSketch } from '../../src/main/core/ingest/text-sketch';
import { LibraryMemo } from '../../src/main/core/search/library-memo';
import { SearchService, type SearchTuning } from '../../src/main/core/search/search.service';
import type { SearchGroup } from '../../src/main/core/search/types';
import { startFolderCore, type FolderTestCore } from '../helpers/test-core';

/**
 * Searches remember what they read about the documents and chunks they
 * found (search/library-memo.ts) only while the library stays as it was:
 * a search itself writes nothing to it, and a change made between two
 * searches, by this connection or another, is seen by the second.
 */
const PLAN = [
  '# Database migration weekend',
  '',
  '1. Freeze writes to the orders database on Friday evening.',
  '2. Take a full snapshot of every table and copy it to the cold bucket.',
  '3. Run the schema migration on the replica first and time each step.',
  '4. Compare row counts between the replica and the primary after each batch.',
  '5. Keep the old cluster running for a week in case we have to roll back.',
  '6. Tell the support team when the weekend window opens and closes.',
  '',
].join('\n');
const OTHER_PLAN = [
  '# Office move',
  '',
  '1. Label every desk with its new room before the snapshot of the floor plan.',
  '2. Book the lift for the migration of the archive boxes on Saturday.',
  '3. Check the replica keys for the new doors with the landlord.',
  '',
].join('\n');
const QUERY = 'snapshot the replica before the migration';

describe('what searches remember about documents', () => {
  let t: FolderTestCore;
  const names = (group: SearchGroup | undefined) =>
    [group?.document, ...(group?.copies ?? [])].map((d) => d?.fileName ?? d?.title);
  const planResults = async () =>
    (await t.core.search.search({ query: QUERY, mode: 'keyword' })).groups
      .map(names)
      .filter((n) => n.some((name) => name?.includes('plan')));
  const rewriteBackup = async (text: string) => {
    writeFileSync(join(t.folder, 'backup', 'plan.md'), text);
    t.core.connectors.syncNow(t.connectorId, 'incremental');
    await t.core.idle();
  };

  /** Runs `write` on a connection of its own, as another Trove process would, with the backup copy's id. */
  const inAnotherConnection = (write: (other: ReturnType<typeof openDatabase>, backup: string) => void) => {
    const other = openDatabase(join(t.dataDir, 'trove.db'), { migrate: false });
    try {
      const backup = other
        .prepare(`SELECT id FROM imported_documents WHERE external_id LIKE '%backup%'`)
        .pluck()
        .get() as string;
      write(other, backup);
    } finally {
      other.close();
    }
  };

  beforeAll(async () => {
    t = await startFolderCore({ 'plan.md': PLAN, 'backup/plan.md': PLAN }, { model: false });
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('leaves the library as it was: a search writes nothing to it', async () => {
    const db = t.core.db;
    const changes = () => db.prepare('SELECT total_changes()').pluck().get();
    const before = changes();
    await t.core.search.search({ query: QUERY, mode: 'keyword' });
    await t.core.search.search({ query: 'snapshto', mode: 'keyword' });
    expect(changes()).toBe(before);
  });

  it('sees a copy that was edited since the last search as a document of its own', async () => {
    expect(await planResults()).toEqual([['plan.md', 'plan.md']]);
    await rewriteBackup(OTHER_PLAN);
    expect(await planResults()).toEqual([['plan.md'], ['plan.md']]);
  }, 60_000);

  it('sees what another connection wrote since the last search (another Trove process syncing the library)', async () => {
    await rewriteBackup(PLAN);
    expect(await planResults()).toEqual([['plan.md', 'plan.md']]);

    // The other process reads the backup as the other plan and renames it.
    inAnotherConnection((other, backup) => {
      other
        .prepare(`UPDATE document_sketches SET sketch = ? WHERE document_id = ?`)
        .run(sketchToBytes(textSketch(OTHER_PLAN)), backup);
      other.prepare(`UPDATE imported_documents SET title = 'old-plan.md' WHERE id = ?`).run(backup);
    });
    expect(await planResults()).toEqual([['plan.md'], ['old-plan.md']]);
    const named = await t.core.search.search({ query: 'old-plan.md', mode: 'keyword' });
    expect(named.groups[0]?.document.fileName ?? named.groups[0]?.document.title).toBe('old-plan.md');

    // Then fails to read it again: a document that is not indexed is not found, not even by its old chunks.
    inAnotherConnection((other, backup) => {
      other.prepare(`UPDATE imported_documents SET sync_status = 'error' WHERE id = ?`).run(backup);
    });
    expect(await planResults()).toEqual([['plan.md']]);
  }, 60_000);
});

describe('the keyword lists searches remember', () => {
  let t: FolderTestCore;
  const fileNames = async (search: SearchService, query: string, cursor?: string) => {
    const page = await search.search({ query, mode: 'keyword', limit: 1, cursor });
    return { names: page.groups.map((g) => g.document.fileName ?? g.document.title), next: page.nextCursor };
  };
  const serviceWith = (tuning: SearchTuning) =>
    new SearchService({ db: t.core.db, clock: systemClock, getEmbedder: () => null, logger: silentLogger, tuning });

  beforeAll(async () => {
    t = await startFolderCore({ 'plan.md': PLAN, 'office.md': OTHER_PLAN }, { model: false });
  }, 120_000);
  afterAll(() => t?.cleanup());

  it('pages one list and still sees a document indexed between two searches of the same query', async () => {
    const first = await fileNames(t.core.search, QUERY);
    const second = await fileNames(t.core.search, QUERY, first.next);
    expect([...first.names, ...second.names].sort()).toEqual(['office.md', 'plan.md']);

    writeFileSync(
      join(t.folder, 'runbook.md'),
      `# Runbook\n\n${'Snapshot the replica before the migration. '.repeat(3)}\n`,
    );
    t.core.connectors.syncNow(t.connectorId, 'incremental');
    await t.core.idle();
    expect((await fileNames(t.core.search, QUERY)).names).toEqual(['runbook.md']);
  }, 60_000);

  it('are kept per search service, so another tuning of the same library ranks by its own', async () => {
    const onePerSearch = serviceWith({ keywordPool: 1 });
    const usual = serviceWith({});
    const found = async (search: SearchService) =>
      (await search.search({ query: 'replica', mode: 'keyword' })).groups.length;
    expect(await found(onePerSearch)).toBe(1);
    expect(await found(usual)).toBeGreaterThan(1);
    expect(await found(onePerSearch)).toBe(1);
  });
});

describe('a memo that reaches its capacity', () => {
  it('starts again, and still answers for every id asked, read before or now', () => {
    const db = openDatabase(':memory:');
    try {
      const memo = new LibraryMemo<number, string>(3);
      const reads: number[][] = [];
      const read = (missing: number[]) => {
        reads.push(missing);
        return new Map(missing.filter((id) => id !== 4).map((id) => [id, `chunk ${id}`]));
      };
      expect([...memo.lookup(db, [1, 2], read)]).toEqual([
        [1, 'chunk 1'],
        [2, 'chunk 2'],
      ]);
      // 2 remembered + 2 new > 3: the memo is emptied, yet 1 and 2 are still answered.
      const answered = memo.lookup(db, [1, 2, 3, 4], read);
      expect(new Map(answered)).toEqual(
        new Map([
          [1, 'chunk 1'],
          [2, 'chunk 2'],
          [3, 'chunk 3'],
        ]),
      );
      expect(memo.lookup(db, [3, 4], read).get(3)).toBe('chunk 3');
      expect(reads).toEqual([
        [1, 2],
        [3, 4],
      ]);
    } finally {
      db.close();
    }
  });
});
