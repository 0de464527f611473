import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import Database from 'better-sqlite3';
import { AppError, toAppError } from '../../src/shared/errors';
import { backoffDelayMs, DEFAULT_BACKOFF, nonRetryable } from '../../src/main/core/queue';
import { createHarness, settle, shutdown, type QueueHarness } from './helpers';

const schema = z.object({ documentId: z.string() });

describe('backoffDelayMs', () => {
  const options = { baseMs: 1_000, maxMs: 10_000, jitter: 0.5 };

  it('doubles per attempt up to the cap', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, options, noJitter))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it('takes off up to the jitter fraction, never more', () => {
    expect(backoffDelayMs(3, options, () => 0.999_999)).toBe(2_000);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(3_000);
    expect(backoffDelayMs(1, { ...options, jitter: 0 }, () => 0.9)).toBe(1_000);
  });

  it('defaults to a 2 s base and a 5 min cap', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 2_000, maxMs: 300_000, jitter: 0.5 });
  });
});

describe('retries', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));

  /** A harness with a 1 s backoff, no jitter, and a 'doc' handler given its call number; returns the call count. */
  const countingHandler = (handle: (call: number) => unknown): (() => number) => {
    h = createHarness({ backoff: { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 }, random: () => 0 });
    let calls = 0;
    h.queue.register('doc', { schema, handler: async () => handle(++calls) });
    return () => calls;
  };

  it('retries with exponential backoff and then stays failed with its full error history', async () => {
    const callCount = countingHandler((call) => {
      throw new AppError('UNAVAILABLE', `Provider unavailable (try ${call}).`);
    });
    const start = h.clock.now();
    const { id } = h.queue.enqueue('doc', { documentId: 'd1' });
    h.queue.start();
    await settle();

    expect(callCount()).toBe(1);
    let job = h.queue.get(id)!;
    expect(job).toMatchObject({
      status: 'queued',
      attempts: 1,
      runAt: start + 1_000,
      lastError: 'Provider unavailable (try 1).',
    });

    h.clock.advance(999);
    await settle();
    expect(callCount()).toBe(1);
    h.clock.advance(1);
    await settle();
    expect(callCount()).toBe(2);
    expect(h.queue.get(id)!.runAt).toBe(start + 1_000 + 2_000);

    h.clock.advance(2_000);
    await settle();
    expect(callCount()).toBe(3);
    job = h.queue.get(id)!;
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(3);
    expect(job.lastError).toBe('Provider unavailable (try 3).');
    expect(job.finishedAt).toBe(start + 3_000);
    expect(job.errorHistory).toEqual([
      { attempt: 1, code: 'UNAVAILABLE', message: 'Provider unavailable (try 1).', at: start },
      { attempt: 2, code: 'UNAVAILABLE', message: 'Provider unavailable (try 2).', at: start + 1_000 },
      { attempt: 3, code: 'UNAVAILABLE', message: 'Provider unavailable (try 3).', at: start + 3_000 },
    ]);
    h.clock.advance(600_000);
    await settle();
    expect(callCount()).toBe(3);

    const names = h.events.map((e) => e.name);
    expect(names).toEqual(['queued', 'started', 'retrying', 'started', 'retrying', 'started', 'failed']);
    expect(h.events[2]!.payload).toMatchObject({
      jobId: id,
      attempt: 1,
      maxAttempts: 3,
      delayMs: 1_000,
      error: { code: 'UNAVAILABLE' },
    });
    expect(h.events[6]!.payload).toMatchObject({
      jobId: id,
      attempt: 3,
      error: { code: 'UNAVAILABLE', message: 'Provider unavailable (try 3).' },
    });
  });

  it('succeeds on a later attempt and keeps the earlier errors', async () => {
    h = createHarness({ backoff: { baseMs: 100 } });
    let calls = 0;
    h.queue.register('doc', {
      schema,
      handler: async () => {
        if (++calls === 1) throw new Error('flaky network');
        return { chunks: 3 };
      },
    });
    const { id } = h.queue.enqueue('doc', { documentId: 'd1' });
    h.queue.start();
    await settle();
    h.clock.advance(100);
    await settle();
    expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 2, lastError: null, result: { chunks: 3 } });
    expect(h.queue.get(id)!.errorHistory).toEqual([
      { attempt: 1, code: 'INTERNAL', message: 'flaky network', at: expect.any(Number) },
    ]);
  });

  it.each([
    ['an AppError VALIDATION', () => new AppError('VALIDATION', 'The folder path is not absolute.')],
    ['an error flagged nonRetryable', () => nonRetryable(new AppError('NOT_FOUND', 'The connector was removed.'))],
  ])('fails at once without retry on %s', async (_label, makeError) => {
    h = createHarness();
    let calls = 0;
    h.queue.register('doc', {
      schema,
      handler: async () => {
        calls++;
        throw makeError();
      },
    });
    const { id } = h.queue.enqueue('doc', { documentId: 'd1' }, { maxAttempts: 5 });
    h.queue.start();
    await settle();
    h.clock.advance(3_600_000);
    await settle();
    expect(calls).toBe(1);
    expect(h.queue.get(id)).toMatchObject({ status: 'failed', attempts: 1, lastError: makeError().message });
  });

  it('fails a stored payload that no longer matches the schema at claim time, naming the field, without running it', async () => {
    h = createHarness();
    let calls = 0;
    h.queue.register('doc', {
      schema,
      handler: async () => {
        calls++;
      },
    });
    // Written by an older build or another process: enqueue's check never saw it.
    h.db
      .prepare(
        `INSERT INTO jobs (id, type, payload, status, run_at, created_at, updated_at) VALUES ('bad', 'doc', ?, 'queued', 0, 0, 0)`,
      )
      .run(JSON.stringify({ documentId: 7 }));
    h.queue.start();
    await settle();
    expect(calls).toBe(0);
    const job = h.queue.get('bad')!;
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.lastError).toMatch(/Invalid payload for job type "doc": documentId:/);
    expect(job.errorHistory[0]!.code).toBe('VALIDATION');
    expect(h.events.map((e) => e.name)).toEqual(['failed']);
  });

  it('fails a job of an unknown type clearly instead of leaving it queued', async () => {
    h = createHarness();
    h.queue.register('doc', { schema, handler: async () => {} });
    h.db
      .prepare(
        `INSERT INTO jobs (id, type, payload, status, run_at, created_at, updated_at) VALUES ('odd', 'mystery', '{}', 'queued', 0, 0, 0)`,
      )
      .run();
    h.queue.start();
    await settle();
    expect(h.queue.get('odd')).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/No handler is registered for job type "mystery"/),
    });
  });

  it('gives back the attempt when another process held the library locked, and runs again after a pause', async () => {
    const callCount = countingHandler((call) => {
      // What better-sqlite3 throws once busy_timeout has passed, wrapped as the handlers wrap errors.
      if (call <= 5) throw toAppError(new Database.SqliteError('database is locked', 'SQLITE_BUSY'));
      return 'done';
    });
    const start = h.clock.now();
    const { id } = h.queue.enqueue('doc', { documentId: 'd1' });
    h.queue.start();
    await settle();
    expect(h.queue.get(id)).toMatchObject({ status: 'queued', attempts: 0, runAt: start + 1_000 });

    for (let i = 0; i < 5; i++) {
      h.clock.advance(1_000);
      await settle();
    }
    // Five waits on a busy library, more than its three attempts: it still runs, and nothing counts against it.
    expect(callCount()).toBe(6);
    expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', attempts: 1, errorHistory: [] });
  });
});
