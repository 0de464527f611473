import type { DocumentOcr } from '../../../shared/contract';
import type { OcrNeeds } from '../ingest/types';

/**
 * What a document's metadata says about its OCR (`metadata.ocr`). Written
 * by the extractor when parsing finds pages to read, updated by the OCR job
 * after every page and when it merges the text. Absent for documents that
 * need no OCR.
 */
export interface StoredOcrState {
  state: DocumentOcr['state'];
  source: OcrNeeds['source'];
  /** sha256 of the file: where its bytes wait for the OCR job (OcrSourceStore). */
  sourceKey: string;
  /** Pages (or frames) to read, 1-based, ascending. */
  pages: number[];
  pagesDone: number;
  meanConfidence: number | null;
  lowConfidence: Array<{ page: number; confidence: number }>;
  failed: Array<{ page: number; error: string }>;
  message: string | null;
}

/**
 * An image of one frame: to a person a picture, not a document of pages, so
 * nothing says "page 1" of it. A multi-page TIFF (a fax) keeps its pages.
 */
export function isOnePicture(state: Pick<StoredOcrState, 'source' | 'pages'>): boolean {
  return state.source === 'image' && state.pages.length === 1;
}

/** The state a freshly parsed document starts with. */
export function pendingOcrState(needs: OcrNeeds): StoredOcrState {
  return {
    state: 'pending',
    source: needs.source,
    sourceKey: needs.sourceKey,
    pages: needs.pages,
    pagesDone: 0,
    meanConfidence: null,
    lowConfidence: [],
    failed: [],
    message: null,
  };
}

/**
 * The document's OCR state, or null when it has none (or it is not one we
 * wrote). Metadata is updated by JSON merge patch, where a null removes a
 * key, so absent fields read as their empty value here.
 */
export function readOcrState(metadata: Record<string, unknown>): StoredOcrState | null {
  const value = metadata.ocr as Partial<StoredOcrState> | null | undefined;
  if (!value || typeof value !== 'object' || !Array.isArray(value.pages) || typeof value.sourceKey !== 'string') {
    return null;
  }
  return {
    state: value.state ?? 'pending',
    source: value.source ?? 'pdf',
    sourceKey: value.sourceKey,
    pages: value.pages,
    pagesDone: value.pagesDone ?? 0,
    meanConfidence: value.meanConfidence ?? null,
    lowConfidence: value.lowConfidence ?? [],
    failed: value.failed ?? [],
    message: value.message ?? null,
  };
}

/** The contract's view of it, for the UI. */
export function ocrView(state: StoredOcrState | null): DocumentOcr | null {
  if (!state) return null;
  return {
    state: state.state,
    pagesTotal: state.pages.length,
    pagesDone: Math.min(state.pagesDone, state.pages.length),
    lowConfidencePages: state.lowConfidence,
    failedPages: state.failed.map((f) => f.page),
    meanConfidence: state.meanConfidence,
    message: state.message,
  };
}
