import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Database } from 'better-sqlite3';

/**
 * A watched folder that moved (`~/Notes` to `~/Documents/Notes`): its
 * documents keep their ids, text, chunks and vectors, as their external ids
 * are paths relative to the folder. Only the addresses they store move with
 * it: the file URL a result shows and opens, and the absolute path in their
 * metadata (Reveal in folder, a retry of a failed file).
 */
export function relocateFolderDocuments(db: Database, connectorId: string, from: string, to: string): void {
  const under = (root: string) => (root.endsWith(sep) ? root : `${root}${sep}`);
  const urlUnder = (root: string) => `${pathToFileURL(root).href.replace(/\/$/, '')}/`;
  db.prepare(
    `UPDATE imported_documents SET
         source_url = CASE WHEN substr(source_url, 1, length(@fromUrl)) = @fromUrl
           THEN @toUrl || substr(source_url, length(@fromUrl) + 1) ELSE source_url END,
         metadata = CASE WHEN substr(json_extract(metadata, '$.path'), 1, length(@fromPath)) = @fromPath
           THEN json_set(metadata, '$.path', @toPath || substr(json_extract(metadata, '$.path'), length(@fromPath) + 1))
           ELSE metadata END
       WHERE connector_id = @connectorId`,
  ).run({ connectorId, fromUrl: urlUnder(from), toUrl: urlUnder(to), fromPath: under(from), toPath: under(to) });
}
