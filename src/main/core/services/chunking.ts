import type { ChunkingResult } from '../handlers/process-imported-doc.handler';
import { CHUNKER_VERSION, chunkDocument, classifyContent, contextualText, type ParsedDocument } from '../ingest';
import type { StoredDocument } from '../store/documents.repo';

interface StoredParseFacts {
  format?: ParsedDocument['format'];
  language?: string | null;
  pages?: ParsedDocument['pages'] | null;
}

/** Rebuilds the parsed view of a stored document, classifies it and chunks it. */
export function chunkStoredDocument(doc: StoredDocument): ChunkingResult {
  const facts = (doc.metadata.parse ?? {}) as StoredParseFacts;
  const parsed: ParsedDocument = {
    text: doc.content ?? '',
    format: facts.format ?? 'plain',
    ...(facts.language ? { language: facts.language } : {}),
    ...(facts.pages ? { pages: facts.pages } : {}),
  };
  const fileName = typeof doc.metadata.relativePath === 'string' ? doc.metadata.relativePath : doc.title;
  const contentType = classifyContent(parsed, { fileName, mimeType: doc.mimeType ?? undefined });
  const chunks = chunkDocument(parsed, { contentType }).map((draft) => ({ ...draft, metadata: { contentType } }));
  return { contentType, chunks, chunkerVersion: CHUNKER_VERSION };
}

/** What gets embedded for a chunk: title and heading path give a short passage its context. */
export function embeddingText(title: string, chunk: { text: string; headingPath: string[] }): string {
  return contextualText(title, chunk);
}
