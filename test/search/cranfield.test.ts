import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { defaultCranfieldDir, loadCranfield, parseQrels, parseQueries } from '../../bench/lib/cranfield';
import { mrrAt, ndcgAt, recallAt } from '../../bench/lib/metrics';

describe('Cranfield parser', () => {
  it('numbers queries by position, not by their .I label, and maps relevance to gain 5 - r, dropping -1', () => {
    const queries = parseQueries('.I 001\n.W\nfirst query .\n.I 004\n.W\nsecond\nquery .\n');
    expect(queries).toEqual([
      { position: 1, label: '001', text: 'first query .' },
      { position: 2, label: '004', text: 'second query .' },
    ]);
    const qrels = parseQrels('1 184 2\n1 29 4\n2 12 -1\n2 13 1\n');
    expect([...qrels.get(1)!]).toEqual([
      [184, 3],
      [29, 1],
    ]);
    expect([...qrels.get(2)!]).toEqual([[13, 4]]);
  });

  it.runIf(existsSync(defaultCranfieldDir()))('loads the whole collection', () => {
    const { documents, queries, qrels } = loadCranfield();
    expect(documents).toHaveLength(1400);
    expect(documents[0]).toMatchObject({ id: 1, title: expect.stringContaining('slipstream') });
    expect(queries).toHaveLength(225);
    expect(Math.max(...qrels.keys())).toBe(225);
  });
});

describe('ranking metrics', () => {
  it('scores a perfect, a shifted and an empty ranking', () => {
    const gains = new Map([
      ['a', 3],
      ['b', 1],
    ]);
    expect(ndcgAt(['a', 'b'], gains, 10)).toBeCloseTo(1);
    expect(ndcgAt(['x', 'a', 'b'], gains, 10)).toBeLessThan(1);
    expect(mrrAt(['x', 'b'], gains, 10)).toBe(0.5);
    expect(recallAt(['a'], gains, 100)).toBe(0.5);
    expect(ndcgAt([], gains, 10)).toBe(0);
  });
});
