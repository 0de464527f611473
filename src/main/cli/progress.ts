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
  const failures = new Set<string>();
  const offProgress = core.queue.on('progress', (e) => {
    if (e.type === 'sync_connector' && e.message) syncMessage = terminalSafe(e.message);
  });
  const offFailed = core.queue.on('failed', (e) => void failures.add(terminalSafe(e.error.message)));
  // The sync's last message ("…; indexing") is stale once it has ended.
  const offSynced = core.queue.on('succeeded', (e) => {
    if (e.type === 'sync_connector') syncMessage = '';
  });
  let lastLine = 0;
  const draw = (final = false): void => {
    const { done, total, scansLeft, again } = tally.progress();
    const ratio = total === 0 ? (final ? 1 : 0) : done / total;
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
    tally.refresh();
    draw(true);
    tally.dispose();
    if (tty) process.stderr.write('\n');
  }
  return { failures: [...failures] };
}

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
