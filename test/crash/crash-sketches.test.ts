import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { sketchFromBytes, textSketch } from '../../src/main/core/ingest/text-sketch';
import { describeCrashPoints } from './crash-suite';
import { indexViolations, newWorld, notesIndex, runApp, writeNotes, type CrashWorld } from './harness';
import { SKETCH_POINTS } from './scenarios';

const FILES = 240;
let template: CrashWorld | undefined;

/** What is wrong with the documents' sketches: each indexed one has the sketch of its stored text. */
function sketchViolations(dataDir: string): string[] {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  try {
    const rows = db
      .prepare(
        `SELECT external_id AS externalId, content, text_sketch AS sketch FROM imported_documents
         WHERE sync_status = 'completed'`,
      )
      .all() as Array<{ externalId: string; content: string; sketch: Buffer | null }>;
    return rows.flatMap((r) => {
      if (!r.sketch) return [`${r.externalId} has no sketch`];
      const stored = sketchFromBytes(r.sketch);
      return stored.join() === textSketch(r.content).join() ? [] : [`${r.externalId} has a sketch of other text`];
    });
  } finally {
    db.close();
  }
}

/**
 * A library indexed by a version without text sketches (they are removed
 * from an indexed library, as migration 9 leaves one); the next start
 * queues sketch_backlog, which is killed at each of its crash points. The
 * run after must leave every document indexed and searchable, with the
 * sketch of its own text.
 */
describeCrashPoints({
  title: 'crash points of sketching a library indexed before text sketches',
  summary: 'Text sketches for an older library',
  points: SKETCH_POINTS,
  timeoutMs: 120_000,
  before: async () => {
    template = newWorld('sketch-template');
    const folder = join(template.root, 'notes');
    writeNotes(folder, FILES);
    const setup = await runApp(template, [`add-folder=${folder}`, 'idle']);
    expect(setup.code, setup.stderr).toBe(0);
    const db = openDatabase(databaseFile(template.dataDir), { migrate: false });
    db.prepare(`UPDATE imported_documents SET text_sketch = NULL`).run();
    db.close();
  },
  after: () => template?.cleanup(),
  scene: (name) => {
    const world = newWorld(name);
    cpSync(template!.root, world.root, { recursive: true });
    return { world };
  },
  steps: () => ['idle'],
  recovery: () => ['idle'],
  check: ({ world }) => [
    ...indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
    ...sketchViolations(world.dataDir),
  ],
});
