import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/shared/errors';
import { createHarness, deferred, settle, shutdown, type QueueHarness } from './helpers';

const schema = z.object({ n: z.number() });

/** A handler that runs until its signal aborts, then throws the abort reason (as fetch would). */
const untilAborted = (_p: unknown, ctx: { signal: AbortSignal }) =>
  new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));

describe('cancel and retry', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));

  it('cancels a queued job at once; it never runs', async () => {
    h = createHarness();
    let ran = false;
    h.queue.register('job', { schema, handler: async () => void (ran = true) });
    const { id } = h.queue.enqueue('job', { n: 1 }, { runAt: h.clock.now() + 1_000 });
    expect(h.queue.cancel(id)).toBe('cancelled');
    expect(h.queue.get(id)).toMatchObject({ status: 'cancelled', finishedAt: h.clock.now() });
    h.queue.start();
    h.clock.advance(5_000);
    await settle();
    expect(ran).toBe(false);
    expect(h.events.at(-1)).toMatchObject({ name: 'cancelled', payload: { jobId: id, attempt: 0 } });
  });

  it('aborts a running job’s signal; the job ends cancelled and is not retried', async () => {
    h = createHarness();
    let calls = 0;
    h.queue.register('job', {
      schema,
      handler: (p, ctx) => {
        calls++;
        return untilAborted(p, ctx);
      },
    });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.start();
    await settle();
    expect(h.queue.cancel(id)).toBe('cancelling');
    await settle();
    expect(h.queue.get(id)).toMatchObject({ status: 'cancelled', attempts: 1, lockedBy: null, lastError: null });
    h.clock.advance(3_600_000);
    await settle();
    expect(calls).toBe(1);
    expect(h.events.map((e) => e.name)).toEqual(['queued', 'started', 'cancelled']);
  });

  it('keeps the result of a handler that finished despite a late cancel', async () => {
    h = createHarness();
    const gate = deferred();
    h.queue.register('job', {
      schema,
      handler: async () => {
        await gate.promise;
        return 'completed anyway';
      },
    });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.start();
    await settle();
    h.queue.cancel(id);
    gate.resolve();
    await settle();
    expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', result: 'completed anyway' });
  });

  it('reports finished jobs and unknown ids', async () => {
    h = createHarness();
    h.queue.register('job', { schema, handler: async () => {} });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.start();
    await settle();
    expect(h.queue.cancel(id)).toBe('finished');
    expect(() => h.queue.cancel('missing')).toThrow(AppError);
    expect(() => h.queue.cancel('missing')).toThrow(/no job with id missing/);
  });

  it('retry re-queues a failed job with a fresh set of attempts and keeps its history', async () => {
    h = createHarness();
    let fail = true;
    h.queue.register('job', {
      schema,
      handler: async () => {
        if (fail) throw new AppError('VALIDATION', 'Settings are incomplete.');
        return 'ok';
      },
    });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.start();
    await settle();
    expect(h.queue.get(id)!.status).toBe('failed');
    fail = false;
    h.queue.retry(id);
    expect(h.queue.get(id)).toMatchObject({ status: 'queued', attempts: 0, lastError: null, finishedAt: null });
    await settle();
    const job = h.queue.get(id)!;
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1, result: 'ok' });
    expect(job.errorHistory).toHaveLength(1);
    expect(h.events.filter((e) => e.name === 'queued')).toHaveLength(2);
  });

  it('retry re-queues a cancelled job', async () => {
    h = createHarness();
    let runs = 0;
    h.queue.register('job', { schema, handler: async () => void runs++ });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.cancel(id);
    h.queue.start();
    h.queue.retry(id);
    await settle();
    expect(runs).toBe(1);
    expect(h.queue.get(id)!.status).toBe('succeeded');
  });

  it('refuses to retry a live job, an unknown id, or a job whose key is taken again', async () => {
    h = createHarness();
    h.queue.register('job', { schema, handler: async () => {} });
    const live = h.queue.enqueue('job', { n: 1 });
    expect(() => h.queue.retry(live.id)).toThrow(/Only failed or cancelled jobs can be retried; this job is queued/);
    expect(() => h.queue.retry('missing')).toThrow(/no job with id/);

    const keyed = h.queue.enqueue('job', { n: 2 }, { key: 'k' });
    h.queue.cancel(keyed.id);
    h.queue.enqueue('job', { n: 3 }, { key: 'k' });
    let caught: unknown;
    try {
      h.queue.retry(keyed.id);
    } catch (error) {
      caught = error;
    }
    expect(AppError.is(caught, 'CONFLICT')).toBe(true);
    expect(h.queue.get(keyed.id)!.status).toBe('cancelled');
  });
});
