import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { GroupCommit } from '../../src/main/core/store/group-commit';

describe('GroupCommit', () => {
  let dir: string;
  let db: Database;
  let reader: Database;
  let commits: number;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'trove-group-commit-'));
    db = openDatabase(path.join(dir, 'trove.db'), { migrate: false });
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)');
    reader = openDatabase(path.join(dir, 'trove.db'), { migrate: false });
    commits = 0;
  });
  afterEach(() => {
    reader.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (): number => reader.prepare('SELECT count(*) FROM notes').pluck().get() as number;
  const insert = (text: string) => () =>
    Number(db.prepare('INSERT INTO notes (text) VALUES (?)').run(text).lastInsertRowid);
  const counting = (options: ConstructorParameters<typeof GroupCommit>[1] = {}) =>
    new GroupCommit(db, {
      ...options,
      around: (fn) => {
        commits++;
        return fn();
      },
    });

  it('commits writes issued together in one transaction, and each resolves only once committed', async () => {
    const group = counting({ windowMs: 5 });
    const pending = ['a', 'b', 'c'].map((t) => group.write(insert(t)));
    // Nothing is visible to another connection before the group commits.
    expect(count()).toBe(0);
    const ids = await Promise.all(pending);
    expect(ids).toEqual([1, 2, 3]);
    expect(count()).toBe(3);
    expect(commits).toBe(1);
  });

  it('commits at once when the group is full, without waiting for the window', async () => {
    const group = counting({ windowMs: 60_000, maxWrites: 2 });
    await Promise.all([group.write(insert('a')), group.write(insert('b'))]);
    expect(count()).toBe(2);
    expect(commits).toBe(1);
  });

  it('cuts a group at maxRows and commits one group per turn of the event loop, so other work runs between', async () => {
    const group = counting({ windowMs: 60_000, maxRows: 200 });
    const order: string[] = [];
    const writes = ['a', 'b', 'c', 'd'].map((t) =>
      group.write(insert(t), 100).then(() => order.push(`${t} committed (${commits})`)),
    );
    setImmediate(() => order.push('other work'));
    await Promise.all(writes);
    expect(commits).toBe(2);
    expect(order).toEqual(['a committed (1)', 'b committed (1)', 'other work', 'c committed (2)', 'd committed (2)']);
  });

  it('fails only the write that throws; the rest of the group is stored', async () => {
    const group = counting({ windowMs: 5 });
    db.prepare("INSERT INTO notes (text) VALUES ('taken')").run();
    const results = await Promise.allSettled([
      group.write(insert('first')),
      group.write(insert('taken')), // UNIQUE violation
      group.write(insert('last')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const texts = reader.prepare('SELECT text FROM notes ORDER BY text').pluck().all();
    expect(texts).toEqual(['first', 'last', 'taken']);
  });

  it('flush() commits what is waiting, so nothing is left behind at shutdown', async () => {
    const group = counting({ windowMs: 60_000 });
    const pending = group.write(insert('a'));
    group.flush();
    await expect(pending).resolves.toBe(1);
    expect(count()).toBe(1);
  });
});
