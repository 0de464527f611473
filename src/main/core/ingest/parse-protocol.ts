import type { DocumentContent } from '../connectors/types';
import type { ChunkedDocument, ChunkJob } from './chunk-job';
import type { ParseFailureReason } from './parse-failure';
import type { ParsedDocument } from './types';

/** Messages between ParserPool and parse.worker. Plain data only (structured clone). */
export type PoolRequest =
  | { type: 'parse'; id: number; content: DocumentContent; maxBytes: number }
  | { type: 'chunk'; id: number; job: ChunkJob };

export type PoolReply =
  | { type: 'ready' }
  | { type: 'parsed'; id: number; document: ParsedDocument }
  | { type: 'chunked'; id: number; result: ChunkedDocument }
  | { type: 'failed'; id: number; reason: ParseFailureReason; message: string };
