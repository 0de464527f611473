import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTinyModelHub } from '../helpers/test-core';
import type { FakeModelHub } from '../fakes/model-hub-server';
import {
  crashHit,
  indexViolations,
  newWorld,
  notesIndex,
  runApp,
  killAndRecover,
  summarise,
  traceCounts,
  writeNotes,
  type CrashWorld,
  type PointResult,
} from './harness';
import { BACKLOG_POINTS } from './scenarios';

const FILES = 240;

/**
 * A library indexed before any model was ready (keyword search only), then
 * the model arrives and embed_backlog fills in the vectors; that run is
 * killed at each of its crash points, and the next run must leave every
 * chunk with exactly one vector.
 */
describe('crash points of filling in vectors after a model arrives', () => {
  let hub: FakeModelHub;
  let template: CrashWorld;
  const results: PointResult[] = [];
  const baseline = new Map<string, number>();
  const expected = { documents: notesIndex(FILES, () => 0) };

  const copyOfTemplate = (name: string): CrashWorld => {
    const world = newWorld(name);
    cpSync(template.root, world.root, { recursive: true });
    return world;
  };

  beforeAll(async () => {
    hub = await startTinyModelHub();
    template = newWorld('backlog-template');
    const folder = join(template.root, 'notes');
    writeNotes(folder, FILES);
    const setup = await runApp(template, [`add-folder=${folder}`, 'idle']);
    expect(setup.code, setup.stderr).toBe(0);

    const world = copyOfTemplate('backlog-baseline');
    try {
      const trace = join(world.root, 'trace');
      const run = await runApp(world, [`model=${hub.baseUrl}`, 'idle'], { trace });
      expect(run.code, run.stderr).toBe(0);
      for (const [point, hits] of traceCounts(trace)) baseline.set(point, hits);
      expect(indexViolations(world.dataDir, expected)).toEqual([]);
    } finally {
      world.cleanup();
    }
  }, 120_000);

  afterAll(async () => {
    console.log(summarise('Vectors after the model arrives', results));
    template?.cleanup();
    await hub?.close();
  });

  it('the undisturbed run passes every crash point of this scenario', () => {
    expect(BACKLOG_POINTS.filter((p) => !baseline.has(p))).toEqual([]);
  });

  for (const point of BACKLOG_POINTS) {
    it(`recovers from a kill at ${point}`, async () => {
      const world = copyOfTemplate('backlog');
      try {
        const hit = crashHit(baseline.get(point) ?? 1);
        const result = await killAndRecover(world, {
          point,
          hit,
          steps: [`model=${hub.baseUrl}`, 'idle'],
          recovery: ['sync', 'idle'],
          check: () => indexViolations(world.dataDir, expected),
        });
        results.push(result);
        expect(result.problems).toEqual([]);
      } finally {
        world.cleanup();
      }
    }, 120_000);
  }
});
