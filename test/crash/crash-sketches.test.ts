import { databaseFile } from '../../src/main/core/data-dir';
import { LIST_INDEXED_DOCUMENTS } from '../../src/main/core/db/migrations/009-search-without-text';
import { openDatabase } from '../../src/main/core/db/open';
import { documentSketch } from '../../src/main/core/ingest/document-sketch';
import { sketchFromBytes } from '../../src/main/core/ingest/text-sketch';
import { describeCrashPoints } from './crash-suite';
import { indexedNotesTemplate, indexViolations, notesIndex } from './harness';
import { SKETCH_POINTS } from './scenarios';

const FILES = 240;

/** What is wrong with the documents' sketches: each indexed one has the sketch of its stored text. */
function sketchViolations(dataDir: string): string[] {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  try {
    const rows = db
      .prepare(
        `SELECT d.external_id AS externalId, d.content, s.sketch FROM imported_documents d
         LEFT JOIN document_sketches s ON s.document_id = d.id WHERE d.sync_status = 'completed'`,
      )
      .all() as Array<{ externalId: string; content: string; sketch: Buffer | null }>;
    const listed = db.prepare(`SELECT count(*) FROM sketch_backlog`).pluck().get() as number;
    const problems = listed > 0 ? [`${listed} documents still wait in sketch_backlog`] : [];
    return problems.concat(
      rows.flatMap((r) => {
        if (!r.sketch) return [`${r.externalId} has no sketch`];
        const stored = sketchFromBytes(r.sketch);
        return stored.join() === documentSketch(r.content).join() ? [] : [`${r.externalId} has a sketch of other text`];
      }),
    );
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
  ...indexedNotesTemplate('sketch-template', FILES, (template) => {
    const db = openDatabase(databaseFile(template.dataDir), { migrate: false });
    db.exec(`DELETE FROM document_sketches; ${LIST_INDEXED_DOCUMENTS}`);
    db.close();
  }),
  steps: () => ['idle'],
  recovery: () => ['idle'],
  check: ({ world }) => [
    ...indexViolations(world.dataDir, { documents: notesIndex(FILES, () => 0) }),
    ...sketchViolations(world.dataDir),
  ],
});
