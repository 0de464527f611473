/**
 * Migration 17: the fast-search index is built beside the one in use.
 *
 * Building it takes seconds at 100,000 chunks and minutes at a million; in
 * one transaction that held the library's write lock (and, on the app's main
 * thread, the whole app) for all of it. Now each build writes a new
 * generation of the space's tables (`vec_chunks_<id>_bits_g<n>`, ...) in
 * short transactions from a worker thread while search keeps using the
 * current one, then switches over in one short transaction
 * (store/ivf-rebuild.ts).
 *
 * - `ivf_generation`: the generation search uses; 0 names the tables as
 *   before (`vec_chunks_<id>_bits`), so an existing index stays in use.
 * - `ivf_building`: the generation being built, NULL when none is. While it
 *   is set, every vector written to or deleted from the space is listed in
 *   `ivf_build_changes`, which the switch applies to the new tables: the
 *   build copies the vectors as they were when it began.
 */
export const migration017 = {
  version: 17,
  name: 'ivf-generations',
  sql: /* sql */ `
ALTER TABLE embedding_spaces ADD COLUMN ivf_generation INTEGER NOT NULL DEFAULT 0 CHECK (ivf_generation >= 0);
ALTER TABLE embedding_spaces ADD COLUMN ivf_building INTEGER CHECK (ivf_building > 0);
CREATE TABLE ivf_build_changes (
  space_id INTEGER NOT NULL,
  chunk_id INTEGER NOT NULL,
  PRIMARY KEY (space_id, chunk_id)
) STRICT, WITHOUT ROWID;
`,
};
