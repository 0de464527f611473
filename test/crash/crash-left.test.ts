import { join } from 'node:path';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { describeCrashPoints } from './crash-suite';
import { indexViolations, notesIndex, notesScene } from './harness';
import { LEFT_POINTS } from './scenarios';

const FILES = 600;

/** Runs of the library that are not done (a killed run stays open until the next sync closes it). */
function openRuns(dataDir: string): number {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  try {
    return db.prepare(`SELECT COUNT(*) FROM connector_sync_logs WHERE phase != 'done'`).pluck().get() as number;
  } finally {
    db.close();
  }
}

/**
 * A first sync of a folder is cancelled as soon as it has queued documents,
 * which leaves some unindexed; the next sync queues them as part of its run
 * and is killed at each crash point of that step. The run after starts again
 * and syncs once more: every note must end indexed exactly once, and no run
 * stays open.
 */
describeCrashPoints({
  title: 'crash points of indexing what a cancelled run left',
  summary: 'Indexing what a cancelled run left',
  points: LEFT_POINTS,
  timeoutMs: 120_000,
  scene: notesScene(FILES),
  steps: ({ world }, hub) => [
    `model=${hub.baseUrl}`,
    `add-folder=${join(world.root, 'notes')}`,
    'cancel-run',
    'idle',
    'sync',
    'idle',
  ],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => [
    ...indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
    ...(openRuns(world.dataDir) === 0 ? [] : [`${openRuns(world.dataDir)} run(s) still open`]),
  ],
});
