import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTinyModelHub } from '../helpers/test-core';
import type { FakeModelHub } from '../fakes/model-hub-server';
import {
  crashHit,
  indexViolations,
  marker,
  newWorld,
  notesIndex,
  runApp,
  killAndRecover,
  summarise,
  traceCounts,
  writeNotes,
  type CrashWorld,
  type PointResult,
  type ExpectedIndex,
} from './harness';
import { CHANGES_POINTS } from './scenarios';

const FILES = 240;
/** Notes 0..N: every 5th is edited, every 7th (not edited) deleted, and 30 new ones are added. */
const edited = (i: number): boolean => i % 5 === 0;
const deleted = (i: number): boolean => i % 7 === 3 && !edited(i);
const ADDED = 30;

/**
 * A library already indexed, then edits, deletions and new files, synced by
 * a run killed at each crash point of that path in turn; the next run syncs
 * again and the index must match the files exactly: new text in, old text
 * out, deleted files gone.
 */
describe('crash points of a sync with edits, deletions and additions', () => {
  let hub: FakeModelHub;
  let template: CrashWorld;
  const results: PointResult[] = [];
  const baseline = new Map<string, number>();

  const expected = (): ExpectedIndex => ({
    documents: notesIndex(FILES + ADDED, (i) => (i >= FILES ? 0 : deleted(i) ? null : edited(i) ? 1 : 0)),
    deleted: [...notesIndex(FILES, (i) => (deleted(i) ? 0 : null)).keys()],
    gone: Array.from({ length: FILES }, (_, i) => i)
      .filter((i) => edited(i) || deleted(i))
      .map((i) => marker(i, 0)),
  });

  /** A copy of the indexed library with the changes made to its files. */
  const changedWorld = (name: string): CrashWorld => {
    const world = newWorld(name);
    cpSync(template.root, world.root, { recursive: true });
    const folder = join(world.root, 'notes');
    writeNotes(folder, FILES, 1, edited);
    for (let i = 0; i < FILES; i++) {
      if (deleted(i)) rmSync(join(folder, `topic-${i % 7}`, `note-${i}.md`));
    }
    writeNotes(folder, FILES + ADDED, 0, (i) => i >= FILES);
    return world;
  };
  // The copy keeps the template's absolute folder path in the connector settings: point it here.
  const stepsFor = (world: CrashWorld): string[] => [`repoint=${join(world.root, 'notes')}`, 'sync', 'idle'];

  beforeAll(async () => {
    hub = await startTinyModelHub();
    template = newWorld('changes-template');
    writeNotes(join(template.root, 'notes'), FILES);
    const setup = await runApp(template, [
      `model=${hub.baseUrl}`,
      `add-folder=${join(template.root, 'notes')}`,
      'idle',
    ]);
    expect(setup.code, setup.stderr).toBe(0);

    const world = changedWorld('changes-baseline');
    try {
      const trace = join(world.root, 'trace');
      const run = await runApp(world, stepsFor(world), { trace });
      expect(run.code, run.stderr).toBe(0);
      for (const [point, hits] of traceCounts(trace)) baseline.set(point, hits);
      expect(indexViolations(world.dataDir, expected())).toEqual([]);
    } finally {
      world.cleanup();
    }
  }, 180_000);

  afterAll(async () => {
    console.log(summarise('Sync of changes', results));
    template?.cleanup();
    await hub?.close();
  });

  it('the undisturbed run passes every crash point of this scenario', () => {
    expect(CHANGES_POINTS.filter((p) => !baseline.has(p))).toEqual([]);
  });

  for (const point of CHANGES_POINTS) {
    it(`recovers from a kill at ${point}`, async () => {
      const world = changedWorld('changes');
      try {
        const hit = crashHit(baseline.get(point) ?? 1);
        const result = await killAndRecover(world, {
          point,
          hit,
          steps: stepsFor(world),
          recovery: ['sync', 'idle'],
          check: () => indexViolations(world.dataDir, expected()),
        });
        results.push(result);
        expect(result.problems).toEqual([]);
      } finally {
        world.cleanup();
      }
    }, 120_000);
  }
});
