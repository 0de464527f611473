import { readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';

export interface MemoryPeak {
  /** Highest `process.memoryUsage().rss` seen by the sampler, bytes. */
  sampledPeakRss: number;
  /** The kernel's peak resident set size for the whole process lifetime, bytes (`resourceUsage().maxRSS`). */
  maxRss: number;
  samples: number;
}

/**
 * Samples the process's resident set size every `intervalMs` (default 50)
 * until `stop()`. The timer is unref'd, and the sampler runs on the main
 * thread, so a long synchronous stretch delays samples; `maxRss` from the
 * kernel covers what sampling can miss.
 */
export function sampleRss(intervalMs = 50): { stop(): MemoryPeak } {
  let peak = process.memoryUsage.rss();
  let samples = 1;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
    samples++;
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      // Linux reports maxRSS in kilobytes.
      return { sampledPeakRss: peak, maxRss: resourceUsage().maxRSS * 1024, samples: samples + 1 };
    },
  };
}

/**
 * CPU time (user + system, ms) of this process's main thread, from
 * /proc/self/task/<pid>/stat; null where /proc is not available. Node does
 * not name its threads, so the main thread is the one thread that can be
 * told apart: comparing it with the whole process's CPU shows how much ran
 * on worker threads (embedding, parsing) and the libuv pool (file reads, hashing).
 */
export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;
