import { isLibraryBusy } from '../../../shared/storage-errors';

const DEFAULT_DELAY_MS = 1000;

/**
 * Runs a small write made in answer to an event (a folder changed, a
 * document finished), and runs it again `delayMs` later for as long as
 * another process holds the library's write lock past the busy timeout, so
 * the event is not lost. Any other error goes to `onError`. Never throws:
 * callers are timers and watchers, where a throw would end the process.
 */
export function writeWhenFree(
  write: () => void,
  options: { onError(error: unknown): void; delayMs?: number; isClosed?(): boolean },
): void {
  if (options.isClosed?.()) return;
  try {
    write();
  } catch (error) {
    if (!isLibraryBusy(error)) return options.onError(error);
    const timer = setTimeout(() => writeWhenFree(write, options), options.delayMs ?? DEFAULT_DELAY_MS);
    timer.unref?.();
  }
}
