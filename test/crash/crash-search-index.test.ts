import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/main/core/db/open';
import { databaseFile } from '../../src/main/core/data-dir';
import { describeCrashPoints } from './crash-suite';
import { indexViolations, newWorld, notesIndex, runApp, writeNotes, type CrashWorld } from './harness';
import { INDEX_POINTS } from './scenarios';
import type { FakeModelHub } from '../fakes/model-hub-server';

const FILES = 240;
/** The killed run's policy: lists from 50 vectors, so the template's one-list index is outgrown and rebuilt. */
const REBUILD = 'index-at=50,50';

/**
 * A library with vectors and a fast-search index of one list (generation 1);
 * a run whose policy calls for lists rebuilds it beside the one in use
 * (store/ivf-rebuild.ts) and is killed at each of the build's crash points.
 * The next run must leave one index in use that holds every vector once,
 * and nothing of the interrupted build: no mark, no listed changes, no
 * tables of another generation.
 */
describeCrashPoints({
  title: 'crash points of building the fast-search index beside the one in use',
  summary: 'Fast-search index rebuild',
  points: INDEX_POINTS,
  timeoutMs: 120_000,
  ...indexedTemplate(),
  steps: () => [REBUILD, 'index'],
  recovery: () => [REBUILD, 'idle', 'index'],
  check: ({ world }) => [
    ...indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
    ...fastIndexViolations(world.dataDir),
  ],
});

/** A template world: the notes indexed with the model, and a first fast-search index of one list built over them. */
function indexedTemplate() {
  let template: CrashWorld | undefined;
  return {
    async before(hub: FakeModelHub): Promise<void> {
      template = newWorld('index-template');
      const folder = join(template.root, 'notes');
      writeNotes(folder, FILES);
      const steps = [`model=${hub.baseUrl}`, `add-folder=${folder}`, 'idle', 'index-at=50,1000000', 'index'];
      const setup = await runApp(template, steps);
      if (setup.code !== 0) throw new Error(`indexing the template failed (exit ${setup.code})\n${setup.stderr}`);
      // The scenario's premise: an index of one list in use, which the killed run's policy outgrows.
      const db = openDatabase(databaseFile(template.dataDir), { readonly: true, migrate: false });
      try {
        const index = db
          .prepare(`SELECT quantized, ivf_lists AS lists FROM embedding_spaces WHERE is_active = 1`)
          .get();
        if (JSON.stringify(index) !== JSON.stringify({ quantized: 1, lists: 1 })) {
          throw new Error(`the template's index is ${JSON.stringify(index)}, not one list in use`);
        }
      } finally {
        db.close();
      }
    },
    after: (): void => template?.cleanup(),
    scene(name: string): { world: CrashWorld } {
      const world = newWorld(name);
      cpSync(template!.root, world.root, { recursive: true });
      return { world };
    },
  };
}

/** What is wrong with the active space's fast-search index (empty: one consistent generation in use). */
function fastIndexViolations(dataDir: string): string[] {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  const problems: string[] = [];
  try {
    const space = db
      .prepare(
        `SELECT id, quantized, ivf_generation AS generation, ivf_building AS building, ivf_lists AS lists
        FROM embedding_spaces WHERE is_active = 1`,
      )
      .get() as { id: number; quantized: number; generation: number; building: number | null; lists: number };
    if (space.quantized !== 1) problems.push('the fast-search index is off');
    if (space.lists < 2) problems.push(`the index has ${space.lists} list(s), not the ones the policy calls for`);
    if (space.building !== null) problems.push(`generation ${space.building} is still marked as being built`);
    const listed = db.prepare(`SELECT count(*) FROM ivf_build_changes`).pluck().get() as number;
    if (listed > 0) problems.push(`${listed} vector changes are still listed for a build`);
    const suffix = space.generation > 0 ? `_g${space.generation}` : '';
    const base = `vec_chunks_${space.id}`;
    const expected = [`${base}_bits${suffix}`, `${base}_centroids${suffix}`, `${base}_rescore${suffix}`];
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[])
      .filter((name) => new RegExp(`^${base}_(bits|rescore|centroids)(_g\\d+)?$`).test(name))
      .sort();
    if (tables.join() !== expected.join())
      problems.push(`index tables ${tables.join(', ')}; expected ${expected.join(', ')}`);
    const ids = (query: string): string => (db.prepare(query).pluck().all() as number[]).sort((a, b) => a - b).join();
    const vectors = ids(`SELECT rowid FROM ${base}`);
    if (ids(`SELECT rowid FROM ${expected[0]}`) !== vectors)
      problems.push('the bit table does not hold every vector once');
    if (ids(`SELECT chunk_id FROM ${expected[2]}`) !== vectors)
      problems.push('the rescoring copy does not hold every vector once');
  } finally {
    db.close();
  }
  return problems;
}
