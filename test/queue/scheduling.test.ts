import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobQueue, SqliteJobStore } from '../../src/main/core/queue';
import { createHarness, shutdown, deferred, settle, type Deferred, type QueueHarness } from './helpers';

const schema = z.object({ name: z.string(), connectorId: z.string().optional() });

/** A handler that records starts and waits until the test releases that job by name. */
function gatedHandler() {
  const started: string[] = [];
  const gates = new Map<string, Deferred>();
  const handler = async (payload: { name: string }) => {
    started.push(payload.name);
    const gate = deferred();
    gates.set(payload.name, gate);
    await gate.promise;
  };
  const release = (name: string) => gates.get(name)!.resolve();
  return { started, handler, release };
}

describe('scheduling', () => {
  let h: QueueHarness;
  afterEach(() => shutdown(h));

  it('starts a job enqueued into an idle, started queue without any time passing', async () => {
    h = createHarness({ pollIntervalMs: 60_000 });
    const g = gatedHandler();
    h.queue.register('work', { schema, handler: g.handler });
    h.queue.start();
    await settle();
    const before = h.clock.now();
    h.queue.enqueue('work', { name: 'a' });
    await settle(3);
    expect(g.started).toEqual(['a']);
    expect(h.clock.now()).toBe(before);
    g.release('a');
  });

  it('runs due jobs by priority, then by run time, then in insertion order', async () => {
    h = createHarness({ concurrency: 1 });
    const g = gatedHandler();
    h.queue.register('work', { schema, handler: g.handler });
    const now = h.clock.now();
    h.queue.enqueue('work', { name: 'low-old' }, { priority: 0, runAt: now - 10 });
    h.queue.enqueue('work', { name: 'low-new' }, { priority: 0 });
    h.queue.enqueue('work', { name: 'high' }, { priority: 10 });
    h.queue.enqueue('work', { name: 'low-new-2' }, { priority: 0 });
    h.queue.start();
    for (const name of ['high', 'low-old', 'low-new', 'low-new-2']) {
      await settle();
      expect(g.started.at(-1)).toBe(name);
      g.release(name);
    }
  });

  it('holds a job until its runAt and then wakes for it without waiting a poll interval', async () => {
    h = createHarness({ pollIntervalMs: 60_000 });
    const g = gatedHandler();
    h.queue.register('work', { schema, handler: g.handler });
    h.queue.start();
    await settle();
    h.queue.enqueue('work', { name: 'later' }, { runAt: h.clock.now() + 5_000 });
    await settle();
    h.clock.advance(4_999);
    await settle();
    expect(g.started).toEqual([]);
    h.clock.advance(1);
    await settle();
    expect(g.started).toEqual(['later']);
    g.release('later');
  });

  it('never runs more than the global concurrency, and fills freed slots at once', async () => {
    h = createHarness({ concurrency: 3 });
    const g = gatedHandler();
    h.queue.register('work', { schema, handler: g.handler });
    for (let i = 0; i < 7; i++) h.queue.enqueue('work', { name: `j${i}` });
    h.queue.start();
    await settle();
    expect(g.started).toHaveLength(3);
    expect(h.queue.counts().byStatus.running).toBe(3);
    g.release('j0');
    await settle();
    expect(g.started).toHaveLength(4);
    expect(h.queue.runningCount).toBe(3);
  });

  it('applies per-type limits while other types use the remaining slots', async () => {
    h = createHarness({ concurrency: 4 });
    const heavy = gatedHandler();
    const light = gatedHandler();
    h.queue.register('heavy', { schema, handler: heavy.handler, concurrency: 1 });
    h.queue.register('light', { schema, handler: light.handler });
    for (let i = 0; i < 3; i++) h.queue.enqueue('heavy', { name: `h${i}` }, { priority: 10 });
    for (let i = 0; i < 5; i++) h.queue.enqueue('light', { name: `l${i}` });
    h.queue.start();
    await settle();
    expect(heavy.started).toEqual(['h0']);
    expect(light.started).toEqual(['l0', 'l1', 'l2']);
    heavy.release('h0');
    await settle();
    expect(heavy.started).toEqual(['h0', 'h1']);
  });

  it('finds jobs of other types behind a backlog of a type at its limit', async () => {
    h = createHarness({ concurrency: 4 });
    const heavy = gatedHandler();
    const light = gatedHandler();
    h.queue.register('heavy', { schema, handler: heavy.handler, concurrency: 1 });
    h.queue.register('light', { schema, handler: light.handler });
    // Far more than one claim page of the limited type, all ahead in priority.
    for (let i = 0; i < 200; i++) h.queue.enqueue('heavy', { name: `h${i}` }, { priority: 10 });
    for (let i = 0; i < 2; i++) h.queue.enqueue('light', { name: `l${i}` });
    h.queue.start();
    await settle();
    expect(heavy.started).toEqual(['h0']);
    expect(light.started).toEqual(['l0', 'l1']);
    light.release('l0');
    heavy.release('h0');
    await settle();
    expect(heavy.started).toEqual(['h0', 'h1']);
    // A light job enqueued later still jumps the heavy backlog into a free slot.
    h.queue.enqueue('light', { name: 'l2' });
    await settle();
    expect(light.started).toEqual(['l0', 'l1', 'l2']);
  });

  it('runs one job per serial key at a time, skipping (not blocking on) a busy key', async () => {
    h = createHarness({ concurrency: 5 });
    const g = gatedHandler();
    h.queue.register('sync', { schema, handler: g.handler, serialKey: (p) => p.connectorId });
    h.queue.enqueue('sync', { name: 'c1-a', connectorId: 'c1' }, { priority: 5 });
    h.queue.enqueue('sync', { name: 'c1-b', connectorId: 'c1' }, { priority: 5 });
    h.queue.enqueue('sync', { name: 'c2-a', connectorId: 'c2' });
    h.queue.enqueue('sync', { name: 'free' });
    h.queue.start();
    await settle();
    expect(g.started.sort()).toEqual(['c1-a', 'c2-a', 'free']);
    // A later claim must see the key as busy too, not only jobs claimed together.
    h.queue.enqueue('sync', { name: 'c2-b', connectorId: 'c2' });
    await settle();
    expect(g.started).not.toContain('c2-b');
    g.release('c1-a');
    await settle();
    expect(g.started).toContain('c1-b');
  });

  it('respects a serial key held by a job running in another worker', async () => {
    h = createHarness({ concurrency: 5 });
    const other = new JobQueue({ store: new SqliteJobStore(h.db), clock: h.clock, pruneIntervalMs: 0 });
    const g = gatedHandler();
    const og = gatedHandler();
    h.queue.register('sync', { schema, handler: g.handler, serialKey: (p) => p.connectorId });
    other.register('sync', { schema, handler: og.handler, serialKey: (p) => p.connectorId });
    other.enqueue('sync', { name: 'theirs', connectorId: 'c1' });
    other.start();
    await settle();
    expect(og.started).toEqual(['theirs']);
    h.queue.enqueue('sync', { name: 'ours', connectorId: 'c1' });
    h.queue.start();
    await settle();
    expect(g.started).toEqual([]);
    // The other worker stops claiming but finishes its job; it does not tell
    // us, so our poll is what finds the key free.
    const otherStopped = other.stop({ deadlineMs: 60_000 });
    og.release('theirs');
    await otherStopped;
    await settle();
    expect(g.started).toEqual([]);
    h.clock.advance(1_000);
    await settle();
    expect(g.started).toEqual(['ours']);
    g.release('ours');
  });

  it('polls for jobs that another process inserted', async () => {
    h = createHarness({ pollIntervalMs: 2_000 });
    const g = gatedHandler();
    h.queue.register('work', { schema, handler: g.handler });
    h.queue.start();
    await settle();
    // A second queue on the same database stands in for another process.
    const producer = new JobQueue({ store: new SqliteJobStore(h.db), clock: h.clock, pruneIntervalMs: 0 });
    producer.register('work', { schema, handler: async () => {} });
    producer.enqueue('work', { name: 'from-elsewhere' });
    await settle();
    expect(g.started).toEqual([]);
    h.clock.advance(2_000);
    await settle();
    expect(g.started).toEqual(['from-elsewhere']);
    g.release('from-elsewhere');
  });
});
