import type { Database } from 'better-sqlite3';
import type { EnqueueProcessing } from '../handlers/ports';
import type { Logger } from '../logger';
import type { SettingsRepo } from '../store/settings.repo';
import { writeTransaction } from '../db/write-transaction';

/**
 * Documents chunked by an earlier version of the chunker are chunked again,
 * in the background, once per new version.
 *
 * CHUNKER_VERSION changes when the same text gets other chunk boundaries or
 * heading paths (version 4: headings without badges and link targets). A
 * stored document is only processed again when its text changes, so without
 * this a library would keep the old chunks of every unchanged file. The
 * processing job re-chunks the stored text: chunks whose text and heading
 * path are unchanged keep their rows and vectors (nothing is embedded again
 * for them), and the document stays searchable with its old chunks until
 * the new ones are committed.
 *
 * The library remembers the version its documents were last brought to in
 * `settings`, so a start-up at the same version costs one lookup; the one
 * scan of the documents happens at the first start after an update.
 */
export const CHUNKED_WITH_SETTING = 'index.chunkerVersion';

/** Below the jobs a sync queues (priority 0): what the person just added is indexed first. */
const RECHUNK_PRIORITY = -1;
/** Jobs queued per call: the queue writes them in one statement batch each. */
const ENQUEUE_BATCH = 500;

export interface RechunkUpgradeDeps {
  db: Database;
  settings: SettingsRepo;
  enqueueProcessing: EnqueueProcessing;
  chunkerVersion: number;
  logger: Logger;
}

/** Queues processing for every indexed document chunked by an older version; returns how many. */
export function queueRechunkAfterUpgrade(deps: RechunkUpgradeDeps): number {
  const { db, settings, chunkerVersion } = deps;
  if (settings.get<number | null>(CHUNKED_WITH_SETTING, null) === chunkerVersion) return 0;
  // processed_hash is "<content hash>:v<chunker version>" (process-imported-doc.handler.ts). A document
  // whose parse facts an earlier sync lost (a touched file, before the fix) would be read as plain text:
  // it keeps its chunks until its file changes.
  const suffix = `:v${chunkerVersion}`;
  const stale = db
    .prepare(
      `SELECT id FROM imported_documents
       WHERE sync_status = 'completed' AND processed_hash IS NOT NULL AND substr(processed_hash, -?) <> ?
         AND json_type(metadata, '$.parse.format') IS NOT NULL`,
    )
    .pluck()
    .all(suffix.length, suffix) as string[];
  // One transaction: a crash leaves either every job queued and the version recorded, or neither.
  // The work belongs to no sync run (as OCR's does): the run that indexed a document ended with it.
  const detach = db.prepare(
    `UPDATE imported_documents SET sync_log_id = NULL WHERE id IN (SELECT value FROM json_each(?))`,
  );
  writeTransaction(db, () => {
    for (let i = 0; i < stale.length; i += ENQUEUE_BATCH) {
      const batch = stale.slice(i, i + ENQUEUE_BATCH);
      detach.run(JSON.stringify(batch));
      deps.enqueueProcessing(batch, { priority: RECHUNK_PRIORITY });
    }
    settings.set(CHUNKED_WITH_SETTING, chunkerVersion);
  })();
  if (stale.length > 0) {
    deps.logger.info('Chunking documents again for the updated chunker', { documents: stale.length, chunkerVersion });
  }
  return stale.length;
}
