import { hostname } from 'node:os';
import { newId } from '../ids';

/**
 * A queue's id in `jobs.locked_by`: `<host>:<pid>:<uuid>`. The host and pid
 * let another process on the same machine tell that a lease's holder is
 * dead (killed, crashed) and take its jobs back at once, instead of waiting
 * for the lease to run out (30 s by default: a CLI started right after a
 * crash would otherwise sit idle that long).
 */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${newId()}`;
}

/**
 * True only when `workerId` names a process on this machine that no longer
 * exists. Anything uncertain (another host, an id without a pid, this very
 * process, a process we may not signal) counts as alive, so the lease runs
 * its course. A reused pid only delays recovery, it never steals a job.
 */
export function isWorkerGone(workerId: string): boolean {
  const match = /^(.*):(\d+):[^:]+$/.exec(workerId);
  if (!match || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
