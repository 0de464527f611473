import { describe, expect, it } from 'vitest';
import { imageFormatOf } from '../../src/main/core/ingest/image-formats';
import { splitColumns } from '../../src/main/core/ingest/ocr/columns';
import { rotate, type GrayImage } from '../../src/main/core/ingest/ocr/gray-image';
import { lineDirection } from '../../src/main/core/ingest/ocr/orientation';
import { joinPages, pendingOcrText, splitPages } from '../../src/main/core/ingest/ocr/pending-text';
import { judgeTextLayer } from '../../src/main/core/ingest/parsers/pdf-page-check';
import { pendingOcrState } from '../../src/main/core/ocr/ocr-state';
import { attentionMessage, mergeOcrText } from '../../src/main/core/ocr/ocr-text';
import type { OcrPageRow } from '../../src/main/core/store/ocr-pages.repo';
import { convertPng, PROSE, renderPage } from '../fixtures/ocr-pages';
import { decodeImageFrame } from '../../src/main/core/ingest/ocr/decode-image';
import { DEFAULT_PARSE_LIMITS } from '../../src/main/core/ingest';

const reading = (page: number, text: string, confidence: number | null, error: string | null = null): OcrPageRow => ({
  page,
  text,
  confidence,
  rotation: 0,
  error,
});

describe('merging OCR text into a document', () => {
  const state = pendingOcrState({ source: 'pdf', pages: [2, 3, 4], sourceKey: 'a'.repeat(64) });

  /** `readings` merged into a document whose pages have the given text layers. */
  const mergeInto = (layers: string[], readings: OcrPageRow[]) => {
    const { text, pages } = joinPages(layers);
    return mergeOcrText(text, pages, state, new Map(readings.map((r) => [r.page, r])), 60);
  };

  it('puts each page where it belongs and rebuilds the page offsets', () => {
    const merged = mergeInto(
      ['Typed first page.', '', '', '', 'Typed last page.'],
      [reading(2, 'Scanned second page.', 91), reading(3, 'Scanned third page.', 88), reading(4, '', 0)],
    );
    expect(splitPages(merged.text, merged.pages)).toEqual([
      'Typed first page.',
      'Scanned second page.',
      'Scanned third page.',
      '',
      'Typed last page.',
    ]);
    expect(merged.state).toMatchObject({
      state: 'done',
      pagesDone: 3,
      meanConfidence: 90,
      lowConfidence: [],
      failed: [],
      message: null,
    });
  });

  it("joins the words a scanned page broke at its line ends, as a PDF's text layer's are", () => {
    const merged = mergeInto(
      ['The stored readings.', '', ''],
      [reading(2, 'Each read-\ning is kept.', 90), reading(3, 'A well-\nknown scanner; well-known indeed.', 90)],
    );
    expect(splitPages(merged.text, merged.pages)).toEqual([
      'The stored readings.',
      'Each reading\nis kept.',
      'A well-known\nscanner; well-known indeed.',
    ]);
  });

  it('keeps low-confidence and failed pages out and says which', () => {
    const merged = mergeOcrText(
      pendingOcrText(4).text,
      pendingOcrText(4).pages,
      state,
      new Map([
        [2, reading(2, 'x7 ~ ,;l', 31)],
        [3, reading(3, 'A clear page.', 93)],
        [4, reading(4, '', null, 'Reading page 4 with OCR took longer than 3 min, so Trove stopped.')],
      ]),
      60,
    );
    expect(merged.text).not.toContain('x7');
    expect(merged.state.lowConfidence).toEqual([{ page: 2, confidence: 31 }]);
    expect(merged.state.failed).toEqual([
      { page: 4, error: 'Reading page 4 with OCR took longer than 3 min, so Trove stopped.' },
    ]);
    expect(merged.state.message).toBe(
      'Page 2 (31%) could not be read reliably (confidence under 60%) and is not searchable. Page 4 could not be read: Reading page 4 with OCR took longer than 3 min, so Trove stopped.',
    );
  });

  it('says of an image that its text, not its "page 1", could not be read', () => {
    expect(attentionMessage([{ page: 1, confidence: 25 }], [], 60, true)).toBe(
      'The text in this image could not be read reliably (confidence 25%, under 60%), so it is not searchable.',
    );
    expect(attentionMessage([], [{ page: 1, error: 'The OCR engine stopped.' }], 60, true)).toBe(
      'The text in this image could not be read: The OCR engine stopped.',
    );
    expect(attentionMessage([], [], 60, true)).toBeNull();
  });

  it('names the page of a multi-page image (a faxed TIFF), which has pages', () => {
    const fax = pendingOcrState({ source: 'image', pages: [1, 2], sourceKey: 'b'.repeat(64) });
    const merged = mergeOcrText(
      pendingOcrText(2).text,
      pendingOcrText(2).pages,
      fax,
      new Map([
        [1, reading(1, 'A clear first page.', 91)],
        [2, reading(2, 'x7 ~ ,;l', 31)],
      ]),
      60,
    );
    expect(merged.state.message).toBe(
      'Page 2 (31%) could not be read reliably (confidence under 60%) and is not searchable.',
    );
  });
});

describe('deciding what needs OCR', () => {
  it('judges a text layer by its letters and its garbage', () => {
    expect(judgeTextLayer(PROSE[0]!)).toBe('usable');
    expect(judgeTextLayer('Page 3')).toBe('sparse');
    expect(judgeTextLayer('\uE001\uE002\uE003\uFFFD\uFFFD abc')).toBe('garbled');
  });

  it('knows images by their bytes, whatever their name', () => {
    const png = renderPage(['Hello'], { dpi: 72, widthIn: 2, heightIn: 1 }).png;
    expect(imageFormatOf(png)).toBe('png');
    for (const format of ['jpg', 'tif', 'webp', 'gif', 'bmp'] as const) {
      expect(imageFormatOf(convertPng(png, format))).toBe(
        format === 'jpg' ? 'jpeg' : format === 'tif' ? 'tiff' : format,
      );
    }
    expect(imageFormatOf(new TextEncoder().encode('BM is how this note starts'))).toBeUndefined();
  });
});

describe('page geometry', () => {
  const gray = async (png: Uint8Array): Promise<GrayImage> => decodeImageFrame(png, 1, DEFAULT_PARSE_LIMITS.image);

  it('tells a page turned sideways from an upright one', async () => {
    const page = await gray(renderPage(PROSE.slice(0, 4), { dpi: 100 }).png);
    expect(lineDirection(page)).toBe('horizontal');
    expect(lineDirection(rotate(page, 90))).toBe('vertical');
    expect(lineDirection(rotate(rotate(page, 90), 270))).toBe('horizontal');
  });

  it('cuts a two-column page at its gutter and leaves a one-column page whole', async () => {
    expect(splitColumns(await gray(renderPage(PROSE.slice(0, 6), { dpi: 100, columns: 2 }).png))).toHaveLength(2);
    expect(splitColumns(await gray(renderPage(PROSE.slice(0, 6), { dpi: 100 }).png))).toHaveLength(1);
  });
});
