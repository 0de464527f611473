import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Another process that takes a library's write lock (BEGIN IMMEDIATE and a
 * write) and holds it for `holdMs`, as a long write of the app or another
 * command would. Resolves once the lock is taken; `released` resolves once
 * that process has committed and exited.
 */
export async function holdWriteLock(databaseFile: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('lock-holder', '1', 0) " +
      "ON CONFLICT(key) DO UPDATE SET value = value + 1").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, databaseFile, String(holdMs)], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const released = new Promise<void>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}: ${stderr}`)))),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    released.then(() => reject(new Error('the lock holder ended before taking the lock')), reject);
  });
  return { released };
}

/**
 * Another process that takes the library's write lock for `holdMs`, lets it
 * go for `freeMs`, and again, for `forMs` in all: a write of this process
 * meets it at whatever point it has reached. Resolves once it has stopped.
 */
export function flapWriteLock(
  databaseFile: string,
  options: { holdMs: number; freeMs: number; forMs: number },
): { stopped: Promise<number> } {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.pragma('busy_timeout = 10000');
    const [holdMs, freeMs, forMs] = process.argv.slice(2).map(Number);
    const until = Date.now() + forMs;
    let times = 0;
    const hold = () => {
      if (Date.now() > until) { db.close(); process.stdout.write(String(times)); return; }
      db.exec('BEGIN IMMEDIATE');
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('lock-holder', '1', 0) " +
        "ON CONFLICT(key) DO UPDATE SET value = value + 1").run();
      times++;
      setTimeout(() => { db.exec('COMMIT'); setTimeout(hold, freeMs); }, holdMs);
    };
    hold();`;
  const child = spawn(
    process.execPath,
    ['-e', script, databaseFile, String(options.holdMs), String(options.freeMs), String(options.forMs)],
    { cwd: ROOT },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const stopped = new Promise<number>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(Number(stdout)) : reject(new Error(`lock flapper exited ${code}: ${stderr}`)),
    ),
  );
  return { stopped };
}
