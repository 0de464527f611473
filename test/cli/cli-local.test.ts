import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/main/cli/status.command';
import type { SearchResponse } from '../../src/main/core/search/types';
import { PDFDocument } from 'pdf-lib';
import { makePdf, writeFixture } from '../fixtures/documents';
import { runTrove, runTroveJson, type TroveRun } from './run-trove';

/** `trove add-folder`, `import`, `search` and `status` as a person runs them, on a fresh data folder. */
describe('trove CLI with local files', () => {
  let dataDir: string;
  let folder: string;
  let inbox: string;
  let added: TroveRun;
  let imported: TroveRun;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-cli-folder-'));
    inbox = mkdtempSync(join(tmpdir(), 'trove-cli-inbox-'));
    writeFileSync(join(folder, 'garden.md'), '# Garden\n\n## Tomatoes\n\nStake the kwtomatozq plants in May.\n');
    await writeFixture(folder, 'report.pdf', await makePdf(['Harvest report\nWe picked kwharvestzq kilos of beans.']));
    writeFileSync(join(folder, 'program.bin'), Buffer.from([0, 1, 2, 3, 0, 255, 254, 0]));
    // The same file under two names in two places.
    mkdirSync(join(inbox, 'a'));
    mkdirSync(join(inbox, 'b'));
    const receipt = 'Receipt\n\nOne kwreceiptzq lawnmower, paid in full.\n';
    writeFileSync(join(inbox, 'a', 'receipt.txt'), receipt);
    writeFileSync(join(inbox, 'b', 'receipt-copy.txt'), receipt);

    added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Garden']);
    imported = await runTrove(dataDir, [
      'import',
      join(inbox, 'a', 'receipt.txt'),
      join(inbox, 'b', 'receipt-copy.txt'),
    ]);
  }, 60_000);

  afterAll(() => {
    for (const dir of [dataDir, folder, inbox]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('add-folder connects the folder, indexes it and says what happened', () => {
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^Added Garden \(.+\)\./m);
    expect(added.stdout).toMatch(/Done: 2 indexed, 1 skipped, 0 failed, \d+ chunks\./);
    expect(added.stdout).not.toMatch(/In part/);
  });

  it('names a file it indexed only in part, and what it lost', async () => {
    const cutDir = mkdtempSync(join(tmpdir(), 'trove-cli-cut-'));
    const cutData = mkdtempSync(join(tmpdir(), 'trove-cli-cut-data-'));
    try {
      const pdf = await (
        await PDFDocument.load(await makePdf(['Pumps.', 'Filters.', 'Valves.']))
      ).save({
        useObjectStreams: false,
      });
      writeFileSync(join(cutDir, 'pond-manual.pdf'), pdf.slice(0, Math.floor(pdf.length * 0.8)));
      const cut = await runTrove(cutData, ['add-folder', cutDir, '--name', 'Cut']);
      expect(cut.code, cut.stderr).toBe(0);
      expect(cut.stdout).toMatch(
        /^In part: pond-manual\.pdf: This PDF ends early, as an interrupted download or copy does: Trove indexed the 2 pages it still holds, of the 3 it had\.$/m,
      );
      // Said by the command that indexed it, not again by every later one.
      const again = await runTrove(cutData, ['sync', 'Cut']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/\(nothing new or changed\)/);
      expect(again.stdout).not.toMatch(/In part/);
    } finally {
      for (const dir of [cutDir, cutData]) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('import stores two copies of the same file once', async () => {
    expect(imported.code, imported.stderr).toBe(0);
    // Done counts what this import indexed (one file, stored once); the library's totals follow.
    expect(imported.stdout).toMatch(/^Done: 1 indexed, 0 skipped, 0 failed, 1 chunk\.$/m);
    expect(imported.stdout).toMatch(/^Library: 3 indexed, 1 skipped, 0 failed, \d+ chunks in all\.$/m);
    const found = await runTroveJson<SearchResponse>(dataDir, ['search', 'kwreceiptzq', '--json']);
    expect(found.groups).toHaveLength(1);
  });

  it('search finds documents from both, and status counts them', async () => {
    const [harvest, tomato, status, connectors] = await Promise.all([
      runTroveJson<SearchResponse>(dataDir, ['search', 'kwharvestzq', '--json']),
      runTrove(dataDir, ['search', 'kwtomatozq']),
      runTroveJson<StatusReport>(dataDir, ['status', '--json']),
      runTroveJson<Array<{ type: string; name: string; status: string }>>(dataDir, ['connectors', '--json']),
    ]);
    expect(harvest.groups.map((g) => g.document.title)).toEqual(['report.pdf']);
    // No embedding model was downloaded: search says so and falls back to keywords.
    expect(harvest.mode).toBe('keyword');
    expect(harvest.notice).toBeTruthy();
    expect(tomato.stdout).toMatch(/1\. Garden {2}\(/);
    expect(tomato.stdout).toMatch(/\[Garden › Tomatoes\].*\[kwtomatozq\]/);
    expect(status).toMatchObject({ dataDir, connectors: 2, documents: { completed: 3, skipped: 1, error: 0 } });
    expect(status.chunks).toBeGreaterThanOrEqual(3);
    expect(status.queue.failed).toBe(0);
    // A small library searches exactly; the compact index waits until it pays.
    expect(status.fastSearch).toEqual({ on: false, lists: 0, enablesAt: 100_000 });
    expect(connectors.map((c) => [c.type, c.name, c.status]).sort()).toEqual([
      ['local_folder', 'Garden', 'active'],
      ['local_import', 'Imported files', 'active'],
    ]);
  });

  it('sync says when nothing changed, and which documents it removed', async () => {
    const unchanged = await runTrove(dataDir, ['sync', 'Garden']);
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toMatch(/^Done: 0 indexed, 0 skipped, 0 failed, 0 chunks \(nothing new or changed\)\.$/m);
    expect(unchanged.stdout).toMatch(/^Library: 3 indexed, 1 skipped, 0 failed, \d+ chunks in all\.$/m);

    writeFileSync(join(folder, 'notes.md'), '# Notes\n\nWater the kwnoteszq beds at dawn.\n');
    rmSync(join(folder, 'program.bin'));
    const changed = await runTrove(dataDir, ['sync', 'Garden']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toMatch(/^Done: 1 indexed, 0 skipped, 0 failed, 1 chunk\.$/m);
    expect(changed.stdout).toMatch(/^Removed: 1 document gone from its source\.$/m);
    expect(changed.stdout).toMatch(/^Library: 4 indexed, 0 skipped, 0 failed, \d+ chunks in all\.$/m);
  }, 60_000);
});
