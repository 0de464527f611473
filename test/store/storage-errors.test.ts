import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/db/open';
import { AppError, toAppError } from '../../src/shared/errors';
import { STORAGE_FAULT_MESSAGES, storageFault } from '../../src/shared/storage-errors';

/** A real SQLITE_FULL: an insert into a database capped at its current size (max_page_count). */
function realSqliteFull(): unknown {
  const db = openDatabase(':memory:', { migrate: false });
  db.exec('CREATE TABLE t (v TEXT)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  try {
    return thrown(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(100_000)));
  } finally {
    db.close();
  }
}

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('storage fault classification', () => {
  it('recognises a real SQLITE_FULL and turns it into the clear DISK_FULL error', () => {
    const error = realSqliteFull();
    expect((error as { code: string }).code).toBe('SQLITE_FULL');
    expect(storageFault(error)).toBe('full');
    const app = toAppError(error);
    expect(app.code).toBe('DISK_FULL');
    expect(app.message).toBe(STORAGE_FAULT_MESSAGES.full);
    expect(app.cause).toBe(error);
  });

  it('recognises a real ENOSPC from a write (Linux /dev/full), sync and async', async () => {
    const syncError = thrown(() => writeFileSync('/dev/full', 'x'));
    expect((syncError as { code: string }).code).toBe('ENOSPC');
    expect(storageFault(syncError)).toBe('full');
    const handle = await open('/dev/full', 'w');
    const asyncError = await handle.write(Buffer.alloc(4096)).then(
      () => undefined,
      (error: unknown) => error,
    );
    await handle.close();
    expect(toAppError(asyncError).code).toBe('DISK_FULL');
  });

  it('follows cause chains, so a wrapped fault is still one', () => {
    const inner = realSqliteFull();
    const wrapped = new AppError('INTERNAL', 'Writing the chunks failed.', { cause: inner });
    expect(storageFault(wrapped)).toBe('full');
    expect(storageFault(new Error('outer', { cause: wrapped }))).toBe('full');
  });

  it('classifies I/O errors of the database, and EIO only on writes', () => {
    expect(storageFault({ code: 'SQLITE_IOERR_WRITE' })).toBe('io');
    expect(storageFault({ code: 'SQLITE_IOERR_FSYNC' })).toBe('io');
    expect(storageFault({ code: 'EIO', syscall: 'fsync' })).toBe('io');
    expect(
      toAppError(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write' })),
    ).toMatchObject({ code: 'DISK_IO', message: STORAGE_FAULT_MESSAGES.io });
    // Reading a source file off a failing USB stick is that file's problem, not Trove's disk.
    expect(storageFault({ code: 'EIO', syscall: 'read' })).toBeUndefined();
    expect(storageFault({ code: 'SQLITE_IOERR_NOMEM' })).toBeUndefined();
  });

  it('leaves other errors alone, ENOSPC from the file-watcher limit included', () => {
    expect(storageFault({ code: 'ENOSPC', syscall: 'watch' })).toBeUndefined();
    expect(storageFault({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeUndefined();
    expect(storageFault({ code: 'SQLITE_BUSY' })).toBeUndefined();
    expect(storageFault(new Error('boom'))).toBeUndefined();
    expect(storageFault('SQLITE_FULL')).toBeUndefined();
    expect(toAppError(new Error('boom')).code).toBe('INTERNAL');
  });
});
