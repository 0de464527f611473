import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/documents';
import { startTestCore, type TestCore } from '../helpers/test-core';

describe('a compressed file in a folder', () => {
  let t: TestCore;
  let folder: string;
  const found = async (query: string): Promise<string[]> =>
    (await t.core.search.search({ query, mode: 'keyword', limit: 50 })).groups
      .map((g) => g.document.fileName ?? g.document.title)
      .sort();

  beforeAll(async () => {
    t = await startTestCore({ model: false });
    folder = mkdtempSync(join(tmpdir(), 'trove-compressed-'));
    writeFileSync(
      join(folder, 'pump manual.pdf.gz'),
      gzipSync(await makePdf(['Priming the zqpump before first use.'])),
    );
    writeFileSync(join(folder, 'pump notes.md.gz'), gzipSync('# Pump notes\n\nThe zqpump hums when primed.\n'));
    writeFileSync(join(folder, 'pump.pdf'), await makePdf(['The zqpump warranty lasts two years.']));
    writeFileSync(join(folder, 'pump.txt'), 'zqpump parts list\n');
    await t.core.connectors.add({ type: 'local_folder', name: 'Pumps', settings: { path: folder } });
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is found by type: as the file it holds, and by type:gz as what it is', async () => {
    expect(await found('zqpump')).toEqual(['pump manual.pdf.gz', 'pump notes.md.gz', 'pump.pdf', 'pump.txt']);
    expect(await found('zqpump type:pdf')).toEqual(['pump manual.pdf.gz', 'pump.pdf']);
    expect(await found('zqpump type:md')).toEqual(['pump notes.md.gz']);
    expect(await found('zqpump type:gz')).toEqual(['pump manual.pdf.gz', 'pump notes.md.gz']);
    expect(await found('type:pdf')).toEqual(['pump manual.pdf.gz', 'pump.pdf']);
  });

  it('keeps its own type, so its original is opened as the compressed file it is', async () => {
    const types = t.core.db.prepare(`SELECT title, mime_type FROM imported_documents ORDER BY title`).all() as Array<{
      title: string;
      mime_type: string;
    }>;
    expect(types.filter((d) => d.title.endsWith('.gz')).map((d) => d.mime_type)).toEqual([
      'application/gzip',
      'application/gzip',
    ]);
  });
});
