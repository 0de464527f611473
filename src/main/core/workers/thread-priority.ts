import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Lowers the calling thread's CPU priority to the lowest ("nice 19"), so
 * any other runnable thread of the app (the main thread, the text parsers,
 * the embedder) gets the CPU first and this one uses what is left.
 *
 * Linux keeps a nice value per thread, and `setpriority` given a thread id
 * changes only that thread; `/proc/thread-self` names the caller's id.
 * Elsewhere (macOS, Windows) there is no portable per-thread call from
 * Node, and the whole process must not be lowered, so this does nothing
 * and returns false. It cannot be undone without privileges: call it only
 * in a thread that does low-priority work for its whole life.
 */
export function lowerThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    return false;
  }
}
