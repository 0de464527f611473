import { describe, expect, it } from 'vitest';
import {
  CODE_WEIGHTS,
  HANGUL_WEIGHT,
  measureText,
  WIDE_WEIGHT,
} from '../../src/main/core/ingest/chunking/text-measure';

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

  it('weighs code by what the tokenizer makes of it: symbols and digits heavy, spaces light', () => {
    const { letter, digit, space, symbol } = CODE_WEIGHTS;
    const close = (value: number): number => Math.round(value * 10) / 10;
    const line = 'const ab = x_1;';
    const measure = measureText(line, { code: true });
    // c-o-n-s-t, a-b, x: letters; the spaces; '=', '_', ';': symbols; '1': a digit.
    expect(measure.length(0, line.length)).toBeCloseTo(8 * letter + 3 * space + 3 * symbol + digit);
    // A regular expression measures far longer than words of as many characters.
    const perChar = (text: string): number => measureText(text, { code: true }).length(0, text.length) / text.length;
    expect(perChar('/^\\s{0,3}(`{3,}|~{3,})/;')).toBeGreaterThan(2 * perChar('const heading = readLine'));
    // Reach and reachBack agree with length, whatever the weights.
    const end = measure.reach(0, close(5 * letter + space));
    expect(line.slice(0, end)).toBe('const ');
    expect(measure.reachBack(line.length, close(symbol + digit + symbol))).toBe(line.length - 3);
    // Indentation costs next to nothing: a budget reaches far past it.
    const indented = measureText(`${' '.repeat(40)}x`, { code: true });
    expect(indented.reach(0, 5)).toBe(41);
  });
});
