import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixture } from '../fixtures/documents';
import { makeScannedPdfFrom, PROSE, renderPage } from '../fixtures/ocr-pages';
import { runTrove, type TroveRun } from './run-trove';

/** Every "done/total documents indexed" the progress line printed, in order. */
function progressCounts(stderr: string): Array<{ done: number; total: number }> {
  return [...stderr.matchAll(/(\d+)\/(\d+) documents indexed/g)].map((m) => ({
    done: Number(m[1]),
    total: Number(m[2]),
  }));
}

/**
 * The progress line counts documents: a scan is indexed twice (before and
 * after OCR reads it), and people should still read "3/3" for three files.
 */
describe('trove add-folder progress', () => {
  let dataDir: string;
  let folder: string;
  let run: TroveRun;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-progress-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-progress-folder-'));
    writeFileSync(join(folder, 'garden.md'), '# Garden\n\nStake the tomatoes in May.\n');
    writeFileSync(join(folder, 'list.txt'), 'Flour, water, salt.\n');
    const scan = await makeScannedPdfFrom([{ image: renderPage(PROSE.slice(0, 2), { dpi: 150 }) }]);
    await writeFixture(folder, 'minutes.pdf', scan);
    run = await runTrove(dataDir, ['add-folder', folder, '--name', 'Scans']);
  }, 120_000);

  afterAll(() => {
    for (const dir of [dataDir, folder]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends at three of three documents, though the scan was indexed again after OCR', () => {
    expect(run.code, run.stderr).toBe(0);
    const counts = progressCounts(run.stderr);
    expect(counts.at(-1)).toEqual({ done: 3, total: 3 });
    for (const { done, total } of counts) {
      expect(total).toBeLessThanOrEqual(3);
      expect(done).toBeLessThanOrEqual(total);
    }
  });

  it('read the scan: its words are found', async () => {
    const found = await runTrove(dataDir, ['search', 'quarterly budget', '--mode', 'keyword']);
    expect(found.stdout).toContain('minutes.pdf');
  });
});
