import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentView } from '../../src/main/core/api/views';
import { ocrSourcesDir } from '../../src/main/core/data-dir';
import { readOcrState } from '../../src/main/core/ocr/ocr-state';
import type { StoredDocument } from '../../src/main/core/store/documents.repo';
import {
  blurPng,
  convertPng,
  makeScannedPdfFrom,
  multiPageTiff,
  PROSE,
  renderPage,
  toJpeg,
  type RenderedPage,
} from '../fixtures/ocr-pages';
import { startTestCore, type TestCore } from '../helpers/test-core';

/** A small scanned snippet: two sentences at 150 dpi on a 6 x 2.5 inch card. */
const snippet = (text: string): RenderedPage => renderPage([text], { dpi: 150, widthIn: 6, heightIn: 2.5 });

/**
 * The OCR path end to end on a real core: a folder holding a scanned PDF, a
 * mixed PDF (typed and scanned pages), one image of every supported type
 * (a multi-page TIFF among them) and a damaged image is synced; every
 * document is indexed from its text layer first, then OCR adds the text of
 * its scanned pages, searchable with the right page numbers.
 */
describe('OCR of scanned PDFs and images', () => {
  let t: TestCore;
  let folder: string;
  let connectorId: string;
  const progress: string[] = [];
  const indexedTimes = new Map<string, number>();
  const byName = (name: string): StoredDocument =>
    t.core.repos.documents.getByExternalId(connectorId, name) ?? expect.unreachable(`no document ${name}`);
  const titlesFound = async (query: string): Promise<string[]> =>
    (await t.core.search.search({ query, mode: 'keyword' })).groups.map((g) => g.document.title);
  /** The page a phrase is on in the document's indexed text (line breaks may fall anywhere in it). */
  const pageOf = (name: string, phrase: string): number | null => {
    const doc = byName(name);
    const at = doc.content?.search(new RegExp(phrase.split(' ').join('\\s+'), 'i')) ?? -1;
    const pages = (doc.metadata.parse as { pages: Array<{ page: number; start: number }> }).pages;
    return at < 0 ? null : pages.filter((p) => p.start <= at).at(-1)!.page;
  };
  /** Every chunk's page is the page its first character is on. */
  const chunkPagesAgree = (name: string): void => {
    const doc = byName(name);
    const pages = (doc.metadata.parse as { pages: Array<{ page: number; start: number }> }).pages;
    const chunks = t.core.db
      .prepare(`SELECT char_start, page FROM imported_doc_chunks WHERE imported_document_id = ?`)
      .all(doc.id) as Array<{ char_start: number; page: number }>;
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c.page).toBe(pages.filter((p) => p.start <= c.char_start).at(-1)!.page);
  };

  beforeAll(async () => {
    t = await startTestCore();
    folder = mkdtempSync(join(tmpdir(), 'trove-ocr-'));
    const scanPages = [renderPage(PROSE.slice(0, 5), { dpi: 150 }), renderPage(PROSE.slice(5, 10), { dpi: 150 })];
    writeFileSync(
      join(folder, 'scan.pdf'),
      await makeScannedPdfFrom([{ image: scanPages[0]! }, { image: scanPages[1]!, format: 'jpeg' }]),
    );
    writeFileSync(
      join(folder, 'mixed.pdf'),
      await makeScannedPdfFrom([
        { text: 'Typed cover page about the orchard inventory.\nApple trees were counted in every row.' },
        { image: renderPage(PROSE.slice(6, 8), { dpi: 150 }) },
        { text: 'Typed closing page with the signatures of the inspectors.' },
      ]),
    );
    const png = snippet(PROSE[4]!);
    writeFileSync(join(folder, 'card.png'), png.png);
    writeFileSync(join(folder, 'card.jpg'), toJpeg(snippet(PROSE[5]!)));
    writeFileSync(join(folder, 'card.webp'), convertPng(snippet(PROSE[7]!).png, 'webp'));
    writeFileSync(join(folder, 'card.bmp'), convertPng(snippet(PROSE[8]!).png, 'bmp'));
    writeFileSync(join(folder, 'card.gif'), convertPng(snippet(PROSE[9]!).png, 'gif'));
    writeFileSync(
      join(folder, 'pages.tiff'),
      multiPageTiff([snippet('The first page of the fax mentions the harbour.').png, snippet(PROSE[3]!).png]),
    );
    // Page 2 is out of focus: OCR reads noise from it, with low confidence.
    const blurred = renderPage(PROSE.slice(8, 10), { dpi: 150 });
    writeFileSync(
      join(folder, 'smudged.pdf'),
      await makeScannedPdfFrom([
        { image: renderPage(PROSE.slice(2, 4), { dpi: 150 }) },
        { image: { ...blurred, png: blurPng(blurred.png, 3.5) } },
      ]),
    );
    writeFileSync(join(folder, 'blurred.png'), blurPng(snippet(PROSE[1]!).png, 3.5));
    // A PNG cut short: its header is fine, its pixels are not.
    writeFileSync(join(folder, 'broken.png'), png.png.slice(0, Math.floor(png.png.length / 2)));

    t.core.queue.on('progress', (e) => {
      if (e.type === 'ocr_document' && e.message) progress.push(e.message);
    });
    t.core.queue.on('succeeded', (e) => {
      if (e.type !== 'process_imported_doc') return;
      const id = (t.core.queue.get(e.jobId)?.payload as { documentId: string }).documentId;
      indexedTimes.set(id, (indexedTimes.get(id) ?? 0) + 1);
    });
    const added = await t.core.connectors.add({ type: 'local_folder', name: 'Scans', settings: { path: folder } });
    connectorId = added.connector.id;
    await t.core.idle();
  }, 300_000);

  afterAll(async () => {
    await t?.cleanup();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('indexes every readable scan and image, and stops a damaged image with a clear reason', () => {
    for (const name of [
      'scan.pdf',
      'mixed.pdf',
      'card.png',
      'card.jpg',
      'card.webp',
      'card.bmp',
      'card.gif',
      'pages.tiff',
    ]) {
      const doc = byName(name);
      expect(doc.syncStatus, `${name}: ${doc.syncError}`).toBe('completed');
      expect(readOcrState(doc.metadata)?.state, name).toBe('done');
    }
    const broken = byName('broken.png');
    expect(broken.syncStatus).toBe('error');
    expect(broken.syncError).toMatch(
      /^The image could not be read \(PNG\): .+\. The file may be damaged or not an image\.$/,
    );
  });

  it('makes the text of a scanned PDF searchable, on the page it is printed on', async () => {
    expect(await titlesFound('quarterly budget revenue')).toContain('scan.pdf');
    expect(await titlesFound('timetable bicycles')).toContain('scan.pdf');
    expect(pageOf('scan.pdf', 'heat pumps are spreading quickly')).toBe(1);
    // Page 2 was embedded as JPEG, the way many scanners store pages.
    expect(pageOf('scan.pdf', 'bicycles are allowed on every service')).toBe(2);
    chunkPagesAgree('scan.pdf');
  });

  it('reads only the scanned page of a mixed PDF and keeps every page number', async () => {
    const mixed = byName('mixed.pdf');
    expect(readOcrState(mixed.metadata)?.pages).toEqual([2]);
    expect(await titlesFound('loaf dough crust')).toContain('mixed.pdf');
    expect(pageOf('mixed.pdf', 'orchard inventory')).toBe(1);
    expect(pageOf('mixed.pdf', 'bake it in a very hot oven')).toBe(2);
    expect(pageOf('mixed.pdf', 'contract runs for three years')).toBe(2);
    expect(pageOf('mixed.pdf', 'signatures of the inspectors')).toBe(3);
    chunkPagesAgree('mixed.pdf');
    // Indexed twice: first with its text layer, then again with the OCR text.
    expect(indexedTimes.get(mixed.id)).toBe(2);
  });

  it('reads every image type, and each page of a multi-page TIFF as its own page', async () => {
    const expectations: Array<[string, string]> = [
      ['card.png', 'laboratory samples compound'],
      ['card.jpg', 'library stock check'],
      ['card.webp', 'contract renewed notice'],
      ['card.bmp', 'migrating swallows'],
      ['card.gif', 'timetable bicycles'],
    ];
    for (const [name, query] of expectations) expect(await titlesFound(query), query).toContain(name);
    expect(await titlesFound('fax harbour')).toContain('pages.tiff');
    expect(pageOf('pages.tiff', 'mentions the harbour')).toBe(1);
    expect(pageOf('pages.tiff', 'bring your own laptop')).toBe(2);
    chunkPagesAgree('pages.tiff');
    // Results name the pages of the fax, and no "page 1" of a picture.
    const shownPages = async (query: string, title: string) => {
      const group = (await t.core.search.search({ query, mode: 'keyword' })).groups.find(
        (g) => g.document.title === title,
      );
      const preview = t.core.search.context({ chunkId: group!.chunks[0]!.chunkId, around: 1 });
      return [group!.chunks[0]!.page, ...preview.chunks.map((c) => c.page)];
    };
    expect(await shownPages('laboratory samples compound', 'card.png')).toEqual([null, null]);
    // The fax's two short pages make one chunk, which starts on page 1.
    expect(await shownPages('bring your own laptop', 'pages.tiff')).toEqual([1, 1]);
  });

  it('reports progress page by page and records a confidence for every page', () => {
    expect(progress).toContain('OCR page 1 of 2');
    expect(progress).toContain('OCR page 2 of 2');
    const scan = readOcrState(byName('scan.pdf').metadata)!;
    expect(scan.pagesDone).toBe(2);
    expect(scan.meanConfidence).toBeGreaterThan(80);
    expect(scan.lowConfidence).toEqual([]);
    const view = documentView({ ...byName('pages.tiff'), chunkCount: 0 }, 'local_folder').ocr;
    expect(view).toMatchObject({ state: 'done', pagesTotal: 2, pagesDone: 2, failedPages: [], message: null });
  });

  it('keeps pages read with low confidence out of the index and says so on the document', async () => {
    const smudged = byName('smudged.pdf');
    expect(smudged.syncStatus).toBe('completed');
    const state = readOcrState(smudged.metadata)!;
    expect(state.lowConfidence.map((p) => p.page)).toEqual([2]);
    expect(state.lowConfidence[0]!.confidence).toBeLessThan(60);
    expect(await titlesFound('embankment pumping station')).toContain('smudged.pdf');
    expect(await titlesFound('migrating birds stars')).not.toContain('smudged.pdf');
    const view = documentView({ ...smudged, chunkCount: 0 }, 'local_folder').ocr!;
    expect(view.lowConfidencePages).toEqual([{ page: 2, confidence: state.lowConfidence[0]!.confidence }]);
    expect(view.message).toMatch(
      /^Page 2 \(\d+%\) could not be read reliably \(confidence under 60%\) and is not searchable\.$/,
    );
    const notice = t.core.repos.events
      .list({ limit: 100 })
      .find((n) => n.documentId === smudged.id && n.type === 'document.ocr');
    expect(notice).toMatchObject({ level: 'warning', message: view.message });

    // An image with nothing readable is not indexed as noise: it is skipped with the reason.
    const blurred = byName('blurred.png');
    expect(blurred.syncStatus).toBe('skipped');
    expect(blurred.syncError).toMatch(
      /^The text in this image could not be read reliably \(confidence \d+%, under 60%\), so it is not searchable\.$/,
    );
    const imageNotice = t.core.repos.events
      .list({ limit: 100 })
      .find((n) => n.documentId === blurred.id && n.type === 'document.ocr');
    expect(imageNotice).toMatchObject({ level: 'error', title: 'The text of “blurred.png” is not searchable' });
  });

  it('removes the files kept for OCR once their text is merged', () => {
    expect(readdirSync(ocrSourcesDir(t.dataDir))).toEqual([]);
    expect(t.core.db.prepare(`SELECT COUNT(*) FROM ocr_pages`).pluck().get()).toBe(0);
  });
});
