import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/main/core/search/types';
import { makeDocx, makePdf } from '../fixtures/documents';
import { makeEml, makeEpub, makeMbox, makeOdf, makePptx, makeRtf, makeXlsx } from '../fixtures/formats';
import { runTrove, runTroveJson, type TroveRun } from './run-trove';

/** One file of every format Trove reads, each holding its own marker word. */
const FILES: Record<string, () => Promise<Uint8Array | string> | Uint8Array | string> = {
  'note.md': () => '# Note\n\nThe kwmarkdownzq paragraph.\n',
  'plain.txt': () => 'The kwplainzq line.\n',
  'page.html': () => '<html><head><title>Page</title></head><body><p>The kwhtmlzq paragraph.</p></body></html>',
  'report.pdf': () => makePdf(['Report\nThe kwpdfzq page.']),
  'letter.docx': () => makeDocx([{ heading: 'Letter', level: 1, paragraphs: ['The kwdocxzq paragraph.'] }]),
  'memo.rtf': () => makeRtf('Memo', ['The kwrtfzq paragraph.']),
  'essay.odt': () => makeOdf('odt', '<text:p>The kwodtzq paragraph.</text:p>', 'Essay'),
  'deck.pptx': () => makePptx([{ title: 'Deck', body: 'The kwpptxzq slide.' }]),
  'sheet.xlsx': () => makeXlsx([{ name: 'Sheet', rows: [['item'], ['kwxlsxzq']] }]),
  'book.epub': () =>
    makeEpub({
      title: 'Book',
      author: 'Trove Tests',
      chapters: [{ file: 'ch1.xhtml', label: 'One', body: '<p>The kwepubzq chapter.</p>' }],
    }),
  'mail.eml': () =>
    makeEml({
      subject: 'Mail',
      from: 'a@example.org',
      to: 'b@example.org',
      date: 'Mon, 02 Mar 2026 08:00:00 +0000',
      text: 'The kwemlzq body.',
    }),
  'archive.mbox': () =>
    makeMbox([
      makeEml({
        subject: 'Boxed',
        from: 'a@example.org',
        to: 'b@example.org',
        date: 'Mon, 02 Mar 2026 08:00:00 +0000',
        text: 'The kwmboxzq body.',
      }),
    ]),
  'data.csv': () => 'name,value\nkwcsvzq,1\n',
  'data.json': () => JSON.stringify({ note: 'kwjsonzq' }),
  'code.ts': () => 'export const kwcodezq = 1;\n',
  'chart.svg': () =>
    '<svg xmlns="http://www.w3.org/2000/svg"><title>Chart</title><text>The kwsvgzq label.</text></svg>',
};
/** The marker word a file's maker writes into it. */
const markerOf = (file: string): string => /kw[a-z]+zq/.exec(FILES[file]!.toString())![0];

/**
 * The `trove` command as installed runs a bundle (out/cli) under plain Node,
 * where a parser's module that only loaded through the TypeScript loader
 * (say, an import path without its extension) fails at its first file. Every
 * parser loads lazily, so only a file of each format proves each one.
 */
describe('trove CLI reads every format', () => {
  let dataDir: string;
  let folder: string;
  let added: TroveRun;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'trove-cli-formats-data-'));
    folder = mkdtempSync(join(tmpdir(), 'trove-cli-formats-'));
    for (const [name, make] of Object.entries(FILES)) writeFileSync(join(folder, name), await make());
    added = await runTrove(dataDir, ['add-folder', folder, '--name', 'Formats']);
  }, 120_000);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it('indexes a file of each format with nothing failed', () => {
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/ 0 failed/);
  });

  it.each(Object.keys(FILES))('finds %s by its own word', async (file) => {
    const found = await runTroveJson<SearchResponse>(dataDir, [
      'search',
      markerOf(file),
      '--mode',
      'keyword',
      '--json',
    ]);
    expect(found.groups.length, `${file}: ${added.stdout}`).toBeGreaterThan(0);
  });

  it("names a presentation's place in it a slide, and a PDF's a page", async () => {
    const slide = await runTrove(dataDir, ['search', 'kwpptxzq', '--mode', 'keyword']);
    expect(slide.stdout).toMatch(/\[Deck, slide 1\]/);
    const page = await runTrove(dataDir, ['search', 'kwpdfzq', '--mode', 'keyword']);
    expect(page.stdout).toMatch(/page 1\]/);
  });
});
