import { describe, expect, it } from 'vitest';
import { shownRatio } from '../../src/main/cli/progress';

describe("the CLI progress bar's share", () => {
  it('is documents indexed of those known once no sync is reading', () => {
    expect(shownRatio(565, 600, null)).toBeCloseTo(565 / 600);
    expect(shownRatio(0, 0, null)).toBe(0);
  });

  it('never runs ahead of the files a sync has read: 565 of 600 known with 60% of the folder read shows 60%', () => {
    expect(shownRatio(565, 600, 750 / 1257)).toBeCloseTo(750 / 1257);
    expect(shownRatio(796, 796, 1018 / 1257)).toBeLessThan(1);
  });

  it('follows the documents when they lag behind the reading', () => {
    expect(shownRatio(100, 400, 0.9)).toBeCloseTo(0.25);
  });

  it('stays below 100% while a sync that cannot know its total still reads', () => {
    expect(shownRatio(50, 50, 0)).toBeLessThan(1);
    expect(Math.round(shownRatio(50, 50, 0) * 100)).toBeLessThan(100);
  });
});
