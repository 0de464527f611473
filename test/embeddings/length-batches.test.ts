import { describe, expect, it } from 'vitest';
import { lengthBatches } from '../../src/main/core/embeddings/length-batches';

/** Padded tokens of a split: each run costs its size times its longest text. */
const padded = (lengths: number[], runs: number[][]): number =>
  runs.reduce((sum, run) => sum + run.length * Math.max(...run.map((i) => lengths[i]!)), 0);

describe('lengthBatches', () => {
  const lengths = [120, 480, 30, 500, 118, 125, 31, 490, 122, 29, 510, 119];

  it('covers every text once, each run sorted by length and no longer than allowed', () => {
    const runs = lengthBatches(lengths, 4);
    expect(runs.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    for (const run of runs) {
      expect(run.length).toBeLessThanOrEqual(4);
      expect(run.map((i) => lengths[i]!)).toEqual([...run.map((i) => lengths[i]!)].sort((a, b) => a - b));
    }
  });

  it('groups texts of similar length instead of padding short ones to the longest', () => {
    const runs = lengthBatches(lengths, 32, 64);
    // Three clusters (about 30, 120 and 500 tokens): three runs, almost no padding.
    expect(runs.map((run) => run.map((i) => lengths[i]!))).toEqual([
      [29, 30, 31],
      [118, 119, 120, 122, 125],
      [480, 490, 500, 510],
    ]);
    const real = lengths.reduce((a, b) => a + b, 0);
    expect(padded(lengths, runs) / real).toBeLessThan(1.05);
    // One run for all would pad everything to 510 tokens.
    expect(padded(lengths, [lengths.map((_, i) => i)]) / real).toBeGreaterThan(2.2);
  });

  it('prefers fewer, longer runs when a run is expensive', () => {
    expect(lengthBatches(lengths, 32, 1e9, Infinity)).toHaveLength(1);
    expect(lengthBatches(lengths, 5, 1e9, Infinity)).toHaveLength(3);
  });

  it('keeps every run within the padded-token cap, and runs a text longer than the cap alone', () => {
    const many = Array.from({ length: 64 }, (_, i) => 100 + (i % 5));
    const runs = lengthBatches([...many, 900], 32, 64, 1000);
    for (const run of runs) {
      const padded = run.length * Math.max(...run.map((i) => [...many, 900][i]!));
      if (run.length > 1) expect(padded).toBeLessThanOrEqual(1000);
    }
    expect(runs).toContainEqual([64]);
    expect(runs.flat()).toHaveLength(65);
  });

  it('handles no texts and one text', () => {
    expect(lengthBatches([], 32)).toEqual([]);
    expect(lengthBatches([7], 32)).toEqual([[0]]);
  });
});
