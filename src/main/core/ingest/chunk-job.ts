import { classifyContent, type ClassifyHints } from './classify';
import { chunkDocument } from './chunking/chunker';
import type { ChunkDraft, ContentType, ParsedDocument } from './types';

/** What chunking needs: the parsed text and the hints the classifier uses. Plain data (structured clone). */
export interface ChunkJob {
  parsed: ParsedDocument;
  hints: ClassifyHints;
}

export interface ChunkedDocument {
  contentType: ContentType;
  chunks: ChunkDraft[];
}

/** Classifies the text, then chunks it with that type's sizes. Pure: runs on any thread. */
export function classifyAndChunk(job: ChunkJob): ChunkedDocument {
  const contentType = classifyContent(job.parsed, job.hints);
  return { contentType, chunks: chunkDocument(job.parsed, { contentType }) };
}
