import type { Database } from 'better-sqlite3';
import { ocrSourcesDir } from '../data-dir';
import type { Queue } from '../handlers';
import type { Logger } from '../logger';
import type { Repos } from '../store/repos';
import { createOcrPool } from './ocr-pool';
import { OcrRecovery, ocrJobKey } from './ocr-recovery';
import { OcrSettings } from './ocr-settings';
import { OcrSourceStore } from './ocr-sources';

/** OCR's parts: its worker, the kept source files, the preferences, and the recovery of unfinished OCR. */
export function createOcr(deps: {
  db: Database;
  dataDir: string;
  repos: Pick<Repos, 'documents' | 'settings'>;
  queue: Queue;
  logger: Logger;
}) {
  const pool = createOcrPool(deps.logger);
  const sources = new OcrSourceStore(ocrSourcesDir(deps.dataDir));
  const settings = new OcrSettings(deps.repos.settings);
  // Below the embedding backlog (-1) and index maintenance (-2): OCR waits for everything else.
  const enqueue = (documentId: string, contentHash: string): void =>
    void deps.queue.enqueue('ocr_document', { documentId, contentHash }, { key: ocrJobKey(documentId), priority: -3 });
  const recovery = new OcrRecovery({
    db: deps.db,
    documents: deps.repos.documents,
    sources,
    enqueueOcr: enqueue,
    othersAtWork: () => deps.queue.othersAtWork(),
    logger: deps.logger,
  });
  return { pool, sources, settings, recovery, enqueue };
}
