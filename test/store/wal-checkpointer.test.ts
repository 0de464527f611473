import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { WalCheckpointer } from '../../src/main/core/db/wal-checkpointer';
import { silentLogger } from '../../src/main/core/logger';

describe('WalCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: Database;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'trove-checkpoint-'));
    file = path.join(dir, 'trove.db');
    db = openDatabase(file, { migrate: false });
    db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeMegabytes = (mb: number): void => {
    const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
    const body = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; i < mb * 16; i += 16) db.transaction(() => Array.from({ length: 16 }, () => insert.run(body)))();
  };

  it('copies the log into the database file from its own thread, long before SQLite would on a commit', async () => {
    const checkpointer = new WalCheckpointer({
      file,
      logger: silentLogger,
      thresholdBytes: 1024 * 1024,
      intervalMs: 10,
    });
    try {
      const before = statSync(file).size;
      // 4 MB of commits: a tenth of the 10,000 pages after which the main connection would checkpoint itself.
      writeMegabytes(4);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      expect(statSync(file).size).toBe(before);
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < before + 4 * 1024 * 1024 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(statSync(file).size).toBeGreaterThanOrEqual(before + 4 * 1024 * 1024);
      // The main connection goes on writing and reading meanwhile.
      writeMegabytes(1);
      expect(db.prepare('SELECT count(*) FROM blobs').pluck().get()).toBe(80);
    } finally {
      await checkpointer.close();
    }
  });

  it('closes its connection, so the main one can close and reopen the file', async () => {
    const checkpointer = new WalCheckpointer({ file, logger: silentLogger });
    await checkpointer.close();
    await checkpointer.close();
    db.close();
    db = openDatabase(file, { migrate: false });
    expect(db.prepare('SELECT count(*) FROM blobs').pluck().get()).toBe(0);
  });
});
