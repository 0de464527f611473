/**
 * Migration 13: documents skipped because Trove did not read their format
 * are marked `unsupportedBy: 0` (ingest/extraction-version.ts
 * FORMATS_VERSION), so a version that reads more formats reads them again.
 * Before this, nothing told such a skip from any other but its message,
 * which every unsupported format's begins the same way ("Trove cannot read
 * .gz files yet.", "Trove cannot read this type of file yet."). Skips
 * recorded from now on carry the version themselves.
 */
export const migration013 = {
  version: 13,
  name: 'unsupported-formats',
  sql: /* sql */ `
UPDATE imported_documents SET metadata = json_set(metadata, '$.unsupportedBy', 0)
WHERE sync_status = 'skipped' AND sync_error LIKE 'Trove cannot read %';
`,
};
