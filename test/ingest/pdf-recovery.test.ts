import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { parseContent, ParseFailure } from '../../src/main/core/ingest';
import { damageNote } from '../../src/main/core/ingest/parsers/pdf';
import { rebuildCrossReference, typeOf } from '../../src/main/core/ingest/parsers/pdf-recovery';
import { makePdf, makeScannedPdf } from '../fixtures/documents';
import { DEFAULT_PARSE_LIMITS } from '../../src/main/core/ingest/limits';
import { renderPdfPage } from '../../src/main/core/ingest/ocr/render-pdf-page';

/**
 * PDFs cut short, as an interrupted download or copy leaves them. Their
 * cross-reference lives at the end, so before the rebuild pdfjs refused
 * every one of them ("Invalid PDF structure"), however many pages survived.
 */
const PAGES = 12;
const pageTexts = Array.from(
  { length: PAGES },
  (_, i) => `Page ${i + 1} explains how pond pump number ${i + 1} works.`,
);

async function samples(): Promise<Array<{ name: string; bytes: Uint8Array }>> {
  const packed = await makePdf(pageTexts); // pdf-lib packs objects into object streams, as most producers now do
  const flat = await (await PDFDocument.load(packed)).save({ useObjectStreams: false });
  return [
    { name: 'object streams', bytes: packed },
    { name: 'uncompressed objects', bytes: flat },
  ];
}

async function outcome(bytes: Uint8Array) {
  try {
    const parsed = await parseContent({ kind: 'bytes', bytes, fileName: 'cut.pdf', mimeType: 'application/pdf' });
    return { parsed };
  } catch (error) {
    if (error instanceof ParseFailure) return { failure: error };
    throw error;
  }
}

describe('PDFs cut short', () => {
  it('reads what survives at every cut point, in page order, or says the file ends early', async () => {
    for (const { name, bytes } of await samples()) {
      let read = 0;
      let whole = 0;
      for (let cut = 0.05; cut < 1; cut += 0.025) {
        const { parsed, failure } = await outcome(bytes.slice(0, Math.floor(bytes.length * cut)));
        const at = `${name}, ${Math.round(cut * 1000) / 10}%`;
        if (failure) {
          expect(failure.reason, at).toBe('corrupt');
          expect(failure.message, at).toMatch(
            /^This PDF ends early, as an interrupted download or copy does, and no page/,
          );
          continue;
        }
        read++;
        const pages = parsed!.pages!;
        const texts = pages.map((page, i) => parsed!.text.slice(page.start, pages[i + 1]?.start ?? undefined));
        // Each page read is the page of that number: nothing is shuffled or taken from another object.
        texts.forEach((text, i) => {
          if (text.trim() !== '') expect(text, at).toContain(`Page ${i + 1} explains`);
        });
        if (texts.filter((text) => text.includes('explains')).length === PAGES) whole++;
        expect(parsed!.damage, at).toMatch(
          /^This PDF ends early, as an interrupted download or copy does: Trove indexed/,
        );
      }
      // Once the pages' objects are written, they are read. pdf-lib packs every page dictionary into
      // one object stream at the very end, so there only the last cuts keep pages (real producers
      // write theirs as they go: a pdfTeX manual cut at 20% still gave 9 of its 36 pages).
      expect(read, name).toBeGreaterThanOrEqual(name === 'object streams' ? 3 : 25);
      expect(whole, name).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps the page count a cut file declared, and says how many pages it still holds', async () => {
    const [, flat] = await samples();
    // pdf-lib writes the page tree before the pages: cut halfway, the file still declares 12.
    const { parsed } = await outcome(flat!.bytes.slice(0, Math.floor(flat!.bytes.length * 0.55)));
    expect(parsed?.damage).toMatch(
      /^This PDF ends early, .*: Trove indexed the \d+ pages it still holds, of the 12 it had\.$/,
    );
    expect(parsed?.text).toContain('Page 1 explains');
    expect(parsed?.text).not.toContain('Page 12 explains');
  });

  it('says the file ends early when nothing can be read, and reads a sound PDF without a note', async () => {
    const [packed] = await samples();
    const { failure } = await outcome(packed!.bytes.slice(0, 200));
    expect(failure?.message).toBe(
      'This PDF ends early, as an interrupted download or copy does, and no page could be read from what it holds. Download or copy it again to index it.',
    );
    const { parsed } = await outcome(packed!.bytes);
    expect(parsed?.damage).toBeUndefined();
    expect(parsed?.text).toContain('Page 12 explains');
    // A sound PDF without a page is empty, as before, not damaged.
    expect((await outcome(await makePdf([]))).failure?.reason).toBe('empty');
  });

  it('sends the scanned pages a cut file holds to OCR, whose renderer opens the file the same way', async () => {
    const scan = await (await PDFDocument.load(await makeScannedPdf(3))).save({ useObjectStreams: false });
    const cut = scan.slice(0, Math.floor(scan.length * 0.7));
    const { parsed } = await outcome(cut);
    expect(parsed?.ocr?.pages).toEqual([1, 2]);
    expect(parsed?.damage).toMatch(/indexed the 2 pages it still holds, of the 3 it had\.$/);
    const page = await renderPdfPage(cut, 2, DEFAULT_PARSE_LIMITS.image);
    expect(page.width * page.height).toBeGreaterThan(0);
  });

  it('leaves an encrypted file alone: its key was in the trailer the cut took', () => {
    const bytes = new TextEncoder().encode(
      '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n4 0 obj\n<< /Filter /Standard /V 2 >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 4 0 R',
    );
    expect(rebuildCrossReference(bytes, 1e6)).toBeUndefined();
    expect(
      rebuildCrossReference(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Page >>\nendobj\n'), 1e6),
    ).toMatchObject({
      pagesFound: 1,
      endsEarly: true,
    });
  });
});

describe('what a damaged PDF note says', () => {
  it('counts the pages read and lost, and names unreadable pages as ranges', () => {
    const cut = { bytes: new Uint8Array(), pagesFound: 14, pagesDeclared: 20, endsEarly: true };
    expect(damageNote(cut, [], 14)).toBe(
      'This PDF ends early, as an interrupted download or copy does: Trove indexed the 14 pages it still holds, of the 20 it had.',
    );
    expect(damageNote({ ...cut, pagesDeclared: undefined, endsEarly: false }, [3, 7, 8, 9, 12], 9)).toBe(
      'This PDF is damaged: Trove indexed the 9 pages it could read. Pages 3, 7–9, 12 could not be read.',
    );
    expect(damageNote(cut, [], 1)).toMatch(/Trove indexed the one page it still holds, of the 20 it had\.$/);
    expect(damageNote(undefined, [2], 5)).toBe('Page 2 could not be read.');
    expect(damageNote(undefined, [], 5)).toBeUndefined();
  });
});

describe('an object’s type', () => {
  it('is its own dictionary’s, not one nested in it or quoted in a string', () => {
    expect(typeOf(' << /Type /Page /Resources << /Font << /F1 5 0 R >> >> >>')).toBe('Page');
    expect(typeOf(' << /Resources << /Type /Font >> /Type/Pages /Count 3 >>')).toBe('Pages');
    expect(typeOf(' << /Title (a >> /Type /Fake) /Type /Catalog >>')).toBe('Catalog');
    expect(typeOf(' << /Data <3e3e> /Type /ObjStm /N 4 >>')).toBe('ObjStm');
    expect(typeOf(' << /Length 12 >>')).toBeUndefined();
  });
});
