import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { describeCrashPoints } from './crash-suite';
import { indexViolations, newWorld, notesIndex, runApp, writeNotes, type CrashWorld } from './harness';
import { BACKLOG_POINTS } from './scenarios';

const FILES = 240;
let template: CrashWorld | undefined;

/**
 * A library indexed before any model was ready (keyword search only), then
 * the model arrives and embed_backlog fills in the vectors; that run is
 * killed at each of its crash points, and the next run must leave every
 * chunk with exactly one vector.
 */
describeCrashPoints({
  title: 'crash points of filling in vectors after a model arrives',
  summary: 'Vectors after the model arrives',
  points: BACKLOG_POINTS,
  timeoutMs: 120_000,
  before: async () => {
    template = newWorld('backlog-template');
    const folder = join(template.root, 'notes');
    writeNotes(folder, FILES);
    const setup = await runApp(template, [`add-folder=${folder}`, 'idle']);
    expect(setup.code, setup.stderr).toBe(0);
  },
  after: () => template?.cleanup(),
  scene: (name) => {
    const world = newWorld(name);
    cpSync(template!.root, world.root, { recursive: true });
    return { world };
  },
  steps: (_scene, hub) => [`model=${hub.baseUrl}`, 'idle'],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
});
