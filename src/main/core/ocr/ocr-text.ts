import { joinLineEndHyphens } from '../ingest/line-end-hyphens';
import { joinPages, splitPages } from '../ingest/ocr/pending-text';
import type { PageStart } from '../ingest/types';
import type { OcrPageRow } from '../store/ocr-pages.repo';
import { isOnePicture, type StoredOcrState } from './ocr-state';

export interface MergedOcrText {
  text: string;
  pages: PageStart[];
  /** The finished state for the document's metadata. */
  state: StoredOcrState;
  /** Characters OCR added. */
  added: number;
}

/**
 * Puts what OCR read into a document's text, page by page: each OCR page's
 * text replaces that page's (empty, sparse or garbled) text layer, and page
 * offsets are rebuilt, so chunks keep their page numbers. A page read with
 * a confidence below `minConfidence` keeps its text layer and is listed
 * instead: indexing it would fill search results with noise. Failed pages
 * keep their text layer too and are listed with their reason.
 */
export function mergeOcrText(
  text: string,
  pages: readonly PageStart[] | null,
  state: StoredOcrState,
  readings: ReadonlyMap<number, OcrPageRow>,
  minConfidence: number,
): MergedOcrText {
  const pageTexts = pages && pages.length > 0 ? splitPages(text, pages) : [text];
  const lowConfidence: StoredOcrState['lowConfidence'] = [];
  const failed: StoredOcrState['failed'] = [];
  const accepted: number[] = [];
  let added = 0;
  for (const page of state.pages) {
    const reading = readings.get(page);
    if (!reading || page > pageTexts.length) continue;
    if (reading.error !== null || reading.confidence === null) {
      failed.push({ page, error: reading.error ?? 'not read' });
    } else if (reading.text.trim() === '') {
      // A blank page: nothing to add, nothing to warn about.
    } else if (reading.confidence < minConfidence) {
      lowConfidence.push({ page, confidence: reading.confidence });
    } else {
      added += reading.text.length;
      pageTexts[page - 1] = reading.text;
      accepted.push(reading.confidence);
    }
  }
  // A scan was typeset too: its words broken at line ends are joined as a PDF's text layer's are.
  const joined = joinPages(joinLineEndHyphens(pageTexts), pages?.[0]?.page ?? 1);
  const meanConfidence = accepted.length ? Math.round(accepted.reduce((a, b) => a + b, 0) / accepted.length) : null;
  return {
    text: joined.text,
    pages: joined.pages,
    added,
    state: {
      ...state,
      state: 'done',
      pagesDone: state.pages.length,
      meanConfidence,
      lowConfidence,
      failed,
      message: attentionMessage(lowConfidence, failed, minConfidence, isOnePicture(state)),
    },
  };
}

/**
 * One sentence about pages that are not searchable, or null when every page
 * was read well. Of one picture (isOnePicture) it speaks of the image, not
 * of its "Page 1".
 */
export function attentionMessage(
  lowConfidence: StoredOcrState['lowConfidence'],
  failed: StoredOcrState['failed'],
  minConfidence: number,
  onePicture = false,
): string | null {
  const parts: string[] = [];
  if (onePicture) {
    const low = lowConfidence[0];
    if (low) {
      parts.push(
        `The text in this image could not be read reliably (confidence ${low.confidence}%, under ${minConfidence}%), so it is not searchable.`,
      );
    }
    if (failed[0]) parts.push(`The text in this image could not be read: ${failed[0].error}`);
    return parts.length ? parts.join(' ') : null;
  }
  if (lowConfidence.length > 0) {
    const list = lowConfidence.map((p) => `${p.page} (${p.confidence}%)`).join(', ');
    parts.push(
      `${pageWord(lowConfidence.length)} ${list} could not be read reliably (confidence under ${minConfidence}%) and ${lowConfidence.length === 1 ? 'is' : 'are'} not searchable.`,
    );
  }
  if (failed.length > 0) {
    parts.push(
      `${pageWord(failed.length)} ${failed.map((p) => p.page).join(', ')} could not be read: ${failed[0]!.error}`,
    );
  }
  return parts.length ? parts.join(' ') : null;
}

function pageWord(count: number): string {
  return count === 1 ? 'Page' : 'Pages';
}
