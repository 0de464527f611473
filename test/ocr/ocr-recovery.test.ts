import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/core/clock';
import { openDatabase } from '../../src/main/core/db/open';
import { silentLogger } from '../../src/main/core/logger';
import { OcrRecovery } from '../../src/main/core/ocr/ocr-recovery';
import { OcrSourceStore } from '../../src/main/core/ocr/ocr-sources';
import { DocumentsRepo } from '../../src/main/core/store/documents.repo';

const KEY = 'a'.repeat(64);

describe('OCR recovery at start-up', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function startUp(othersAtWork: boolean): Promise<string[]> {
    dir = mkdtempSync(join(tmpdir(), 'trove-ocr-recovery-'));
    const sources = new OcrSourceStore(join(dir, 'ocr-sources'));
    // A scan another process has just kept for OCR, before committing the document that points at it.
    await sources.put(KEY, new Uint8Array([1, 2, 3]));
    const db = openDatabase(':memory:');
    try {
      const recovery = new OcrRecovery({
        db,
        documents: new DocumentsRepo(db, systemClock),
        sources,
        enqueueOcr: () => undefined,
        othersAtWork: () => othersAtWork,
        logger: silentLogger,
      });
      await recovery.recoverAtStart();
    } finally {
      db.close();
    }
    return readdirSync(join(dir, 'ocr-sources'));
  }

  it('leaves files no document refers to yet while another process is at work on the library', async () => {
    expect(await startUp(true)).toEqual([KEY]);
  });

  it('removes them when no other process is at work (a crash left them)', async () => {
    expect(await startUp(false)).toEqual([]);
  });
});
