import { storageError } from '../../shared/errors';
import type { Core } from '../core/app';
import { DocumentTally } from './document-tally';
import { terminalSafe } from './terminal-text';

/**
 * Shows what the queue is doing until it is idle: a redrawn bar on a
 * terminal, a line every few seconds otherwise (CI logs). Returns what
 * failed for good while it watched: each distinct reason once, as the queue
 * recorded it for a person to read (a folder that is gone or left empty).
 */
export async function followUntilIdle(core: Core, label: string): Promise<{ failures: string[] }> {
  const tty = process.stderr.isTTY === true;
  const tally = new DocumentTally(core.queue);
  let syncMessage = '';
  /** The running sync's share of its files read (0 while it cannot know its total), or null when no sync runs. */
  let reading: number | null = null;
  const failures = new Set<string>();
  const offProgress = core.queue.on('progress', (e) => {
    if (e.type !== 'sync_connector') return;
    if (e.message) syncMessage = terminalSafe(e.message);
    reading = e.progress;
  });
  const offFailed = core.queue.on('failed', (e) => {
    failures.add(terminalSafe(e.error.message));
    if (e.type === 'sync_connector') reading = null;
  });
  // The sync's last message ("…; indexing") is stale once it has ended.
  const offSynced = core.queue.on('succeeded', (e) => {
    if (e.type !== 'sync_connector') return;
    syncMessage = '';
    reading = null;
  });
  const offCancelled = core.queue.on('cancelled', (e) => {
    if (e.type === 'sync_connector') reading = null;
  });
  let lastLine = 0;
  const draw = (final = false): void => {
    const { done, total, scansLeft, again } = tally.progress();
    const ratio = final ? (total === 0 ? 1 : done / total) : shownRatio(done, total, reading);
    const width = 28;
    const filled = Math.round(ratio * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const text = `${label} ${bar} ${Math.round(ratio * 100)}%  ${done}/${total} documents indexed${
      scansLeft > 0 ? `  · reading scans: ${scansLeft} left` : ''
    }${again > 0 ? `  · indexing again: ${again}` : ''}${syncMessage ? `  · sync: ${syncMessage}` : ''}`;
    if (tty) process.stderr.write(`\r\x1b[2K${text}`);
    else if (final || Date.now() - lastLine > 5000) {
      process.stderr.write(text + '\n');
      lastLine = Date.now();
    }
  };
  const timer = setInterval(draw, tty ? 120 : 1000);
  // Once a second: what another process on the library (the app) did meanwhile.
  const refresher = setInterval(() => tally.refresh(), 1000);
  const stopOnPause = abortOnStoragePause(core);
  try {
    await core.idle({ signal: stopOnPause.signal });
  } finally {
    stopOnPause.dispose();
    clearInterval(timer);
    clearInterval(refresher);
    offProgress();
    offFailed();
    offSynced();
    offCancelled();
    tally.refresh();
    draw(true);
    tally.dispose();
    if (tty) process.stderr.write('\n');
  }
  return { failures: [...failures] };
}

/**
 * The share of the work the bar shows: documents indexed of those known, but
 * while a sync still reads files, no more than the share it has read. The
 * documents known grow as it reads, so "565/600 documents indexed" had
 * shown 94% with half the folder still to read, and 100% twice before the
 * end. A sync that cannot know its total (a provider's change feed,
 * `reading` 0) keeps the bar below 100% until it ends.
 */
export function shownRatio(done: number, total: number, reading: number | null): number {
  const indexed = total === 0 ? 0 : done / total;
  if (reading === null) return indexed;
  return Math.min(indexed, reading > 0 ? reading : MOST_WHILE_READING);
}

/** The most the bar shows while a sync of unknown size still reads. */
const MOST_WHILE_READING = 0.99;

/**
 * Aborts with the clear DISK_FULL / DISK_IO error as soon as the data disk
 * stops taking writes. The core would wait for space to come back; a
 * one-shot command ends instead, so the person can free space and run it again.
 */
function abortOnStoragePause(core: Core): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const check = (): void => {
    const { status } = core.storage.state;
    if (status !== 'ok') controller.abort(storageError(status));
  };
  const off = core.storage.on('change', check);
  check();
  return { signal: controller.signal, dispose: off };
}
