import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { failureStatus, parseContent, ParseFailure } from '../../src/main/core/ingest';
import { resolveLimits, type ParseLimitsInput } from '../../src/main/core/ingest/limits';
import { parsePdf } from '../../src/main/core/ingest/parsers/pdf';
import { entriesFromLocalHeaders } from '../../src/main/core/ingest/zip-local-headers';
import {
  flateContent,
  makeDeepJson,
  makeFlateBombPdf,
  makeGzipBomb,
  makeHandmadeDocx,
  makeHandmadePdf,
  makeLongPdf,
  makeZipBombDocx,
} from '../fixtures/hostile-files';

const MB = 1024 * 1024;
const file = (bytes: Uint8Array | string, fileName: string): DocumentContent => ({
  kind: 'bytes',
  bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
  fileName,
  mimeType: 'application/octet-stream',
});

async function failureOf(content: DocumentContent, limits?: ParseLimitsInput): Promise<ParseFailure> {
  try {
    await parseContent(content, { limits: resolveLimits(limits) });
  } catch (error) {
    if (error instanceof ParseFailure) return error;
    throw error;
  }
  throw new Error('expected the parse to fail');
}

describe('parse limits', () => {
  it('skips a zip-bomb Word document (1 GB inside a few MB) from its directory, in well under a second', async () => {
    const bomb = makeZipBombDocx();
    expect(bomb.length).toBeLessThan(8 * MB);
    const started = performance.now();
    const failure = await failureOf(file(bomb, 'bomb.docx'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failureStatus(failure.reason)).toBe('skipped');
    expect(failure.message).toMatch(/^This Word document expands to 1\.0 GB when unzipped \(word\/document\.xml\)/);
    // Inflating 1 GB would take seconds; refusing from the directory takes milliseconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops a Word document whose declared sizes lie while it is inflating', async () => {
    const failure = await failureOf(file(makeZipBombDocx(16 * MB, { declaredSize: 4096 }), 'liar.docx'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toMatch(/expands to more than its declared 4\.0 KB when unzipped/);
  });

  it('stops a gzip bomb (1 GB of log in a few MB) at the size limit, before the memory is taken', async () => {
    const bomb = makeGzipBomb();
    expect(bomb.length).toBeLessThan(8 * MB);
    const before = process.memoryUsage().arrayBuffers;
    const failure = await failureOf(file(bomb, 'access.log.gz'));
    expect(failure.reason).toBe('too_large');
    expect(failureStatus(failure.reason)).toBe('skipped');
    expect(failure.message).toMatch(/^This file is \d\.\d MB compressed and more than 50\.0 MB uncompressed/);
    // Inflating stopped at the limit: nowhere near the gigabyte it holds was allocated.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(200 * MB);
  });

  it('holds the same limits for bombs cut short, read from what is left of them', async () => {
    // The cut goes through the bomb's body: it is the part read up to the cut, and its header's size is the truth.
    const docx = makeZipBombDocx();
    expect((await failureOf(file(docx.subarray(0, docx.length / 2), 'cut-bomb.docx'))).message).toMatch(
      /^This Word document expands to 1\.0 GB when unzipped/,
    );
    const liar = makeZipBombDocx(16 * MB, { declaredSize: 4096 });
    expect((await failureOf(file(liar.subarray(0, liar.length / 2), 'cut-liar.docx'))).message).toMatch(
      /expands to more than its declared 4\.0 KB when unzipped/,
    );
    // A streaming writer's part says its size only after its data, which the cut took: the limits bound it.
    const paragraphs = '<w:p><w:r><w:t>All work and no play.</w:t></w:r></w:p>'.repeat(20_000);
    const streamed = await (
      await JSZip.loadAsync(makeHandmadeDocx(paragraphs))
    ).generateAsync({
      type: 'uint8array',
      compression: 'DEFLATE',
      streamFiles: true,
    });
    const body = entriesFromLocalHeaders(Buffer.from(streamed), 100).find((e) => e.name === 'word/document.xml')!;
    const cut = streamed.subarray(0, body.localHeaderOffset + 60 + Math.floor(body.compressedSize / 2));
    const undeclared = await failureOf(file(cut, 'cut-stream.docx'), { zip: { maxEntryBytes: 64 * 1024 } });
    expect(undeclared.reason).toBe('exceeds_limits');
    expect(undeclared.message).toMatch(
      /^This Word document expands to more than 64\.0 KB when unzipped \(word\/document\.xml\)/,
    );
    const gzip = makeGzipBomb();
    const before = process.memoryUsage().arrayBuffers;
    const failure = await failureOf(file(gzip.subarray(0, gzip.length / 2), 'cut-access.log.gz'));
    expect(failure.reason).toBe('too_large');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(200 * MB);
  });

  it('still reads a Word document made by hand within the limits', async () => {
    const parsed = await parseContent(file(makeHandmadeDocx('<w:p><w:r><w:t>Hand made.</w:t></w:r></w:p>'), 'a.docx'));
    expect(parsed.text).toBe('Hand made.');
  });

  it('skips a Flate-bomb PDF (1 GB page content in about 1 MB) before pdfjs opens it', async () => {
    const bomb = makeFlateBombPdf();
    expect(bomb.length).toBeLessThan(2 * MB);
    const failure = await failureOf(file(bomb, 'bomb.pdf'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toBe(
      "This PDF has a compressed stream that expands to more than 64.0 MB; Trove stops there to protect your computer's memory, so it was not indexed. It may be a decompression bomb.",
    );
  });

  it('checks every FlateDecode stage of a filter chain, and reads PDFs under the stream limit', async () => {
    const twice = makeHandmadePdf({
      data: deflateSync(flateContent('Twice packed', 4 * MB)),
      filters: ['FlateDecode', 'FlateDecode'],
    });
    expect((await failureOf(file(twice, 'twice.pdf'), { pdf: { maxStreamBytes: 2 * MB } })).reason).toBe(
      'exceeds_limits',
    );
    const parsed = await parseContent(file(twice, 'twice.pdf'), {
      limits: resolveLimits({ pdf: { maxStreamBytes: 8 * MB } }),
    });
    expect(parsed.text).toBe('Twice packed');
  });

  it('does not check image streams, which text extraction never decodes', async () => {
    const side = 3000; // 3000 x 3000 greyscale = 9 MB decoded
    const pdf = makeHandmadePdf(
      { data: flateContent('Photo caption', 10), filters: ['FlateDecode'] },
      { data: deflateSync(Buffer.alloc(side * side, 0x80)), filters: ['FlateDecode'], width: side, height: side },
    );
    const parsed = await parseContent(file(pdf, 'photo.pdf'), {
      limits: resolveLimits({ pdf: { maxStreamBytes: MB } }),
    });
    expect(parsed.text).toBe('Photo caption');
  });

  it('skips a PDF with more pages than the limit, naming both counts', async () => {
    const failure = await failureOf(file(await makeLongPdf(30), 'long.pdf'), { pdf: { maxPages: 20 } });
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toBe(
      'This PDF has 30 pages; Trove indexes PDFs of up to 20 pages, so it was not indexed. Split it into parts to index it.',
    );
  });

  it('skips a PDF whose text passes the character limit, and reports progress page by page', async () => {
    const pdf = await makeLongPdf(12);
    const failure = await failureOf(file(pdf, 'wordy.pdf'), { pdf: { maxTextChars: 200 } });
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toMatch(/^This PDF holds more than 200 characters of text \(reached on page 4 of 12\)/);
    let pages = 0;
    const parsed = await parsePdf(pdf, { limits: resolveLimits().pdf, onProgress: () => pages++ });
    expect(pages).toBe(12);
    expect(parsed.pages).toHaveLength(12);
    expect(parsed.text).toContain('Page 12 of the long manual.');
  });

  it('skips JSON nested deeper than the limit, without parsing it', async () => {
    const failure = await failureOf(file(makeDeepJson(200_000), 'deep.json'));
    expect(failure.reason).toBe('exceeds_limits');
    expect(failure.message).toBe(
      'This JSON file is nested more than 1,000 levels deep; Trove reads JSON up to 1,000 levels, so it was not indexed.',
    );
    const atLimit = await parseContent(file(makeDeepJson(1000), 'ok.json'));
    expect(atLimit.text.startsWith('[\n  [\n')).toBe(true);
    // Brackets inside strings are text, not nesting.
    const quoted = await parseContent(file(JSON.stringify({ note: '['.repeat(5000) }), 'quoted.json'));
    expect(quoted.text).toContain('"note"');
  });
});
