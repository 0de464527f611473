import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { createHarness, deferred, rawJob, settle, type QueueHarness } from './helpers';

const schema = z.object({ n: z.number() });
const LEASE = { leaseMs: 3_000, heartbeatMs: 1_000, recoveryIntervalMs: 1_000 };

describe('leases', () => {
  const harnesses: QueueHarness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) {
      const stopped = h.queue.stop({ deadlineMs: 0 });
      h.clock.advance(0);
      await stopped;
    }
  });

  /** Two workers on one database, each with its own clock: freezing a clock is how a worker "crashes". */
  function twoWorkers() {
    const db = openDatabase(':memory:');
    const a = createHarness({ db, clock: new ManualClock(1_000_000), ...LEASE, workerId: 'worker-a' });
    const b = createHarness({ db, clock: new ManualClock(1_000_000), ...LEASE, workerId: 'worker-b' });
    harnesses.push(a, b);
    return { db, a, b };
  }

  it('keeps extending the lease of a long job with heartbeats', async () => {
    const h = createHarness(LEASE);
    harnesses.push(h);
    const gate = deferred();
    h.queue.register('slow', { schema, handler: () => gate.promise });
    const { id } = h.queue.enqueue('slow', { n: 1 });
    h.queue.start();
    await settle();
    const t0 = h.clock.now();
    expect(rawJob(h.db, id)).toMatchObject({
      status: 'running',
      locked_by: h.queue.workerId,
      locked_until: t0 + 3_000,
    });
    for (let i = 1; i <= 10; i++) {
      h.clock.advance(1_000);
      await settle(2);
    }
    // Ten lease lengths later the job is still ours and was never recovered.
    expect(rawJob(h.db, id)).toMatchObject({ status: 'running', attempts: 1, locked_until: t0 + 10_000 + 3_000 });
    gate.resolve();
    await settle();
    expect(rawJob(h.db, id)).toMatchObject({ status: 'succeeded', locked_by: null, locked_until: null });
  });

  it('returns a crashed worker’s job to the queue at start, counting the attempt, and ignores the stale worker later', async () => {
    const { a, b } = twoWorkers();
    const stuck = deferred<unknown>();
    a.queue.register('job', { schema, handler: () => stuck.promise });
    const runsOnB: number[] = [];
    b.queue.register('job', {
      schema,
      handler: async (payload, ctx) => {
        runsOnB.push(ctx.job.attempt);
        return { by: 'b', n: payload.n };
      },
    });
    const { id } = a.queue.enqueue('job', { n: 7 });
    a.queue.start();
    await settle();
    expect(rawJob(a.db, id)).toMatchObject({ status: 'running', locked_by: 'worker-a', attempts: 1 });

    // Worker A "crashes": its clock stops, so no more heartbeats. Time passes for B.
    b.clock.advance(3_001);
    b.queue.start();
    await settle();
    expect(runsOnB).toEqual([2]);
    const job = b.queue.get(id)!;
    expect(job).toMatchObject({ status: 'succeeded', attempts: 2, result: { by: 'b', n: 7 } });
    expect(job.errorHistory).toEqual([
      { attempt: 1, code: 'TIMEOUT', message: expect.stringMatching(/lease expired/), at: b.clock.now() },
    ]);
    expect(b.events.map((e) => e.name)).toEqual(['retrying', 'started', 'succeeded']);

    // The stale worker wakes up and finishes: its outcome must not overwrite B's.
    stuck.resolve({ by: 'a' });
    await settle();
    expect(b.queue.get(id)).toMatchObject({ status: 'succeeded', result: { by: 'b', n: 7 } });
    expect(a.events.map((e) => e.name)).toEqual(['queued', 'started']);
  });

  it('recovers expired leases periodically while running, not only at start', async () => {
    const { a, b } = twoWorkers();
    a.queue.register('job', { schema, handler: () => new Promise(() => {}) });
    const ran: number[] = [];
    b.queue.register('job', { schema, handler: async (p) => void ran.push(p.n) });
    a.queue.enqueue('job', { n: 1 });
    a.queue.start();
    await settle();
    // B starts while A's lease is still valid: nothing to recover yet.
    b.queue.start();
    await settle();
    b.clock.advance(1_000);
    await settle();
    expect(ran).toEqual([]);
    b.clock.advance(3_000);
    await settle();
    expect(ran).toEqual([1]);
  });

  it('fails a job whose last attempt died with its worker', async () => {
    const { a, b } = twoWorkers();
    a.queue.register('job', { schema, handler: () => new Promise(() => {}) });
    b.queue.register('job', { schema, handler: async () => {} });
    const { id } = a.queue.enqueue('job', { n: 1 }, { maxAttempts: 1 });
    a.queue.start();
    await settle();
    b.clock.advance(3_001);
    b.queue.start();
    await settle();
    expect(b.queue.get(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/lease expired/),
    });
    expect(b.events.map((e) => e.name)).toEqual(['failed']);
  });

  it('ends a job cancelled rather than retrying it when its worker died after a cancel was requested', async () => {
    const { a, b } = twoWorkers();
    a.queue.register('job', { schema, handler: () => new Promise(() => {}) });
    b.queue.register('job', { schema, handler: async () => {} });
    const { id } = a.queue.enqueue('job', { n: 1 });
    a.queue.start();
    await settle();
    expect(b.queue.cancel(id)).toBe('cancelling');
    b.clock.advance(3_001);
    b.queue.start();
    await settle();
    expect(b.queue.get(id)).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(b.events.map((e) => e.name)).toEqual(['cancelled']);
  });

  it('delivers a cancel from another process at the running worker’s next heartbeat', async () => {
    const { a, b } = twoWorkers();
    let aborted: unknown;
    a.queue.register('job', {
      schema,
      handler: (_p, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = ctx.signal.reason;
            reject(ctx.signal.reason);
          });
        }),
    });
    b.queue.register('job', { schema, handler: async () => {} });
    const { id } = a.queue.enqueue('job', { n: 1 });
    a.queue.start();
    await settle();
    expect(b.queue.cancel(id)).toBe('cancelling');
    expect(b.queue.get(id)).toMatchObject({ status: 'running', cancelRequested: true });
    a.clock.advance(1_000);
    await settle();
    expect(aborted).toMatchObject({ code: 'CANCELLED' });
    expect(a.queue.get(id)).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(a.events.at(-1)).toMatchObject({ name: 'cancelled', payload: { jobId: id, attempt: 1 } });
  });

  it('aborts a handler whose lease was taken over, so it stops doing work nobody will record', async () => {
    const { a, b } = twoWorkers();
    let signal: AbortSignal | undefined;
    a.queue.register('job', {
      schema,
      handler: (_p, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      },
    });
    b.queue.register('job', { schema, handler: () => new Promise(() => {}) });
    a.queue.enqueue('job', { n: 1 });
    a.queue.start();
    await settle();
    b.clock.advance(3_001);
    b.queue.recoverExpiredLeases();
    a.clock.advance(1_000);
    await settle();
    expect(signal?.aborted).toBe(true);
  });
});
