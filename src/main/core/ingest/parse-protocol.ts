import type { DocumentContent } from '../connectors/types';
import type { ParseFailureReason } from './parse-failure';
import type { ParsedDocument } from './types';

/** Messages between ParserPool and parse.worker. Plain data only (structured clone). */
export interface ParseRequest {
  id: number;
  content: DocumentContent;
  maxBytes: number;
}

export type ParseReply =
  | { type: 'ready' }
  | { type: 'parsed'; id: number; document: ParsedDocument }
  | { type: 'failed'; id: number; reason: ParseFailureReason; message: string };
