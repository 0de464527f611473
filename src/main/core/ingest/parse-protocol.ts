import type { DocumentContent } from '../connectors/types';
import type { ChunkedDocument, ChunkJob } from './chunk-job';
import type { ParseLimits } from './limits';
import type { OcrPageRequest, OcrPageResult } from './ocr/ocr-types';
import type { ParseFailureReason } from './parse-failure';
import type { ParsedDocument } from './types';

/** Messages between ParserPool and parse.worker. Plain data only (structured clone). */
export type PoolRequest =
  | { type: 'parse'; id: number; content: DocumentContent; maxBytes: number; limits: ParseLimits }
  | { type: 'chunk'; id: number; job: ChunkJob }
  | { type: 'sketch'; id: number; text: string }
  | { type: 'ocr'; id: number; page: OcrPageRequest };

export type PoolReply =
  | { type: 'ready' }
  | { type: 'parsed'; id: number; document: ParsedDocument }
  | { type: 'chunked'; id: number; result: ChunkedDocument }
  | { type: 'sketched'; id: number; sketch: Uint32Array }
  | { type: 'recognized'; id: number; result: OcrPageResult }
  | { type: 'failed'; id: number; reason: ParseFailureReason; message: string }
  /** The worker's own memory (V8 heap plus memory outside it), sent while it has work. */
  | { type: 'memory'; bytes: number }
  /** The running job moved on (a PDF page was read); carries the worker's memory too. */
  | { type: 'progress'; id: number; bytes: number };

/** How often a busy worker reports its memory, ms; the pool's watchdog treats a few missed reports as a stuck thread. */
export const MEMORY_REPORT_INTERVAL_MS = 100;
