import type { Core } from '../core/app';
import { terminalSafe } from './terminal-text';

/**
 * Shows what the queue is doing until it is idle: a redrawn bar on a
 * terminal, a line every few seconds otherwise (CI logs). Returns the
 * number of documents that failed while it watched.
 */
export async function followUntilIdle(core: Core, label: string): Promise<{ failedJobs: number }> {
  const tty = process.stderr.isTTY === true;
  const baseline = core.queue.counts().byType.process_imported_doc ?? { succeeded: 0, failed: 0 };
  let syncMessage = '';
  let failedJobs = 0;
  const offProgress = core.queue.on('progress', (e) => {
    if (e.type === 'sync_connector' && e.message) syncMessage = terminalSafe(e.message);
  });
  const offFailed = core.queue.on('failed', () => void failedJobs++);
  let lastLine = 0;
  const draw = (final = false): void => {
    const c = core.queue.counts().byType.process_imported_doc;
    const done = (c?.succeeded ?? 0) - baseline.succeeded + ((c?.failed ?? 0) - baseline.failed);
    const open = (c?.queued ?? 0) + (c?.running ?? 0);
    const total = done + open;
    const ratio = total === 0 ? (final ? 1 : 0) : done / total;
    const width = 28;
    const filled = Math.round(ratio * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const text = `${label} ${bar} ${Math.round(ratio * 100)}%  ${done}/${total} documents indexed${
      syncMessage ? `  · sync: ${syncMessage}` : ''
    }`;
    if (tty) process.stderr.write(`\r\x1b[2K${text}`);
    else if (final || Date.now() - lastLine > 5000) {
      process.stderr.write(text + '\n');
      lastLine = Date.now();
    }
  };
  const timer = setInterval(draw, tty ? 120 : 1000);
  try {
    await core.idle();
  } finally {
    clearInterval(timer);
    offProgress();
    offFailed();
    draw(true);
    if (tty) process.stderr.write('\n');
  }
  return { failedJobs };
}
