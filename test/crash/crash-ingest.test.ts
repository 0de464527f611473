import { join } from 'node:path';
import { describeCrashPoints } from './crash-suite';
import { indexViolations, notesIndex, notesScene } from './harness';
import { INGEST_POINTS } from './scenarios';

const FILES = 240;

/**
 * A first sync of a folder of a few hundred notes, killed at each crash point
 * of the sync, the document processing and the queue in turn; then the app
 * starts again and syncs once more. Every note must end indexed exactly once.
 */
describeCrashPoints({
  title: 'crash points of a first sync',
  summary: 'First sync',
  points: INGEST_POINTS,
  timeoutMs: 120_000,
  scene: notesScene(FILES),
  steps: ({ world }, hub) => [`model=${hub.baseUrl}`, `add-folder=${join(world.root, 'notes')}`, 'idle'],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
});
