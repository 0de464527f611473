/**
 * The WAL checkpointer thread (see wal-checkpointer.ts): its own connection
 * to the database file, which copies the write-ahead log back into the file
 * (PRAGMA wal_checkpoint(PASSIVE)) whenever the log has grown past a
 * threshold. PASSIVE never waits for readers or writers, and the copying and
 * fsync happen on this thread, not in whichever commit on the main thread
 * happened to cross SQLite's auto-checkpoint limit.
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { lowerThreadPriority } from '../workers/thread-priority';
import type { CheckpointerData, CheckpointerMessage } from './wal-checkpointer';

const port = parentPort;
if (!port) throw new Error('wal-checkpoint.worker must run as a worker thread');
const { file, thresholdBytes, intervalMs } = workerData as CheckpointerData;

lowerThreadPriority();
const db = new BetterSqlite3(file, { fileMustExist: true });
let failed = false;

function walBytes(): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

const timer = setInterval(() => {
  if (walBytes() < thresholdBytes) return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    failed = false;
    port.postMessage({ type: 'checkpointed', frames: result?.checkpointed ?? 0 } satisfies CheckpointerMessage);
  } catch (error) {
    // A full disk, say: the main connection reports that on its own writes;
    // say it once, and try again next time.
    if (!failed) port.postMessage({ type: 'failed', message: String(error) } satisfies CheckpointerMessage);
    failed = true;
  }
}, intervalMs);

port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
