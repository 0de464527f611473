import { classifyContent, type ClassifyHints } from './classify';
import { chunkDocument } from './chunking/chunker';
import { documentSketch } from './document-sketch';
import type { ChunkDraft, ContentType, ParsedDocument } from './types';

/** What chunking needs: the parsed text and the hints the classifier uses. Plain data (structured clone). */
export interface ChunkJob {
  parsed: ParsedDocument;
  hints: ClassifyHints;
}

export interface ChunkedDocument {
  contentType: ContentType;
  chunks: ChunkDraft[];
  /** The text's sketch (document-sketch.ts), made on the same thread as the chunks. */
  sketch: Uint32Array;
}

/** Classifies the text, chunks it with that type's sizes and sketches it. Pure: runs on any thread. */
export function classifyAndChunk(job: ChunkJob): ChunkedDocument {
  const contentType = classifyContent(job.parsed, job.hints);
  return { contentType, chunks: chunkDocument(job.parsed, { contentType }), sketch: documentSketch(job.parsed.text) };
}
