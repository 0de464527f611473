import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { describeCrashPoints } from './crash-suite';
import {
  indexViolations,
  marker,
  newWorld,
  noteFile,
  notesIndex,
  runApp,
  writeNotes,
  type CrashWorld,
  type ExpectedIndex,
} from './harness';
import { CHANGES_POINTS } from './scenarios';

const FILES = 240;
/** Notes 0..N: every 5th is edited, every 7th (not edited) deleted, and 30 new ones are added. */
const edited = (i: number): boolean => i % 5 === 0;
const deleted = (i: number): boolean => i % 7 === 3 && !edited(i);
const ADDED = 30;
let template: CrashWorld | undefined;

const expected = (): ExpectedIndex => ({
  documents: notesIndex(FILES + ADDED, (i) => (i >= FILES ? 0 : deleted(i) ? null : edited(i) ? 1 : 0)),
  deleted: [...notesIndex(FILES, (i) => (deleted(i) ? 0 : null)).keys()],
  gone: Array.from({ length: FILES }, (_, i) => i)
    .filter((i) => edited(i) || deleted(i))
    .map((i) => marker(i, 0)),
});

/**
 * A library already indexed, then edits, deletions and new files, synced by
 * a run killed at each crash point of that path in turn; the next run syncs
 * again and the index must match the files exactly: new text in, old text
 * out, deleted files gone.
 */
describeCrashPoints({
  title: 'crash points of a sync with edits, deletions and additions',
  summary: 'Sync of changes',
  points: CHANGES_POINTS,
  timeoutMs: 180_000,
  before: async (hub) => {
    template = newWorld('changes-template');
    writeNotes(join(template.root, 'notes'), FILES);
    const setup = await runApp(template, [
      `model=${hub.baseUrl}`,
      `add-folder=${join(template.root, 'notes')}`,
      'idle',
    ]);
    expect(setup.code, setup.stderr).toBe(0);
  },
  after: () => template?.cleanup(),
  // A copy of the indexed library with the changes made to its files.
  scene: (name) => {
    const world = newWorld(name);
    cpSync(template!.root, world.root, { recursive: true });
    const folder = join(world.root, 'notes');
    writeNotes(folder, FILES, 1, edited);
    for (let i = 0; i < FILES; i++) if (deleted(i)) rmSync(join(folder, noteFile(i)));
    writeNotes(folder, FILES + ADDED, 0, (i) => i >= FILES);
    return { world };
  },
  // The copy keeps the template's absolute folder path in the connector settings: point it here.
  steps: ({ world }) => [`repoint=${join(world.root, 'notes')}`, 'sync', 'idle'],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => indexViolations(world.dataDir, expected()),
});
