import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHarness, deferred, settle, shutdown, type QueueHarness } from './helpers';

const schema = z.object({ n: z.number() });

describe('shutdown', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));

  it('waits for in-flight jobs that finish before the deadline, and claims nothing new meanwhile', async () => {
    h = createHarness({ concurrency: 1 });
    const gate = deferred();
    const started: number[] = [];
    h.queue.register('job', {
      schema,
      handler: async (p) => {
        started.push(p.n);
        await gate.promise;
      },
    });
    const first = h.queue.enqueue('job', { n: 1 });
    const second = h.queue.enqueue('job', { n: 2 });
    h.queue.start();
    await settle();
    let stopped = false;
    const stopping = h.queue.stop({ deadlineMs: 5_000 }).then(() => (stopped = true));
    h.clock.advance(4_000);
    await settle();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(started).toEqual([1]);
    expect(h.queue.get(first.id)!.status).toBe('succeeded');
    expect(h.queue.get(second.id)!.status).toBe('queued');
  });

  it('past the deadline aborts the job and gives it back to the queue without using up an attempt', async () => {
    h = createHarness({ concurrency: 2 });
    let sawAbort = false;
    const attempts: number[] = [];
    h.queue.register('job', {
      schema,
      handler: (_p, ctx) => {
        attempts.push(ctx.job.attempt);
        if (attempts.length > 1) return Promise.resolve('done');
        // Ignores the signal on purpose: shutdown must not hang on it.
        ctx.signal.addEventListener('abort', () => (sawAbort = true));
        return new Promise(() => {});
      },
    });
    const { id } = h.queue.enqueue('job', { n: 1 });
    h.queue.start();
    await settle();
    const stopping = h.queue.stop({ deadlineMs: 2_000 });
    h.clock.advance(2_000);
    await stopping;
    expect(sawAbort).toBe(true);
    expect(h.queue.get(id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
    expect(h.queue.runningCount).toBe(0);

    h.queue.start();
    await settle();
    expect(attempts).toEqual([1, 1]);
    expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 1, result: 'done' });
  });

  it('keeps its process alive while a job waits on the clock, until the job ends or the deadline passes', () => {
    // A job in a rate limit's pause had left nothing but unref'd timers: the
    // process quit in the middle of the awaited stop with exit code 13.
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'test/queue/fixtures/stop-while-waiting.ts', ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
    const stop = (pauseMs: number, deadlineMs: number) => run(`${pauseMs}`, `${deadlineMs}`);
    const finished = stop(300, 10_000);
    expect(finished.status, finished.stderr).toBe(0);
    expect(finished.stdout).toBe('job succeeded\nstopped, job succeeded\n');
    const abandoned = stop(60_000, 300);
    expect(abandoned.status, abandoned.stderr).toBe(0);
    expect(abandoned.stdout).toBe('stopped, job queued\n');
    // A rate limit's pause is awaited work: it keeps the process alive by itself.
    const paused = run('delay');
    expect(paused.status, paused.stderr).toBe(0);
    expect(paused.stdout).toBe('waited\n');
  });
});
