import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { silentLogger } from '../../src/main/core/logger';
import { OutsideWrites } from '../../src/main/core/services/outside-writes';

describe('OutsideWrites', () => {
  const opened: Database[] = [];
  let dir: string;
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (): Database => {
    const db = openDatabase(join(dir, 'trove.db'));
    opened.push(db);
    return db;
  };
  const setting = (db: Database, value: number) =>
    db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES ('k', ?, 0) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      )
      .run(String(value));

  it('notices commits of another connection, once each, and never its own', () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-outside-'));
    const mine = open();
    const theirs = open();
    let changes = 0;
    const watch = new OutsideWrites({ db: mine, onChange: () => changes++, logger: silentLogger });

    setting(mine, 1);
    expect(watch.check()).toBe(false);
    setting(theirs, 2);
    setting(theirs, 3);
    // Two commits between looks are one change to look at.
    expect(watch.check()).toBe(true);
    expect(watch.check()).toBe(false);
    setting(mine, 4);
    expect(watch.check()).toBe(false);
    expect(changes).toBe(1);
  });

  it('keeps looking after a listener fails', () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-outside-'));
    const mine = open();
    const theirs = open();
    let calls = 0;
    const watch = new OutsideWrites({
      db: mine,
      onChange: () => {
        calls++;
        throw new Error('listener failed');
      },
      logger: silentLogger,
    });
    setting(theirs, 1);
    expect(watch.check()).toBe(true);
    setting(theirs, 2);
    expect(watch.check()).toBe(true);
    expect(calls).toBe(2);
  });
});
