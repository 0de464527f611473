/**
 * Migration 3: inverted-file (IVF) lists for quantised spaces. The bit table
 * gains a `list` partition key and each space records how its lists were
 * trained, so search probes only the lists nearest a query and maintenance
 * knows when the library has outgrown them.
 *
 * Bit tables built before this migration have no `list` column and cannot
 * be altered in place (vec0), so quantisation is switched off for those
 * spaces: exact search takes over until the index is rebuilt, and the stale
 * tables are dropped by that rebuild.
 */
export const migration003 = {
  version: 3,
  name: 'ivf-lists',
  sql: /* sql */ `
ALTER TABLE embedding_spaces ADD COLUMN ivf_lists INTEGER NOT NULL DEFAULT 1 CHECK (ivf_lists >= 1);
ALTER TABLE embedding_spaces ADD COLUMN ivf_trained_for INTEGER NOT NULL DEFAULT 0 CHECK (ivf_trained_for >= 0);
ALTER TABLE embedding_spaces ADD COLUMN ivf_version INTEGER NOT NULL DEFAULT 0 CHECK (ivf_version >= 0);
UPDATE embedding_spaces SET quantized = 0 WHERE quantized = 1;
`,
};
