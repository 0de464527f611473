import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The other process: takes the library's write lock (BEGIN IMMEDIATE and a
 * write) for `holdMs`, lets it go for `freeMs`, and again until `forMs` have
 * passed, at least once. Prints "locked" the first time it holds the lock,
 * and how many times it held it when it stops.
 */
const LOCK_SCRIPT = `
  const db = new (require('better-sqlite3'))(process.argv[1]);
  db.pragma('busy_timeout = 10000');
  const [holdMs, freeMs, forMs] = process.argv.slice(2).map(Number);
  const until = Date.now() + forMs;
  let times = 0;
  const hold = () => {
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('lock-holder', '1', 0) " +
      "ON CONFLICT(key) DO UPDATE SET value = value + 1").run();
    if (times++ === 0) process.stdout.write('locked\\n');
    setTimeout(() => {
      db.exec('COMMIT');
      if (Date.now() > until) { db.close(); process.stdout.write('times ' + times + '\\n'); return; }
      setTimeout(hold, freeMs);
    }, holdMs);
  };
  hold();`;

interface LockProcess {
  /** Resolves once the lock is first taken. */
  locked: Promise<void>;
  /** Resolves, with how many times it held the lock, once the process has let it go for good and exited. */
  stopped: Promise<number>;
}

function startLockProcess(
  databaseFile: string,
  rhythm: { holdMs: number; freeMs: number; forMs: number },
): LockProcess {
  const args = [rhythm.holdMs, rhythm.freeMs, rhythm.forMs].map(String);
  const child = spawn(process.execPath, ['-e', LOCK_SCRIPT, databaseFile, ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const stopped = new Promise<number>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(Number(/times (\d+)/.exec(stdout)?.[1]))
        : reject(new Error(`lock holder exited ${code}: ${stderr}`)),
    ),
  );
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout.includes('locked')) resolve();
    });
    stopped.then(() => reject(new Error('the lock holder ended before taking the lock')), reject);
  });
  return { locked, stopped };
}

/**
 * Another process that holds the library's write lock for `holdMs`, as a
 * long write of the app or another command would. Resolves once the lock is
 * taken; `released` resolves once that process has committed and exited.
 */
export async function holdWriteLock(databaseFile: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const lock = startLockProcess(databaseFile, { holdMs, freeMs: 0, forMs: 0 });
  await lock.locked;
  return { released: lock.stopped.then(() => undefined) };
}

/**
 * Another process that takes the library's write lock for `holdMs`, lets it
 * go for `freeMs`, and again, for `forMs` in all: a write of this process
 * meets it at whatever point it has reached. Resolves once it has stopped.
 */
export function flapWriteLock(
  databaseFile: string,
  rhythm: { holdMs: number; freeMs: number; forMs: number },
): { stopped: Promise<number> } {
  const lock = startLockProcess(databaseFile, rhythm);
  // Only the end is awaited here; a failure shows there.
  lock.locked.catch(() => undefined);
  return { stopped: lock.stopped };
}
