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
