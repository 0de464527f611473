import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/main/core/embeddings/types';
import { openStandinEmbedder, type OpenedStandin } from '../helpers/test-core';

/** A chunk of about 100 tokens; `n` makes each one different. */
const chunk = (n: number): string =>
  `Section ${n}. The sync walks the folder, hashes each file and parses the changed ones in worker threads. ` +
  `Chunks are embedded in the background and written in group commits, so keyword search works at once. ${n}`;

/** Starts the calls in order and records the order in which they settle. */
function settleOrder(calls: Array<[string, () => Promise<unknown>]>): { order: string[]; done: Promise<unknown> } {
  const order: string[] = [];
  const done = Promise.all(calls.map(([name, call]) => call().finally(() => order.push(name))));
  return { order, done };
}

describe('the embedding worker serves a search before indexing work (full-size stand-in model)', () => {
  let standin: OpenedStandin;
  let embedder: Embedder;

  beforeAll(async () => {
    standin = await openStandinEmbedder();
    embedder = standin.embedder;
  }, 120_000);

  afterAll(() => standin?.close());

  it('answers a query submitted behind a large document backlog before the rest of the backlog', async () => {
    // 30 documents of 8 chunks (each text alone is one model run), then a query.
    const backlog: Array<[string, () => Promise<unknown>]> = Array.from({ length: 30 }, (_, d) => [
      `doc${d}`,
      () => embedder.embedDocuments(Array.from({ length: 8 }, (_, i) => chunk(d * 8 + i))),
    ]);
    const { order, done } = settleOrder([...backlog, ['query', () => embedder.embedQuery('how are deletions found')]]);
    await done;
    // At most the document in progress when the query arrived finishes first.
    expect(order.indexOf('query')).toBeLessThanOrEqual(1);
    expect(order.filter((name) => name !== 'query')).toEqual(backlog.map(([name]) => name));
  });

  it('answers a query that arrives while the backlog is being embedded before the documents still waiting', async () => {
    const docs = Array.from({ length: 20 }, (_, d) =>
      embedder.embedDocuments(Array.from({ length: 8 }, (_, i) => chunk(1000 + d * 8 + i))),
    );
    const finished: number[] = [];
    docs.forEach((doc, d) => void doc.then(() => finished.push(d)));
    await docs[0];
    await embedder.embedQuery('where is the group commit');
    // The query overtook everything still waiting: at most one more document got through.
    expect(finished.length).toBeLessThanOrEqual(2);
    await Promise.all(docs);
    expect(finished).toHaveLength(20);
  });

  it('embeds the most recently changed documents first, and search texts before any of them', async () => {
    const { order, done } = settleOrder([
      ['oldest', () => embedder.embedDocuments([chunk(1), chunk(2)], { priority: 0 })],
      ['old', () => embedder.embedDocuments([chunk(3), chunk(4)], { priority: 1_000 })],
      ['new', () => embedder.embedDocuments([chunk(5), chunk(6)], { priority: 9_000 })],
      ['snippets', () => embedder.embedDocuments(['A sentence.', 'Another one.'], { purpose: 'search' })],
    ]);
    await done;
    expect(order).toEqual(['snippets', 'new', 'old', 'oldest']);
  });

  it.runIf(process.platform === 'linux')('runs below the priority of the main thread, which serves searches', () => {
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
    const nice = (tid: string): number =>
      Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const main = nice(String(process.pid));
    const niced = readdirSync('/proc/self/task').filter((tid) => nice(tid) >= main + 10);
    // The embedding worker lowered itself when it started; nothing else in this process does.
    expect(niced).toHaveLength(1);
  });

  it('stops a cancelled request at once, leaving the others to finish', async () => {
    const controller = new AbortController();
    const cancelled = embedder.embedDocuments(
      Array.from({ length: 200 }, (_, i) => chunk(5000 + i)),
      { signal: controller.signal },
    );
    const after = embedder.embedDocuments([chunk(1), chunk(2)]);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    const [a, b] = await after;
    const [aAlone] = await embedder.embedDocuments([chunk(1)]);
    expect(Array.from(a!)).toEqual(Array.from(aAlone!));
    expect(b).toHaveLength(384);
  });
});
