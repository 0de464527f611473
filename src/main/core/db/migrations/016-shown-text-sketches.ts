/**
 * Migration 16: sketches of a document's words as a reader sees them
 * (ingest/document-sketch.ts, SKETCH_VERSION 2: no link destinations,
 * reStructuredText and AsciiDoc as shown), not as written, so that a page
 * and its source fold into one result though their markup differs.
 * Each sketch records the version that made it; the ones already stored
 * are of version 1, and their documents are listed in sketch_backlog, which
 * the job of that name sketches again in the background. Until it reaches
 * a document, the old sketch still folds its copies.
 */
/** Lists the sketched documents for sketch_backlog (tests use it to make a library as this migration found it). */
export const LIST_SKETCHED_DOCUMENTS = `INSERT OR IGNORE INTO sketch_backlog (document_id)
  SELECT document_id FROM document_sketches;`;

export const migration016 = {
  version: 16,
  name: 'shown-text-sketches',
  sql: /* sql */ `
ALTER TABLE document_sketches ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
${LIST_SKETCHED_DOCUMENTS}
`,
};
