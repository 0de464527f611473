import type { Database } from 'better-sqlite3';
import type { ReaderChanges } from '../ingest/extraction-version';
import type { ConnectorType } from '../connectors/types';
import type { SyncRequest } from './sync-requests';
import type { Logger } from '../logger';
import type { ConnectorsRepo } from '../store/connectors.repo';
import type { SettingsRepo } from '../store/settings.repo';

/**
 * Files read by an earlier version of the parsers are read again, in the
 * background, at the first start after an update.
 *
 * A stored document read by an earlier EXTRACTION_VERSION, by a reader that
 * version changed (or before readers were recorded), is read again at its
 * connector's next sync (store/documents.repo.ts). A local folder is
 * synced when something in it changes, and imported files only when more
 * are imported: without this, the files of a quiet folder and every
 * dropped file would keep what the old parsers read. So each local
 * connector holding such documents gets one incremental sync: a folder's
 * (additive: nothing is deleted that is not gone), and for imports a scan
 * of the paths already imported (additive too: an import's file that is
 * gone stays indexed, as it was). Unchanged files that the current parsers
 * read are not opened again. Drive and Notion documents are read again at
 * their next sync, which their schedule and webhooks bring.
 *
 * Files skipped because their format was not read (`metadata.unsupportedBy`
 * below FORMATS_VERSION) are read again the same way, when the update reads
 * more formats.
 *
 * The library remembers the versions it was brought to in `settings`, so a
 * start at the same versions costs two lookups.
 */
export const READ_WITH_SETTING = 'index.extractionVersion';
export const FORMATS_READ_SETTING = 'index.formatsVersion';

const LOCAL_TYPES: ReadonlySet<ConnectorType> = new Set(['local_folder', 'local_import']);

export interface RereadUpgradeDeps {
  db: Database;
  settings: SettingsRepo;
  connectors: ConnectorsRepo;
  requestSync(connectorId: string, options: Omit<SyncRequest, 'key' | 'delayMs'>): unknown;
  extractionVersion: number;
  /** Which readers each version changed (LAST_CHANGES): documents of other readers are not read again. */
  readerChanges: ReaderChanges;
  formatsVersion: number;
  logger: Logger;
}

/**
 * Queues a sync of every local connector holding documents read by an older parser version, or skipped
 * for a format it did not read; returns their ids.
 */
export function queueRereadAfterUpgrade(deps: RereadUpgradeDeps): string[] {
  const { db, settings, extractionVersion, formatsVersion } = deps;
  if (
    settings.get<number | null>(READ_WITH_SETTING, null) === extractionVersion &&
    settings.get<number | null>(FORMATS_READ_SETTING, null) === formatsVersion
  ) {
    return [];
  }
  // As readByEarlierVersion and unsupportedByEarlierVersion (ingest/extraction-version.ts) decide, in SQL:
  // a scan with OCR text merged is not read again.
  const holdsStale = db
    .prepare(
      `SELECT 1 FROM imported_documents
       WHERE connector_id = @connector AND (
         (sync_status = 'completed' AND json_type(metadata, '$.ocr') IS NULL
           AND coalesce(json_extract(metadata, '$.parse.version'), 0) < @extractionVersion
           AND (json_type(metadata, '$.parse.version') IS NOT 'integer'
             OR json_type(metadata, '$.parse.reader') IS NOT 'text'
             OR json_extract(metadata, '$.parse.version') < max(@changedAll,
               coalesce(json_extract(@changedByReader, '$."' || json_extract(metadata, '$.parse.reader') || '"'), 0))))
         OR (sync_status = 'skipped' AND json_extract(metadata, '$.unsupportedBy') < @formatsVersion))
       LIMIT 1`,
    )
    .pluck();
  const synced: string[] = [];
  for (const connector of deps.connectors.list()) {
    if (connector.status !== 'active' || !LOCAL_TYPES.has(connector.type)) continue;
    const stale = holdsStale.get({
      connector: connector.id,
      extractionVersion,
      formatsVersion,
      changedAll: deps.readerChanges.all,
      changedByReader: JSON.stringify(deps.readerChanges.byReader),
    });
    if (stale === undefined) continue;
    const paths = (connector.settings as { paths?: unknown }).paths;
    const roots = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : undefined;
    deps.requestSync(connector.id, {
      mode: 'incremental',
      syncType: 'scheduled',
      afterUpdate: true,
      ...(connector.type === 'local_import' ? { roots: roots ?? [] } : {}),
    });
    synced.push(connector.id);
  }
  // After the requests, which are durable jobs: a crash between leaves the version unrecorded, and the next
  // start asks again (the queue coalesces a connector's incremental syncs).
  settings.set(READ_WITH_SETTING, extractionVersion);
  settings.set(FORMATS_READ_SETTING, formatsVersion);
  if (synced.length > 0) {
    deps.logger.info('Reading files again for the updated parsers', {
      connectors: synced.length,
      extractionVersion,
      formatsVersion,
    });
  }
  return synced;
}
