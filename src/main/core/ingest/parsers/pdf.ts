import { createHash } from 'node:crypto';
import { joinHyphenatedWords } from '../dehyphenate';
import { joinLineEndHyphens } from '../line-end-hyphens';
import { joinPages, PAGE_SEPARATOR } from '../ocr/pending-text';
import { largestHeading, usableTitle } from '../document-title';
import { DEFAULT_PARSE_LIMITS, type PdfLimits } from '../limits';
import { ParseFailure, shortParserReason, unreadableAs } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { PdfHeadingFinder } from './pdf-headings';
import { hasImageXObjects, imageOperatorCodes, judgeTextLayer, paintsImage } from './pdf-page-check';
import { checkStreamSizes } from './pdf-streams';
import { formatCount, plural } from '../../../../shared/counted';
import { endsEarly } from '../cut-short';
import { cutBeforeEnd, holdsObjects, rebuildCrossReference, type RebuiltPdf } from './pdf-recovery';

/**
 * PDF text extraction with pdfjs-dist (legacy build, which runs on Node).
 * Keeps page numbers: `pages[i].start` is where page i+1 begins in `text`.
 * Pages without a usable text layer that paint an image (scans) are listed
 * in `ocr` for the OCR job, with empty text until it runs.
 *
 * Bounded by `PdfLimits`: compressed streams are checked before pdfjs opens
 * the file (see pdf-streams.ts), and a PDF with more than `maxPages` pages
 * or more than `maxTextChars` of text is skipped with the figures in its
 * reason rather than cut short, so a document is either searchable in full
 * or visibly not indexed. Time is bounded by the pool: `onProgress`, called
 * after every page, tells it the parser is still moving.
 */

/** The text-content item fields we read (pdfjs' TextItem; marked-content items lack `str`). */
interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  width?: number;
  height?: number;
}

interface Line {
  text: string;
  y: number;
  height: number;
}

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<PdfJs> | undefined;

/**
 * pdfjs normally loads its worker script by URL at run time, which breaks
 * once the app is bundled. Importing the worker module ourselves and handing
 * it over through `globalThis.pdfjsWorker` makes pdfjs run it in-thread
 * (we are already inside a parser worker thread).
 */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= (async () => {
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsPromise;
}

export interface PdfParseOptions {
  limits: PdfLimits;
  /** Called after each page. */
  onProgress?: () => void;
}

export async function parsePdf(
  bytes: Uint8Array,
  options: PdfParseOptions = { limits: DEFAULT_PARSE_LIMITS.pdf },
): Promise<ParsedDocument> {
  const { limits, onProgress } = options;
  checkStreamSizes(bytes, limits.maxStreamBytes);
  const pdfjs = await loadPdfJs();
  const { document, rebuilt } = await openPdf(pdfjs, bytes, limits.maxStreamBytes);
  try {
    if (document.numPages > limits.maxPages) throw tooManyPages(document.numPages, limits.maxPages);
    const ocrPages: number[] = [];
    const imageCodes = imageOperatorCodes(pdfjs.OPS as Record<string, number>);
    const hasImages = hasImageXObjects(bytes);
    /** Whether a page short of text may hold a scan (see hasImageXObjects). */
    const mayHoldScan = async (page: PdfPage): Promise<boolean> =>
      hasImages || paintsImage((await page.getOperatorList()).fnArray, imageCodes);
    const layers: string[] = [];
    let textLength = 0;
    let firstPageLines: Line[] = [];
    const headings = new PdfHeadingFinder();
    /** Pages pdfjs could not read (a damaged file), with the first such error. */
    const unreadable: number[] = [];
    let firstPageError: unknown;
    /** One damaged page costs that page, not the document: the others are indexed and the note names it. */
    const skipUnreadable = (pageNumber: number): void => {
      unreadable.push(pageNumber);
      layers.push('');
      onProgress?.();
    };
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      const read = await readPage(document, pageNumber).catch((error: unknown) => {
        firstPageError ??= error;
        return undefined;
      });
      if (!read) {
        skipUnreadable(pageNumber);
        continue;
      }
      const { page, lines } = read;
      if (pageNumber === 1) firstPageLines = lines;
      // Producers that hyphenate (word processors, TeX with some fonts) may emit soft or U+2010 hyphens at line ends.
      let layer = joinHyphenatedWords(linesText(lines));
      const verdict = judgeTextLayer(layer);
      if (verdict === 'garbled' && rebuilt) {
        // In a file cut short, garbled text means the fonts that map its glyphs to letters were cut
        // off; drawn without them, the page would not read any better to OCR.
        page.cleanup();
        skipUnreadable(pageNumber);
        continue;
      }
      if (verdict !== 'usable' && (verdict === 'garbled' || (await mayHoldScan(page)))) {
        ocrPages.push(pageNumber);
        // Garbled text would be indexed as noise; OCR replaces it.
        if (verdict === 'garbled') layer = '';
      }
      if (layer !== '') headings.addPage(lines);
      page.cleanup();
      layers.push(layer);
      textLength += (pageNumber > 1 ? PAGE_SEPARATOR.length : 0) + layer.length;
      if (textLength > limits.maxTextChars) throw tooMuchText(pageNumber, document.numPages, limits.maxTextChars);
      onProgress?.();
    }
    // Pages with text, or with a scan waiting for OCR.
    const scanned = new Set(ocrPages);
    const pagesRead = layers.filter((layer, i) => layer.trim() !== '' || scanned.has(i + 1)).length;
    // A cut file whose surviving pages lost their text with the cut is a damaged file, not an empty one.
    if ((unreadable.length > 0 && unreadable.length === document.numPages) || (rebuilt?.endsEarly && pagesRead === 0))
      throw damaged(bytes, firstPageError);
    // TeX and most producers break words at line ends with a plain hyphen; the whole document tells which to join.
    const { text, pages } = joinPages(joinLineEndHyphens(layers));
    const info = (await document.getMetadata().catch(() => undefined))?.info as { Title?: unknown } | undefined;
    // The Title property when it is a real title (it is often junk: "untitled",
    // "Microsoft Word - x.doc"), else the first page's largest heading.
    const declared = typeof info?.Title === 'string' ? usableTitle(info.Title) : undefined;
    const title = declared ?? largestHeading(firstPageLines, headings.bodyHeight());
    const sized = headings.headings();
    const damage = damageNote(rebuilt, unreadable, pagesRead);
    const parsed: ParsedDocument = {
      text,
      format: 'plain',
      pages,
      ...(title ? { title } : {}),
      ...(sized.length > 0 ? { headings: sized } : {}),
      ...(damage ? { damage } : {}),
    };
    if (ocrPages.length === 0) return parsed;
    return {
      ...parsed,
      ocr: { source: 'pdf', pages: ocrPages, sourceKey: createHash('sha256').update(bytes).digest('hex') },
    };
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    throw unreadableAs('PDF', shortParserReason(error), error);
  } finally {
    await document.destroy().catch(() => undefined);
  }
}

async function readPage(document: PdfDocument, pageNumber: number): Promise<{ page: PdfPage; lines: Line[] }> {
  const page = await document.getPage(pageNumber);
  const content = await page.getTextContent();
  return { page, lines: pageLines(content.items as TextItemLike[]) };
}

/**
 * What a person should know about a PDF indexed in part: that it was cut
 * short or damaged, how many pages with text (or scans) it still holds, of
 * how many, and which pages could not be read. Undefined for a sound file.
 */
export function damageNote(
  rebuilt: RebuiltPdf | undefined,
  unreadable: number[],
  pagesRead: number,
): string | undefined {
  const sentences: string[] = [];
  if (rebuilt) {
    const what = rebuilt.endsEarly ? endsEarly('PDF') : 'This PDF is damaged';
    const declared = rebuilt.pagesDeclared;
    // "the one page", not "the 1 page".
    const pages = pagesRead === 1 ? 'one page' : plural(pagesRead, 'page');
    sentences.push(
      declared !== undefined && declared > pagesRead
        ? `${what}: Trove indexed the ${pages} it still holds, of the ${formatCount(declared)} it had.`
        : `${what}: Trove indexed the ${pages} it could read.`,
    );
  }
  if (unreadable.length > 0) {
    sentences.push(`${unreadable.length === 1 ? 'Page' : 'Pages'} ${pageRanges(unreadable)} could not be read.`);
  }
  return sentences.length > 0 ? sentences.join(' ') : undefined;
}

/** "3, 7–9, 12" for pages 3, 7, 8, 9 and 12 (ascending). */
function pageRanges(pages: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    ranges.push(j === i ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j;
  }
  return ranges.join(', ');
}

export interface OpenedPdf {
  document: PdfDocument;
  /** Set when the file's own cross-reference was lost and rebuilt from the objects it still holds. */
  rebuilt?: RebuiltPdf;
}

/**
 * Opens a PDF with the options every reader here uses. A file pdfjs refuses
 * is opened again with its cross-reference rebuilt (pdf-recovery.ts), so a
 * PDF cut short still gives the pages it holds; one that cannot be rebuilt
 * either fails as a ParseFailure.
 */
export async function openPdf(
  pdfjs: PdfJs,
  bytes: Uint8Array,
  maxStreamBytes = DEFAULT_PARSE_LIMITS.pdf.maxStreamBytes,
): Promise<OpenedPdf> {
  try {
    return { document: await openPdfAsIs(pdfjs, bytes) };
  } catch (error) {
    if (error instanceof ParseFailure && error.reason !== 'corrupt') throw error;
    const rebuilt = rebuildCrossReference(bytes, maxStreamBytes);
    if (!rebuilt) throw damaged(bytes, error);
    const document = await openPdfAsIs(pdfjs, rebuilt.bytes).catch(() => undefined);
    if (!document) throw damaged(bytes, error);
    return { document, rebuilt };
  }
}

async function openPdfAsIs(pdfjs: PdfJs, bytes: Uint8Array): Promise<PdfDocument> {
  // pdfjs takes ownership of (and detaches) the buffer it is given: pass a copy.
  const task = pdfjs.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw openFailure(error);
  }
}

export type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
export type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

function tooManyPages(pages: number, maxPages: number): ParseFailure {
  return new ParseFailure(
    'exceeds_limits',
    `This PDF has ${pages.toLocaleString('en')} pages; Trove indexes PDFs of up to ${maxPages.toLocaleString('en')} pages, so it was not indexed. Split it into parts to index it.`,
  );
}

function tooMuchText(page: number, pages: number, maxChars: number): ParseFailure {
  return new ParseFailure(
    'exceeds_limits',
    `This PDF holds more than ${maxChars.toLocaleString('en')} characters of text (reached on page ${page.toLocaleString('en')} of ${pages.toLocaleString('en')}); Trove indexes up to that much from one document, so it was not indexed. Split it into parts to index it.`,
  );
}

/**
 * The reason for a PDF no page could be read from. A PDF cut short (objects,
 * but no end-of-file marker) says so, since that is what a person can act
 * on; bytes with no PDF object at all keep the parser's reason.
 */
function damaged(bytes: Uint8Array, error: unknown): ParseFailure {
  if (!cutBeforeEnd(bytes) || !holdsObjects(bytes)) {
    if (error instanceof ParseFailure) return error;
    // No error of its own: every page came out garbled, its fonts lost.
    return unreadableAs('PDF', error === undefined ? 'no page of it could be read' : shortParserReason(error), error);
  }
  return new ParseFailure(
    'corrupt',
    `${endsEarly('PDF')}, and no page could be read from what it holds. Download or copy it again to index it.`,
    { cause: error },
  );
}

function openFailure(error: unknown): ParseFailure {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new ParseFailure(
      'unsupported_type',
      'This PDF is password-protected; remove the password to let Trove index it.',
      { cause: error },
    );
  }
  return unreadableAs('PDF', shortParserReason(error), error);
}

/**
 * Rebuilds lines from positioned text items, and paragraphs from vertical
 * gaps: a gap well above the line height becomes a blank line, which is what
 * the chunker treats as a paragraph break.
 */
/** A page's text items as lines, each with the height of its largest glyphs. */
function pageLines(items: TextItemLike[]): Line[] {
  const lines: Line[] = [];
  let current: Line | undefined;
  let lastEndX = 0;
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    const x = item.transform?.[4] ?? 0;
    const y = item.transform?.[5] ?? 0;
    const height = item.height ?? 0;
    if (item.str !== '') {
      const movedToNewLine = current !== undefined && Math.abs(y - current.y) > Math.max(current.height, height) * 0.5;
      if (!current || movedToNewLine) {
        if (current) lines.push(current);
        current = { text: '', y, height };
      } else if (x - lastEndX > height * 0.2 && !current.text.endsWith(' ') && !item.str.startsWith(' ')) {
        // pdfjs drops the space between separately positioned words.
        current.text += ' ';
      }
      current.text += item.str;
      current.height = Math.max(current.height, height);
      lastEndX = x + (item.width ?? 0);
    }
    if (item.hasEOL && current) {
      lines.push(current);
      current = undefined;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Lines as text: a gap larger than the lines' height is a paragraph break. */
function linesText(lines: readonly Line[]): string {
  let out = '';
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    if (previous) {
      const gap = previous.y - line.y;
      out += gap > Math.max(previous.height, line.height) * 1.8 ? '\n\n' : '\n';
    }
    out += line.text.trimEnd();
  });
  return out;
}
