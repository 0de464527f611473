import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { createJobQueue, type JobQueue } from '../../src/main/core/queue';
import { CRASH_JOB_COUNT, CRASH_QUEUE_OPTIONS, createRunsTable, registerCrashJob } from './fixtures/crash-jobs';

/** Starts the worker child and resolves once it has finished `killAfter` jobs, with how many it finished. */
function runChildUntilKilled(
  dbFile: string,
  killAfter: number,
): Promise<{ doneBeforeKill: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/queue/fixtures/crash-worker.ts', dbFile], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let done = 0;
    let stderr = '';
    let buffer = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('done ')) done = Number(line.slice(5));
      if (done >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ doneBeforeKill: done, signal });
      else reject(new Error(`crash worker exited on its own (code ${code}): ${stderr.slice(-2000)}`));
    });
  });
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the queue to finish');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('crash recovery', () => {
  let dir: string;
  let db: Database | undefined;
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.stop({ deadlineMs: 1_000 });
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no job when the worker process is killed mid-run: a fresh process finishes everything', async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-queue-crash-'));
    const file = join(dir, 'trove.db');
    db = openDatabase(file);
    createRunsTable(db);
    queue = createJobQueue(db, CRASH_QUEUE_OPTIONS);
    registerCrashJob(queue, db);
    const ids = queue
      .enqueueMany(
        Array.from({ length: CRASH_JOB_COUNT }, (_, index) => ({ type: 'crash_test', payload: { index, workMs: 8 } })),
      )
      .map((r) => r.id);

    const { doneBeforeKill } = await runChildUntilKilled(file, 100);
    const afterKill = queue.counts().byStatus;
    // Killed mid-way: some work finished, some was in flight, the rest waits.
    expect(doneBeforeKill).toBeGreaterThanOrEqual(100);
    expect(afterKill.succeeded).toBeLessThan(CRASH_JOB_COUNT);
    expect(afterKill.running).toBeGreaterThan(0);

    // This process plays the restarted app: it recovers the dead worker's leases and runs the rest.
    queue.start();
    await waitUntil(() => queue!.counts().byStatus.succeeded === CRASH_JOB_COUNT, 15_000);

    const counts = queue.counts().byStatus;
    expect(counts).toEqual({ queued: 0, running: 0, succeeded: CRASH_JOB_COUNT, failed: 0, cancelled: 0 });
    const ran = new Set(db.prepare(`SELECT DISTINCT job_id FROM crash_test_runs`).pluck().all() as string[]);
    expect(ids.filter((id) => !ran.has(id))).toEqual([]);
    // The jobs that were running when the worker died came back and count that attempt.
    const recovered = queue.list({ status: 'succeeded', limit: 1000 }).filter((job) => job.attempts > 1);
    expect(recovered.length).toBeGreaterThan(0);
    for (const job of recovered) expect(job.errorHistory[0]).toMatchObject({ attempt: 1, code: 'TIMEOUT' });
    const pids = db.prepare(`SELECT count(DISTINCT pid) FROM crash_test_runs`).pluck().get();
    expect(pids).toBe(2);
  });
});
