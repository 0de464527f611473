import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../src/main/core/crash-points';
import type { FakeModelHub } from '../fakes/model-hub-server';
import { startTinyModelHub } from '../helpers/test-core';
import { crashHit, killAndRecover, runApp, summarise, traceCounts, type CrashWorld, type PointResult } from './harness';

/** One crash scenario: how to set the scene, what the killed run does, and what "recovered" means. */
export interface CrashScenario<Scene extends { world: CrashWorld }> {
  /** The describe block's title. */
  title: string;
  /** The title of the summary printed after the points. */
  summary: string;
  points: readonly CrashPoint[];
  timeoutMs: number;
  /** Once before everything (a template library, generated files). */
  before?(hub: FakeModelHub): Promise<void>;
  after?(): void;
  /** A fresh scene for one run, set up to the moment the run to be killed starts. */
  scene(name: string, hub: FakeModelHub): Scene | Promise<Scene>;
  /** Cleans a scene up. Default: removes its world. */
  close?(scene: Scene): void | Promise<void>;
  /** The steps of the run that is killed (and, undisturbed and traced, of the baseline). */
  steps(scene: Scene, hub: FakeModelHub): string[];
  /** The steps of the run after the kill. */
  recovery(scene: Scene, hub: FakeModelHub): string[];
  /** What is wrong with the scene's library after the recovery (empty: recovered). */
  check(scene: Scene): string[];
  /** The hit of a point to die at. Default: half-way through its hits in the baseline (crashHit). */
  hitFor?(point: CrashPoint, baselineHits: number): number;
  /** More expectations on the baseline's trace (point -> hits). */
  checkBaseline?(baseline: ReadonlyMap<string, number>): void;
}

/**
 * Declares a crash scenario's tests: an undisturbed, traced run records how
 * often each point is reached (and must itself leave the library exactly
 * right); then, for every point, a fresh scene is killed there and the next
 * run must recover everything. A summary line per point is printed at the end.
 */
export function describeCrashPoints<Scene extends { world: CrashWorld }>(scenario: CrashScenario<Scene>): void {
  describe(scenario.title, () => {
    let hub: FakeModelHub;
    const results: PointResult[] = [];
    const baseline = new Map<string, number>();
    const close = (scene: Scene): void | Promise<void> =>
      scenario.close ? scenario.close(scene) : scene.world.cleanup();

    beforeAll(async () => {
      hub = await startTinyModelHub();
      await scenario.before?.(hub);
      const scene = await scenario.scene(`${scenario.points[0]?.split('.')[0] ?? 'crash'}-baseline`, hub);
      try {
        const trace = join(scene.world.root, 'trace');
        const run = await runApp(scene.world, scenario.steps(scene, hub), { trace });
        expect(run.code, run.stderr).toBe(0);
        for (const [point, hits] of traceCounts(trace)) baseline.set(point, hits);
        expect(scenario.check(scene)).toEqual([]);
      } finally {
        await close(scene);
      }
    }, scenario.timeoutMs);

    afterAll(async () => {
      console.log(summarise(scenario.summary, results));
      scenario.after?.();
      await hub?.close();
    });

    it('the undisturbed run passes every crash point of this scenario', () => {
      expect(scenario.points.filter((p) => !baseline.has(p))).toEqual([]);
      scenario.checkBaseline?.(baseline);
    });

    for (const point of scenario.points) {
      it(
        `recovers from a kill at ${point}`,
        async () => {
          const scene = await scenario.scene(point.split('.')[0] ?? 'crash', hub);
          try {
            const hits = baseline.get(point) ?? 1;
            const result = await killAndRecover(scene.world, {
              point,
              hit: scenario.hitFor ? scenario.hitFor(point, hits) : crashHit(hits),
              steps: scenario.steps(scene, hub),
              recovery: scenario.recovery(scene, hub),
              check: () => scenario.check(scene),
            });
            results.push(result);
            expect(result.problems).toEqual([]);
          } finally {
            await close(scene);
          }
        },
        scenario.timeoutMs,
      );
    }
  });
}
