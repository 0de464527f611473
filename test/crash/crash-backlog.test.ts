import { describeCrashPoints } from './crash-suite';
import { indexedNotesTemplate, indexViolations, notesIndex } from './harness';
import { BACKLOG_POINTS } from './scenarios';

const FILES = 240;

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
  ...indexedNotesTemplate('backlog-template', FILES),
  steps: (_scene, hub) => [`model=${hub.baseUrl}`, 'idle'],
  recovery: () => ['sync', 'idle'],
  check: ({ world }) => indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
});
