import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobContext, QueueEvents } from '../../src/main/core/queue';
import { createHarness, deferred, settle, shutdown, type QueueHarness } from './helpers';

const schema = z.object({ n: z.number() });

describe('progress', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));

  /** Starts one job and hands its context to the test, with a gate to finish it. */
  async function runningJob() {
    h = createHarness({ progressIntervalMs: 250 });
    const gate = deferred();
    let ctx!: JobContext;
    h.queue.register('job', {
      schema,
      handler: async (_p, c) => {
        ctx = c;
        await gate.promise;
      },
    });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.start();
    await settle();
    const progressEvents = () =>
      h.events.filter((e) => e.name === 'progress').map((e) => e.payload as QueueEvents['progress']);
    return { id, ctx, finish: gate.resolve, progressEvents };
  }

  it('writes the first report at once and at most one more per interval, latest value winning', async () => {
    const { id, ctx, progressEvents } = await runningJob();
    ctx.progress(0.1, 'listing files');
    expect(h.queue.get(id)).toMatchObject({ progress: 0.1, progressMessage: 'listing files' });
    ctx.progress(0.2, 'a');
    ctx.progress(0.3, 'b');
    h.clock.advance(100);
    ctx.progress(0.4, 'c');
    expect(h.queue.get(id)!.progress).toBe(0.1);
    h.clock.advance(150);
    // The trailing write carries the latest value.
    expect(h.queue.get(id)).toMatchObject({ progress: 0.4, progressMessage: 'c' });
    expect(progressEvents().map((e) => e.progress)).toEqual([0.1, 0.4]);
    expect(progressEvents()[1]).toMatchObject({ jobId: id, type: 'job', attempt: 1, message: 'c' });
  });

  it('always writes the last value before the job finishes, even inside the interval', async () => {
    const { id, ctx, finish, progressEvents } = await runningJob();
    ctx.progress(0.5);
    ctx.progress(1, 'done');
    finish();
    await settle();
    expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', progress: 1, progressMessage: 'done' });
    expect(progressEvents().map((e) => e.progress)).toEqual([0.5, 1]);
    const names = h.events.map((e) => e.name);
    expect(names.indexOf('succeeded')).toBeGreaterThan(names.lastIndexOf('progress'));
  });

  it('clamps fractions to 0..1 and ignores NaN', async () => {
    const { id, ctx } = await runningJob();
    ctx.progress(7);
    expect(h.queue.get(id)!.progress).toBe(1);
    h.clock.advance(250);
    ctx.progress(-3);
    expect(h.queue.get(id)!.progress).toBe(0);
    h.clock.advance(250);
    ctx.progress(Number.NaN);
    expect(h.queue.get(id)!.progress).toBe(0);
  });
});
