import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../fixtures/documents';
import { makePptx, makeXlsx } from '../fixtures/formats';
import { startTestCore, type TestCore } from '../helpers/test-core';

describe('type: on a folder of many formats', () => {
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
    // Formats Trove reads that it once stored as application/octet-stream, so type: could not find them.
    writeFileSync(join(folder, 'pump guide.rst'), 'Pump guide\n==========\n\nBleed the zqpump slowly.\n');
    writeFileSync(join(folder, 'pump.log'), '2026-12-05 10:00:01 zqpump started\n');
    writeFileSync(join(folder, 'prime.pl'), '#!/usr/bin/perl\nprint "priming the zqpump\\n";\n');
    writeFileSync(join(folder, 'README'), 'About the zqpump\n\nIt primes itself.\n');
    writeFileSync(join(folder, 'firmware'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0, 0, 0, 0]));
    writeFileSync(join(folder, 'Makefile'), 'prime:\n\t./prime.pl # zqpump\n');
    // Code Trove once read as prose: a Perl module, and a build file whose name says more than its extension.
    writeFileSync(join(folder, 'Pump.pm'), 'package Pump;\nsub prime {\n    return "zqpump primed";\n}\n1;\n');
    writeFileSync(join(folder, 'CMakeLists.txt'), 'project(zqpump)\nadd_executable(zqpump main.c)\n');
    writeFileSync(join(folder, 'pump parts.xlsx'), await makeXlsx([{ name: 'Parts', rows: [['zqpump', 'seal']] }]));
    writeFileSync(join(folder, 'pump.pptx'), await makePptx([{ title: 'The zqpump', body: 'How it primes' }]));
    await t.core.connectors.add({ type: 'local_folder', name: 'Pumps', settings: { path: folder } });
    await t.core.idle();
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  it('finds every format Trove reads by its kind or its extension', async () => {
    expect(await found('zqpump')).toHaveLength(13);
    expect(await found('zqpump type:rst')).toEqual(['pump guide.rst']);
    expect(await found('zqpump type:log')).toEqual(['pump.log']);
    // A file with no extension is plain text when its bytes are.
    expect(await found('zqpump type:txt')).toEqual(['README', 'pump.txt']);
    expect(await found('zqpump type:code')).toEqual(['CMakeLists.txt', 'Makefile', 'Pump.pm', 'prime.pl']);
    // An extension names its type: a Perl module and a Perl script are both Perl.
    expect(await found('zqpump type:pl')).toEqual(['Pump.pm', 'prime.pl']);
    expect(await found('zqpump type:pm')).toEqual(['Pump.pm', 'prime.pl']);
    expect(await found('zqpump type:spreadsheet')).toEqual(['pump parts.xlsx']);
    expect(await found('zqpump type:slides')).toEqual(['pump.pptx']);
  });

  it('finds a compressed file by type: as the file it holds, and by type:gz as what it is', async () => {
    expect(await found('zqpump type:pdf')).toEqual(['pump manual.pdf.gz', 'pump.pdf']);
    expect(await found('zqpump type:md')).toEqual(['pump notes.md.gz']);
    expect(await found('zqpump type:gz')).toEqual(['pump manual.pdf.gz', 'pump notes.md.gz']);
    expect(await found('type:pdf')).toEqual(['pump manual.pdf.gz', 'pump.pdf']);
  });

  it("keeps a compressed file's own type, so its original is opened as the compressed file it is", async () => {
    const types = t.core.db.prepare(`SELECT title, mime_type FROM imported_documents ORDER BY title`).all() as Array<{
      title: string;
      mime_type: string;
    }>;
    expect(types.filter((d) => d.title.endsWith('.gz')).map((d) => d.mime_type)).toEqual([
      'application/gzip',
      'application/gzip',
    ]);
    // A binary file with no extension keeps the type of files Trove names no type for.
    expect(types.find((d) => d.title === 'firmware')?.mime_type).toBe('application/octet-stream');
  });
});
