/**
 * Migration 9: each indexed document keeps a sketch of its text
 * (ingest/text-sketch.ts: the 64 smallest hashes of its five-word
 * shingles, as little-endian uint32s), written when it is indexed. Search
 * folds a result whose text is the same as, or nearly the same as, a
 * better-ranked one's into that result ("also in"). Documents indexed
 * before this version get theirs from the sketch backfill at start-up.
 */
export const migration009 = {
  version: 9,
  name: 'text-sketches',
  sql: /* sql */ `
ALTER TABLE imported_documents ADD COLUMN text_sketch BLOB;
`,
};
