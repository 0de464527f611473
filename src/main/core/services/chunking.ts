import { contextualText, type ChunkedDocument, type ChunkJob, type ParsedDocument } from '../ingest';
import type { ChunkInput } from '../store/chunks.repo';
import type { StoredDocument } from '../store/documents.repo';

/** The chunker's view of a document (ingest/ provides the implementation). */
export interface ChunkingResult {
  contentType: string;
  chunks: ChunkInput[];
  /** The text's sketch, stored with the document when it is indexed (see ingest/text-sketch.ts). */
  sketch: Uint32Array;
}

interface StoredParseFacts {
  format?: ParsedDocument['format'];
  language?: string | null;
  pages?: ParsedDocument['pages'] | null;
  headings?: ParsedDocument['headings'];
}

/**
 * Rebuilds the parsed view of a stored document and has it classified and
 * chunked by `chunk` (the parser pool's threads in the app, so the main
 * thread stays free for the queue and the database).
 */
export async function chunkStoredDocument(
  doc: StoredDocument,
  chunk: (job: ChunkJob) => Promise<ChunkedDocument>,
): Promise<ChunkingResult> {
  const facts = (doc.metadata.parse ?? {}) as StoredParseFacts;
  const parsed: ParsedDocument = {
    text: doc.content ?? '',
    format: facts.format ?? 'plain',
    ...(facts.language ? { language: facts.language } : {}),
    ...(facts.pages ? { pages: facts.pages } : {}),
    ...(facts.headings ? { headings: facts.headings } : {}),
  };
  const fileName = typeof doc.metadata.relativePath === 'string' ? doc.metadata.relativePath : doc.title;
  const { contentType, chunks, sketch } = await chunk({
    parsed,
    hints: { fileName, ...(doc.mimeType ? { mimeType: doc.mimeType } : {}) },
  });
  return {
    contentType,
    chunks: chunks.map((draft) => ({
      ...draft,
      metadata: { contentType, ...(draft.openFence ? { openFence: draft.openFence } : {}) },
    })),
    sketch,
  };
}

/** What gets embedded for a chunk: title and heading path give a short passage its context. */
export function embeddingText(title: string, chunk: { text: string; headingPath: string[] }): string {
  return contextualText(title, chunk);
}
