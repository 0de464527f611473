import { describe, expect, it } from 'vitest';
import { HANGUL_WEIGHT, measureText, WIDE_WEIGHT } from '../../src/main/core/ingest/chunking/text-measure';

describe('text measure for chunk sizes', () => {
  it('counts alphabetic text as characters', () => {
    const measure = measureText('Water the tomatoes every morning.');
    expect(measure.length(0, 5)).toBe(5);
    expect(measure.reach(6, 10)).toBe(16);
    expect(measure.reach(30, 10)).toBe(33);
    expect(measure.reachBack(16, 10)).toBe(6);
    expect(measure.reachBack(3, 10)).toBe(0);
  });

  it('counts a Chinese or Japanese character as a token of prose, and a Hangul syllable as more', () => {
    const text = 'ab温室トマトcd온실';
    const measure = measureText(text);
    expect(measure.length(0, 2)).toBe(2);
    expect(measure.length(2, 7)).toBe(5 * WIDE_WEIGHT);
    expect(measure.length(9, 11)).toBe(2 * HANGUL_WEIGHT);
    expect(measure.length(0, text.length)).toBe(4 + 5 * WIDE_WEIGHT + 2 * HANGUL_WEIGHT);
    // The furthest end within a budget, and the earliest start.
    expect(measure.reach(0, 2 + 2 * WIDE_WEIGHT)).toBe(4);
    expect(measure.reach(0, 2 + 2 * WIDE_WEIGHT - 0.5)).toBe(3);
    expect(measure.reachBack(7, 3 * WIDE_WEIGHT)).toBe(4);
    expect(measure.reachBack(text.length, HANGUL_WEIGHT)).toBe(text.length - 1);
  });
});
