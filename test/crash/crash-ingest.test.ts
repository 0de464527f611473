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
  type PointResult,
} from './harness';
import { INGEST_POINTS } from './scenarios';

const FILES = 240;

/**
 * A first sync of a folder of a few hundred notes, killed at each crash point
 * of the sync, the document processing and the queue in turn; then the app
 * starts again and syncs once more. Every note must end indexed exactly once.
 */
describe('crash points of a first sync', () => {
  let hub: FakeModelHub;
  const results: PointResult[] = [];
  const baseline = new Map<string, number>();

  beforeAll(async () => {
    hub = await startTinyModelHub();
    const world = newWorld('ingest-baseline');
    try {
      const folder = join(world.root, 'notes');
      writeNotes(folder, FILES);
      const trace = join(world.root, 'trace');
      const run = await runApp(world, [`model=${hub.baseUrl}`, `add-folder=${folder}`, 'idle'], { trace });
      expect(run.code, run.stderr).toBe(0);
      for (const [point, hits] of traceCounts(trace)) baseline.set(point, hits);
      expect(indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) })).toEqual([]);
    } finally {
      world.cleanup();
    }
  }, 120_000);

  afterAll(async () => {
    console.log(summarise('First sync', results));
    await hub?.close();
  });

  it('the undisturbed run passes every crash point of this scenario', () => {
    expect(INGEST_POINTS.filter((p) => !baseline.has(p))).toEqual([]);
  });

  for (const point of INGEST_POINTS) {
    it(`recovers from a kill at ${point}`, async () => {
      const world = newWorld('ingest');
      try {
        const folder = join(world.root, 'notes');
        writeNotes(folder, FILES);
        const hit = crashHit(baseline.get(point) ?? 1);
        const result = await killAndRecover(world, {
          point,
          hit,
          steps: [`model=${hub.baseUrl}`, `add-folder=${folder}`, 'idle'],
          recovery: ['sync', 'idle'],
          check: () => indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
        });
        results.push(result);
        expect(result.problems).toEqual([]);
      } finally {
        world.cleanup();
      }
    }, 120_000);
  }
});
