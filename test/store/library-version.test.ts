import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { libraryVersion } from '../../src/main/core/db/library-version';
import { openDatabase } from '../../src/main/core/db/open';

/**
 * A search reuses work from an earlier snapshot only when the stamps of the
 * two agree (search.service.ts): equal stamps must mean the same library.
 */
describe('libraryVersion', () => {
  let folder: string;
  let db: Database;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'trove-library-version-'));
    db = openDatabase(join(folder, 'trove.db'));
    db.exec(`CREATE TABLE IF NOT EXISTS notes(text TEXT)`);
  });
  afterEach(() => {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const stamp = (): string => db.transaction(() => libraryVersion(db))();

  it('stays the same while nothing is written', () => {
    const first = stamp();
    db.prepare('SELECT count(*) FROM notes').get();
    expect(stamp()).toBe(first);
  });

  it('changes when this connection writes', () => {
    const first = stamp();
    db.prepare(`INSERT INTO notes VALUES ('a')`).run();
    expect(stamp()).not.toBe(first);
  });

  it('changes when another connection commits, as the index build or another process does', () => {
    const first = stamp();
    const other = openDatabase(join(folder, 'trove.db'), { migrate: false });
    try {
      other.prepare(`INSERT INTO notes VALUES ('b')`).run();
    } finally {
      other.close();
    }
    expect(stamp()).not.toBe(first);
  });
});
