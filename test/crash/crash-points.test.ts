import { describe, expect, it } from 'vitest';
import { CRASH_POINTS } from '../../src/main/core/crash-points';
import { ALL_SCENARIO_POINTS } from './scenarios';

describe('crash points', () => {
  it('every crash point in the code is exercised by a crash scenario', () => {
    expect(Object.keys(CRASH_POINTS).filter((p) => !ALL_SCENARIO_POINTS.has(p as keyof typeof CRASH_POINTS))).toEqual(
      [],
    );
  });
});
