import { describe, expect, it } from 'vitest';
import { RunScheduler, type Lane, type ScheduledRequest } from '../../src/main/core/embeddings/run-scheduler';

interface Req extends ScheduledRequest {
  name: string;
}

/** A request whose texts have these token lengths. */
const request = (name: string, lane: Lane, lengths: number[], priority = 0): Req => ({
  name,
  lane,
  priority,
  encoded: lengths.map((n) => Array.from({ length: n }, () => 1)),
});

/** Every run until nothing waits, as `name:index` lists. */
function drain(scheduler: RunScheduler<Req>): string[][] {
  const runs: string[][] = [];
  for (let run = scheduler.next(); run; run = scheduler.next()) {
    runs.push(run.items.map(({ request: r, index }) => `${r.name}:${index}`));
  }
  return runs;
}

describe('RunScheduler', () => {
  it('serves queries, then search texts, then documents, whatever the order they came in', () => {
    const scheduler = new RunScheduler<Req>(1);
    scheduler.add(request('doc', 'document', [100, 100, 100]));
    scheduler.add(request('snippets', 'search', [20, 20]));
    scheduler.add(request('query', 'query', [8]));
    expect(drain(scheduler)).toEqual([['query:0'], ['snippets:0'], ['snippets:1'], ['doc:0'], ['doc:1'], ['doc:2']]);
  });

  it('puts a query that arrives mid-backlog next, ahead of the texts still waiting', () => {
    const scheduler = new RunScheduler<Req>(1);
    for (let d = 0; d < 50; d++) scheduler.add(request(`doc${d}`, 'document', [120, 80, 60]));
    const first = scheduler.next()!;
    expect(first.items[0]!.request.name).toBe('doc0');
    scheduler.add(request('query', 'query', [10]));
    expect(scheduler.next()!.items.map((i) => i.request.name)).toEqual(['query']);
    expect(drain(scheduler)).toHaveLength(50 * 3 - 1);
  });

  it('serves documents by priority (most recently changed first), then in order of arrival', () => {
    const scheduler = new RunScheduler<Req>(1);
    scheduler.add(request('old', 'document', [50]));
    scheduler.add(request('new', 'document', [50], 2_000));
    scheduler.add(request('older', 'document', [50], -5));
    scheduler.add(request('newer-second', 'document', [50], 2_000));
    expect(drain(scheduler).flat()).toEqual(['new:0', 'newer-second:0', 'old:0', 'older:0']);
  });

  it('fills runs with texts of similar length from other requests, the most urgent text always in', () => {
    const scheduler = new RunScheduler<Req>(4);
    scheduler.add(request('a', 'document', [300, 40]));
    scheduler.add(request('b', 'document', [42, 310, 41]));
    scheduler.add(request('c', 'document', [39, 305]));
    const runs = drain(scheduler);
    // a:0 (300 tokens) runs with the other long texts, not padded with the short ones.
    expect(runs[0]!.sort()).toEqual(['a:0', 'b:1', 'c:1']);
    expect(runs[1]!.sort()).toEqual(['a:1', 'b:0', 'b:2', 'c:0']);
    expect(runs).toHaveLength(2);
  });

  it('finishes requests in order of urgency when runs are one text each', () => {
    const scheduler = new RunScheduler<Req>(1);
    scheduler.add(request('a', 'document', [10, 500, 20]));
    scheduler.add(request('b', 'document', [5, 5]));
    expect(drain(scheduler).flat()).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'b:1']);
  });

  it('drops what a removed request still had waiting, and nothing of the others', () => {
    const scheduler = new RunScheduler<Req>(1);
    const gone = request('gone', 'document', [10, 10, 10]);
    scheduler.add(gone);
    scheduler.add(request('kept', 'document', [10]));
    expect(scheduler.next()!.items[0]!.request).toBe(gone);
    scheduler.remove(gone);
    expect(drain(scheduler)).toEqual([['kept:0']]);
    expect(scheduler.hasWaiting()).toBe(false);
  });
});
