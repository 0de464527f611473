import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_LIMITS } from '../../src/main/core/ingest/limits';
import type { OcrPageResult } from '../../src/main/core/ingest/ocr/ocr-types';
import { recognizePage } from '../../src/main/core/ingest/ocr/recognize-page';
import {
  characterErrorRate,
  editDistance,
  PROSE,
  renderPage,
  scanLike,
  type PageImageOptions,
} from '../fixtures/ocr-pages';

/**
 * Pages of known text rendered at scanner resolutions and made to look
 * scanned (paper tone, noise, softness, JPEG): what OCR reads is compared
 * with what was drawn.
 */
const read = (png: Uint8Array): Promise<OcrPageResult> =>
  recognizePage(
    { source: 'image', bytes: png, page: 1, languages: ['eng'], minConfidence: 60, limits: DEFAULT_PARSE_LIMITS.image },
    () => {},
  );

const results: string[] = [];
async function cerOf(label: string, paragraphs: readonly string[], options: PageImageOptions): Promise<number> {
  const page = renderPage(paragraphs, options);
  const started = performance.now();
  const result = await read(scanLike(page.png));
  const cer = characterErrorRate(result.text, page.text);
  results.push(
    `  ${label.padEnd(28)} CER ${(cer * 100).toFixed(2)}%  confidence ${result.confidence}  turned ${result.rotation}°  ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return cer;
}

describe('OCR accuracy (character error rate against the rendered text)', () => {
  afterAll(() => console.log(`OCR accuracy:\n${results.join('\n')}`));

  it('measures the error rate, and the measure fails text that is wrong', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(characterErrorRate('The  quick\nbrown fox', 'The quick brown fox')).toBe(0);
    const truth = PROSE[0]!;
    const garbled = truth.replace(/e/g, 'c').replace(/o/g, '0');
    expect(characterErrorRate(garbled, truth)).toBeGreaterThan(0.06);
  });

  it('reads 300 dpi pages with under 3% character errors', async () => {
    const cer = await cerOf('300 dpi, one column', PROSE.slice(0, 5), { dpi: 300 });
    expect(cer).toBeLessThan(0.03);
  }, 180_000);

  it('reads 150 dpi pages with under 6% character errors', async () => {
    const cer = await cerOf('150 dpi, one column', PROSE.slice(5, 10), { dpi: 150 });
    expect(cer).toBeLessThan(0.06);
  }, 180_000);

  it('reads a two-column page column by column', async () => {
    const cer = await cerOf('300 dpi, two columns', PROSE.slice(0, 6), { dpi: 300, columns: 2 });
    expect(cer).toBeLessThan(0.03);
  }, 180_000);

  it('reads a page scanned sideways, and one put on the scanner crookedly', async () => {
    expect(await cerOf('300 dpi, turned 90°', PROSE.slice(3, 7), { dpi: 300, rotate: 90 })).toBeLessThan(0.03);
    expect(await cerOf('150 dpi, turned 270°', PROSE.slice(2, 5), { dpi: 150, rotate: 270 })).toBeLessThan(0.06);
    expect(await cerOf('300 dpi, tilted 2°', PROSE.slice(6, 9), { dpi: 300, skewDegrees: 2 })).toBeLessThan(0.03);
  }, 300_000);
});
