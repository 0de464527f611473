import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much nicer than the process background threads run: the main thread (search, UI) wins any contest for a core. */
export const BACKGROUND_NICE_STEP = 10;
/**
 * For work that should only use what every other thread leaves (OCR): the
 * lowest priority there is (nice 19), below the embedder and the parsers.
 */
export const LOWEST_NICE_STEP = 19;

/**
 * Gives the calling thread a lower CPU priority than the main thread, so
 * background work (embedding an ingest) takes only the CPU that search and
 * the UI leave: on a 2-core machine every core is busy during an ingest,
 * and at equal priority a search got a fair share of a core, no more.
 * Only where one thread can be niced on its own: Linux (setpriority on a
 * thread id); elsewhere `os.setPriority` would lower the whole process.
 * Relative to the thread's current priority, so Trove started with `nice`
 * keeps its own order. Returns whether the priority was lowered.
 */
export function lowerThreadPriority(step = BACKGROUND_NICE_STEP): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>".
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(19, getPriority(tid) + step));
    return true;
  } catch {
    return false;
  }
}
