import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/shared/errors';
import { createJobQueue } from '../../src/main/core/queue';
import { createHarness, shutdown, deferred, settle, type QueueHarness } from './helpers';

const docSchema = z.object({ documentId: z.string(), connectorId: z.string().optional() });

describe('enqueue', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));

  it('stores a queued row with the given options and the defaults', () => {
    h = createHarness();
    h.queue.register('doc', { schema: docSchema, handler: async () => {} });
    const now = h.clock.now();
    const { id, deduplicated } = h.queue.enqueue('doc', { documentId: 'd1' }, { priority: 5, runAt: now + 1000 });
    expect(deduplicated).toBe(false);
    const job = h.queue.get(id)!;
    expect(job).toMatchObject({
      type: 'doc',
      payload: { documentId: 'd1' },
      status: 'queued',
      priority: 5,
      runAt: now + 1000,
      attempts: 0,
      maxAttempts: 3,
      createdAt: now,
      errorHistory: [],
    });
  });

  it('returns the live job for a duplicate key, and accepts the key again once that job finished', async () => {
    h = createHarness();
    const gate = deferred();
    h.queue.register('doc', { schema: docSchema, handler: () => gate.promise });
    const first = h.queue.enqueue('doc', { documentId: 'd1' }, { key: 'doc:d1' });
    expect(h.queue.enqueue('doc', { documentId: 'd1' }, { key: 'doc:d1' })).toEqual({
      id: first.id,
      deduplicated: true,
    });

    h.queue.start();
    await settle();
    expect(h.queue.get(first.id)!.status).toBe('running');
    expect(h.queue.enqueue('doc', { documentId: 'd1' }, { key: 'doc:d1' })).toEqual({
      id: first.id,
      deduplicated: true,
    });

    gate.resolve();
    await settle();
    expect(h.queue.get(first.id)!.status).toBe('succeeded');
    const again = h.queue.enqueue('doc', { documentId: 'd1' }, { key: 'doc:d1' });
    expect(again.deduplicated).toBe(false);
    expect(again.id).not.toBe(first.id);
    expect(h.queue.counts().byStatus.queued + h.queue.counts().byStatus.running).toBe(1);
  });

  it('rejects a payload that fails the schema, naming the field, and stores nothing', () => {
    h = createHarness();
    h.queue.register('doc', { schema: docSchema, handler: async () => {} });
    let caught: unknown;
    try {
      h.queue.enqueue('doc', { documentId: 42 } as never);
    } catch (error) {
      caught = error;
    }
    expect(AppError.is(caught, 'VALIDATION')).toBe(true);
    expect((caught as AppError).message).toMatch(/job type "doc".*documentId/);
    expect(h.queue.counts().byStatus.queued).toBe(0);
  });

  it('rejects an unknown job type and bad options clearly', () => {
    h = createHarness();
    h.queue.register('doc', { schema: docSchema, handler: async () => {} });
    expect(() => h.queue.enqueue('nope', {})).toThrow(/No handler is registered for job type "nope"/);
    expect(() => h.queue.enqueue('doc', { documentId: 'x' }, { maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => h.queue.enqueue('doc', { documentId: 'x' }, { priority: 1.5 })).toThrow(/priority/);
    expect(() => h.queue.register('doc', { schema: docSchema, handler: async () => {} })).toThrow(/already registered/);
  });

  it('uses the type default maxAttempts and computes the serial key at enqueue', () => {
    h = createHarness();
    h.queue.register('sync', {
      schema: z.object({ connectorId: z.string() }),
      handler: async () => {},
      maxAttempts: 5,
      serialKey: (p) => `connector:${p.connectorId}`,
    });
    const { id } = h.queue.enqueue('sync', { connectorId: 'c1' });
    expect(h.queue.get(id)).toMatchObject({ maxAttempts: 5, serialKey: 'connector:c1' });
  });

  it('lets a handler enqueue 50 jobs in one transaction of its own; they start only after the commit', async () => {
    h = createHarness({ concurrency: 4 });
    const processed: string[] = [];
    h.queue.register('doc', {
      schema: docSchema,
      handler: async (payload) => {
        processed.push(payload.documentId);
      },
    });
    h.queue.register('sync', {
      schema: z.object({ connectorId: z.string() }),
      handler: async (payload) => {
        const saveBatch = h.db.transaction(() => {
          h.db
            .prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('last_sync', ?, 0)`)
            .run(JSON.stringify(payload.connectorId));
          for (let i = 0; i < 50; i++)
            h.queue.enqueue('doc', { documentId: `d${i}`, connectorId: payload.connectorId });
          // Inside the transaction nothing has been announced or started yet.
          expect(processed).toHaveLength(0);
        });
        saveBatch();
        return { enqueued: 50 };
      },
    });
    h.queue.start();
    const { id } = h.queue.enqueue('sync', { connectorId: 'c1' });
    await settle(60);
    expect(h.queue.get(id)).toMatchObject({ status: 'succeeded', result: { enqueued: 50 } });
    expect(processed.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `d${i}`).sort());
    expect(h.events.filter((e) => e.name === 'queued')).toHaveLength(51);
  });

  it('leaves no job and emits no event when the enqueuing transaction rolls back', async () => {
    h = createHarness();
    h.queue.register('doc', { schema: docSchema, handler: async () => {} });
    h.queue.start();
    const failing = h.db.transaction(() => {
      h.queue.enqueue('doc', { documentId: 'd1' });
      throw new Error('the caller changed its mind');
    });
    expect(() => failing()).toThrow(/changed its mind/);
    await settle();
    expect(h.queue.list()).toHaveLength(0);
    expect(h.events).toHaveLength(0);
  });

  it('enqueueMany is all or nothing', () => {
    h = createHarness();
    h.queue.register('doc', { schema: docSchema, handler: async () => {} });
    expect(() =>
      h.queue.enqueueMany([
        { type: 'doc', payload: { documentId: 'a' } },
        { type: 'doc', payload: { documentId: 7 } as never },
      ]),
    ).toThrow(/documentId/);
    expect(h.queue.list()).toHaveLength(0);

    const results = h.queue.enqueueMany([
      { type: 'doc', payload: { documentId: 'a' }, options: { key: 'k' } },
      { type: 'doc', payload: { documentId: 'a' }, options: { key: 'k' } },
      { type: 'doc', payload: { documentId: 'b' } },
    ]);
    expect(results.map((r) => r.deduplicated)).toEqual([false, true, false]);
    expect(results[1]!.id).toBe(results[0]!.id);
    expect(h.queue.list()).toHaveLength(2);
  });

  it('checks payloads against a typed payload map at compile time', async () => {
    h = createHarness();
    const typed = createJobQueue<{ doc: { documentId: string } }>(h.db, { clock: h.clock });
    const seen: string[] = [];
    typed.register('doc', { schema: docSchema, handler: async (payload) => void seen.push(payload.documentId) });
    typed.enqueue('doc', { documentId: 'typed' });
    // @ts-expect-error -- documentId must be a string for 'doc' jobs
    expect(() => typed.enqueue('doc', { documentId: 1 })).toThrow(/documentId/);
    typed.start();
    await settle();
    expect(seen).toEqual(['typed']);
    const stopped = typed.stop({ deadlineMs: 0 });
    h.clock.advance(0);
    await stopped;
  });
});
