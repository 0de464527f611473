import { CODE_TYPES_BY_NAME, MIME_TYPE_BY_EXTENSION, UNKNOWN_MIME_TYPE } from '../../connectors/fs/mime';

/** A JSON object as an SQL string literal. */
const jsonLiteral = (value: object): string => `'${JSON.stringify(value).replaceAll("'", "''")}'`;

const BY_EXTENSION = jsonLiteral(MIME_TYPE_BY_EXTENSION);
const BY_NAME = jsonLiteral(CODE_TYPES_BY_NAME);
/** Documents of the local sources, whose types connectors/fs/mime.ts gives (a provider types its own). */
const LOCAL = `connector_id IN (SELECT id FROM connector_configs WHERE type IN ('local_folder', 'local_import'))`;
/** The extension of a file name as `extname` reads it: after the last dot, none for `README` or `.bashrc`. */
const EXTENSION = `CASE WHEN length(rtrim(title, replace(title, '.', ''))) > 1
  THEN lower(substr(title, length(rtrim(title, replace(title, '.', ''))) + 1)) ELSE '' END`;

/**
 * Migration 15: local files of the formats Trove reads but named no type for
 * were stored as `application/octet-stream`: reStructuredText and AsciiDoc
 * pages, logs, images, Perl, Lua, XML and thirty more kinds of source, build
 * files such as `Makefile`. No `type:` could find them (`type:rst` was an
 * error, `type:code` passed over them) and browser mode offered their
 * originals as downloads. connectors/fs/mime.ts names a type for every
 * format the parsers read; this gives files already indexed the type they
 * would get now. It reads that table as it is when the migration runs,
 * which is the table new files are typed by from then on.
 *
 * A file with no type by its name whose bytes are plain text (`README`,
 * `NEWS`, `copyright`) is now stored as text/plain (services/extraction.ts).
 * Files already indexed are told by their stored facts: read as plain text,
 * with no pages and no OCR. A file known by its magic bytes alone (an RTF
 * or gzip file with no extension) may pass for plain text here; its text is
 * indexed the same, and it is the only kind the facts cannot tell apart.
 */
export const migration015 = {
  version: 15,
  name: 'file-types',
  sql: /* sql */ `
UPDATE imported_documents
SET mime_type = COALESCE(
  (SELECT value FROM json_each(${BY_EXTENSION}) WHERE key = ${EXTENSION}),
  (SELECT value FROM json_each(${BY_NAME}) WHERE key = lower(title)))
WHERE mime_type = '${UNKNOWN_MIME_TYPE}'
  AND ${LOCAL}
  AND (${EXTENSION} IN (SELECT key FROM json_each(${BY_EXTENSION}))
    OR lower(title) IN (SELECT key FROM json_each(${BY_NAME})));
UPDATE imported_documents SET mime_type = 'text/plain'
WHERE mime_type = '${UNKNOWN_MIME_TYPE}' AND sync_status = 'completed'
  AND ${LOCAL}
  AND json_extract(metadata, '$.parse.format') = 'plain' AND json_extract(metadata, '$.parse.pages') IS NULL
  AND json_extract(metadata, '$.ocr') IS NULL;
`,
};
