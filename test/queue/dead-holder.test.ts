import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase, type Database } from '../../src/main/core/db/open';
import { createJobQueue, type JobQueue } from '../../src/main/core/queue';
import { isWorkerGone, newWorkerId } from '../../src/main/core/queue/worker-identity';

/** Starts a worker that claims the `hold` job and keeps it; resolves once it is running it. */
function startHolder(dbFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/queue/fixtures/holding-worker.ts', dbFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('holding')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`holding worker exited (${code})`)));
  });
}

/**
 * A job held by a process that was killed comes back at once in the next
 * process on the same machine, not after its lease (a minute here), while a
 * live holder keeps its job.
 */
describe('leases of dead workers', () => {
  let dir: string;
  let db: Database | undefined;
  let queue: JobQueue | undefined;
  let holder: ChildProcess | undefined;
  afterEach(async () => {
    holder?.kill('SIGKILL');
    await queue?.stop({ deadlineMs: 500 });
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes back the job of a killed process at once, and leaves a live one alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'trove-dead-holder-'));
    const file = join(dir, 'trove.db');
    db = openDatabase(file);
    queue = createJobQueue(db, { leaseMs: 60_000, pollIntervalMs: 50 });
    const ran: string[] = [];
    queue.register('hold', { schema: z.object({}), handler: async (_p, ctx) => void ran.push(ctx.job.id) });
    const { id } = queue.enqueue('hold', {});

    holder = await startHolder(file);
    // Alive: its lease stands, even though another queue looks.
    expect(queue.recoverExpiredLeases()).toBe(0);
    expect(queue.get(id)?.status).toBe('running');

    holder.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('close', resolve));
    const started = Date.now();
    queue.start();
    await expect.poll(() => queue!.get(id)?.status, { timeout: 10_000 }).toBe('succeeded');
    expect(Date.now() - started).toBeLessThan(10_000); // far inside the one-minute lease
    expect(ran).toEqual([id]);
    expect(queue.get(id)?.errorHistory.map((e) => e.code)).toEqual(['TIMEOUT']);
  }, 30_000);

  it('counts only provably dead local processes as gone', () => {
    expect(isWorkerGone(newWorkerId())).toBe(false); // this process
    expect(isWorkerGone('some-uuid')).toBe(false); // an id from before host:pid ids
    expect(isWorkerGone(`another-host:1:abc`)).toBe(false);
  });
});
