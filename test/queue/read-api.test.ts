import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/shared/errors';
import { TypedEmitter } from '../../src/main/core/queue';
import { createHarness, settle, shutdown, type QueueHarness } from './helpers';

const schema = z.object({ n: z.number() });
const DAY = 24 * 60 * 60 * 1000;

describe('read API and pruning', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));
  // Days pass in these tests: keep the idle poll and lease checks from firing thousands of times.
  const quiet = { pollIntervalMs: DAY, recoveryIntervalMs: DAY };

  /** One succeeded, one failed and one cancelled 'a' job, plus one queued 'b' job. */
  async function mixedJobs() {
    h.queue.register('a', {
      schema,
      handler: async (p) => {
        if (p.n === 2) throw new AppError('VALIDATION', 'bad input');
        return p.n;
      },
    });
    h.queue.register('b', { schema, handler: async () => {} });
    const ok = h.queue.enqueue('a', { n: 1 });
    const bad = h.queue.enqueue('a', { n: 2 });
    const gone = h.queue.enqueue('a', { n: 3 });
    h.queue.cancel(gone.id);
    h.queue.start();
    await settle();
    const later = h.queue.enqueue('b', { n: 4 }, { runAt: h.clock.now() + DAY * 365 });
    return { ok: ok.id, bad: bad.id, gone: gone.id, later: later.id };
  }

  it('counts jobs by status and by type', async () => {
    h = createHarness(quiet);
    await mixedJobs();
    expect(h.queue.counts()).toEqual({
      byStatus: { queued: 1, running: 0, succeeded: 1, failed: 1, cancelled: 1 },
      byType: {
        a: { queued: 0, running: 0, succeeded: 1, failed: 1, cancelled: 1 },
        b: { queued: 1, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
      },
    });
  });

  it('lists newest first, filtered by status and type, with paging', async () => {
    h = createHarness(quiet);
    const ids = await mixedJobs();
    expect(h.queue.list().map((j) => j.id)).toEqual([ids.later, ids.gone, ids.bad, ids.ok]);
    expect(h.queue.list({ status: 'failed' }).map((j) => j.id)).toEqual([ids.bad]);
    expect(h.queue.list({ status: ['succeeded', 'cancelled'], type: 'a' }).map((j) => j.id)).toEqual([
      ids.gone,
      ids.ok,
    ]);
    expect(h.queue.list({ type: 'b' }).map((j) => j.id)).toEqual([ids.later]);
    expect(h.queue.list({ limit: 2, offset: 1 }).map((j) => j.id)).toEqual([ids.gone, ids.bad]);
    expect(h.queue.get('missing')).toBeUndefined();
  });

  it('prunes finished jobs past their retention, keeping failed ones longer and live ones always', async () => {
    h = createHarness(quiet);
    const ids = await mixedJobs();
    h.clock.advance(2 * DAY);
    expect(h.queue.prune({ olderThanMs: 3 * DAY })).toBe(0);
    expect(h.queue.prune({ olderThanMs: DAY, failedOlderThanMs: 10 * DAY })).toBe(2);
    expect(
      h.queue
        .list()
        .map((j) => j.id)
        .sort(),
    ).toEqual([ids.bad, ids.later].sort());
    expect(h.queue.prune({ olderThanMs: DAY })).toBe(1);
    expect(h.queue.list().map((j) => j.id)).toEqual([ids.later]);
  });

  it('prunes by retention periodically while started', async () => {
    h = createHarness({ ...quiet, pruneIntervalMs: 60 * 60 * 1000, retention: { finishedMs: DAY, failedMs: 3 * DAY } });
    const ids = await mixedJobs();
    h.clock.advance(DAY + 60 * 60 * 1000);
    expect(
      h.queue
        .list()
        .map((j) => j.id)
        .sort(),
    ).toEqual([ids.bad, ids.later].sort());
    h.clock.advance(2 * DAY);
    expect(h.queue.list().map((j) => j.id)).toEqual([ids.later]);
  });
});

describe('TypedEmitter', () => {
  it('delivers payloads, supports once and unsubscribe, and survives a throwing listener', () => {
    const errors: unknown[] = [];
    const emitter = new TypedEmitter<{ ping: { n: number } }>((error) => errors.push(error));
    const seen: number[] = [];
    const off = emitter.on('ping', ({ n }) => seen.push(n));
    emitter.once('ping', ({ n }) => seen.push(n * 10));
    emitter.on('ping', () => {
      throw new Error('listener bug');
    });
    emitter.emit('ping', { n: 1 });
    off();
    emitter.emit('ping', { n: 2 });
    expect(seen).toEqual([1, 10]);
    expect(errors).toHaveLength(2);
    expect(emitter.listenerCount('ping')).toBe(1);
  });
});
