import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, parseContent, type ParsedDocument } from '../../src/main/core/ingest';
import { plainBlocks } from '../../src/main/core/ingest/chunking/blocks';
import { startTestCore } from '../helpers/test-core';
import { sizedPdf, type SizedLine } from './helpers/sized-pdf';

const body = (topic: string): SizedLine[] => [
  [`The ${topic} section explains what to check before the first run.`, 10],
  [`Each ${topic} step is short and can be repeated later.`, 10],
];

const parsePdf = async (bytes: Uint8Array): Promise<ParsedDocument> =>
  parseContent({ kind: 'bytes', bytes, mimeType: 'application/pdf', fileName: 'guide.pdf' });

/** Heading path of the chunk holding `needle`. */
const pathOf = (parsed: ParsedDocument, needle: string): string[] | undefined =>
  chunkDocument(parsed, { contentType: 'documentation' }).find((c) => c.text.includes(needle))?.headingPath;

describe('headings of a PDF, read from its type sizes', () => {
  it('makes lines set larger than the body the heading path, levels by size, across pages', async () => {
    const parsed = await parsePdf(
      await sizedPdf([
        [['Greenhouse Field Guide', 22], ...body('overview'), ['1 Sensors', 16], ...body('sensor')],
        [
          ['1.1 Wiring the probes', 13],
          ...body('wiring'),
          // A code listing's keyword on a line of its own, in capitals: text, not a heading.
          ['', 10],
          ['BEGIN', 10],
          ['', 10],
          ['probe := read(port)', 10],
          ['', 10],
          ['END', 10],
          ['', 10],
          ['2 Power supply', 16],
          ...body('power'),
        ],
      ]),
    );
    expect(parsed.headings?.map((h) => [h.lines.join(' '), h.level])).toEqual([
      ['Greenhouse Field Guide', 1],
      ['1 Sensors', 2],
      ['1.1 Wiring the probes', 3],
      ['2 Power supply', 2],
    ]);
    expect(pathOf(parsed, 'The sensor section')).toEqual(['Greenhouse Field Guide', '1 Sensors']);
    expect(pathOf(parsed, 'The wiring section')).toEqual([
      'Greenhouse Field Guide',
      '1 Sensors',
      '1.1 Wiring the probes',
    ]);
    expect(pathOf(parsed, 'probe := read')).toEqual(['Greenhouse Field Guide', '1 Sensors', '1.1 Wiring the probes']);
    expect(pathOf(parsed, 'The power section')).toEqual(['Greenhouse Field Guide', '2 Power supply']);
  });

  it('falls back to the plain-text rules when the sizes set nothing apart, and skips a table of contents', async () => {
    const uniform = await parsePdf(
      await sizedPdf([
        [['INTRODUCTION', 10], ['', 10], ...body('intro'), ['Contents . . . . . . . . 3', 14], ...body('more')],
      ]),
    );
    expect(uniform.headings).toBeUndefined();
    expect(pathOf(uniform, 'The intro section')).toEqual(['INTRODUCTION']);
  });

  it('finds the declared headings that are still in the text, in order, after a page was replaced', () => {
    const text = [
      'Guide',
      '',
      'Words.',
      '',
      'Scanned page text read by OCR.',
      '',
      'Second part',
      '',
      'More words.',
    ].join('\n');
    const blocks = plainBlocks(text, [
      { lines: ['Guide'], level: 1 },
      { lines: ['First part'], level: 2 }, // on the page OCR replaced
      { lines: ['Second part'], level: 2 },
    ]);
    expect(blocks.filter((b) => b.type === 'heading').map((b) => [b.title, b.level])).toEqual([
      ['Guide', 1],
      ['Second part', 2],
    ]);
  });

  it("are kept with the stored text, so search shows them as a result's heading path", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'trove-pdf-headings-'));
    const t = await startTestCore({ model: false });
    try {
      const pages: SizedLine[][] = [
        [['Greenhouse Field Guide', 22], ...body('overview'), ['1 Sensors', 16], ...body('sensor')],
      ];
      writeFileSync(join(folder, 'guide.pdf'), await sizedPdf(pages));
      await t.core.connectors.add({ type: 'local_folder', name: 'Manuals', settings: { path: folder } });
      await t.core.idle();
      const found = await t.core.search.search({ query: 'sensor step repeated', mode: 'keyword' });
      expect(found.groups[0]?.chunks[0]?.headingPath).toEqual(['Greenhouse Field Guide', '1 Sensors']);
    } finally {
      await t.cleanup();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
