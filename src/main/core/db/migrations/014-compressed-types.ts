/**
 * Migration 14: `type:` finds a compressed file by the file it holds
 * (search/type-names.ts: `type:pdf` finds `manual.pdf.gz`), which it can
 * only tell from the file's name.
 *
 * - A local `.gz` file was stored as `application/octet-stream` (the type
 *   of files Trove names no type for); it is now `application/gzip`, which
 *   connectors/fs/mime.ts gives such files from now on. Its original is
 *   still opened as the compressed file it is.
 * - The covering index of the columns search filters candidates by
 *   (migration 9) takes the title too, so a `type:` filter still checks
 *   each candidate from the index instead of seeking its document's row
 *   (+5 ms a query over 16,000 candidate chunks, in memory).
 */
export const migration014 = {
  version: 14,
  name: 'compressed-types',
  sql: /* sql */ `
UPDATE imported_documents SET mime_type = 'application/gzip'
WHERE mime_type = 'application/octet-stream' AND title LIKE '%.gz'
  AND connector_id IN (SELECT id FROM connector_configs WHERE type IN ('local_folder', 'local_import'));
DROP INDEX idx_imported_documents_searchable;
CREATE INDEX idx_imported_documents_searchable
  ON imported_documents(id, sync_status, connector_id, mime_type, source_modified_at, updated_at, title);
`,
};
