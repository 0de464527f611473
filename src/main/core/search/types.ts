import type { ConnectorType } from '../connectors/types';

export type SearchMode = 'hybrid' | 'keyword' | 'semantic';

export interface SearchFilters {
  /** Only documents from these connectors. */
  connectorIds?: string[];
  /** Only documents whose connector has one of these types. */
  sourceTypes?: ConnectorType[];
  /** Only documents with one of these MIME types (exact match). */
  mimeTypes?: string[];
  /** Epoch ms, inclusive: the source's modification time (or, if unknown, when Trove last updated the document). */
  modifiedFrom?: number;
  /** Epoch ms, inclusive. */
  modifiedTo?: number;
}

export interface SearchRequest {
  query: string;
  /** Default 'hybrid'. */
  mode?: SearchMode;
  filters?: SearchFilters;
  /** Documents per page, 1..100. Default 10. */
  limit?: number;
  /** Opaque `nextCursor` of the previous page of the same search. */
  cursor?: string;
}

/** A piece of snippet text; `match` marks a keyword hit (render it highlighted, as text, never as HTML). */
export interface SnippetSegment {
  text: string;
  match: boolean;
}

export interface SearchHitChunk {
  chunkId: number;
  headingPath: string[];
  page: number | null;
  snippet: SnippetSegment[];
  score: number;
}

export interface SearchHitDocument {
  id: string;
  title: string;
  connectorId: string;
  connectorType: ConnectorType;
  mimeType: string | null;
  sourceUrl: string | null;
  modifiedAt: number | null;
}

export interface SearchGroup {
  document: SearchHitDocument;
  /** The document's rank score: its best chunk's fused score (higher is better). */
  score: number;
  /** Best chunk first, then the document's other matching chunks. */
  chunks: SearchHitChunk[];
}

export interface SearchResponse {
  /** The mode actually used (keyword when no embedding model is ready). */
  mode: SearchMode;
  /** Something the person should know about these results, e.g. why semantic search was not used. */
  notice?: string;
  groups: SearchGroup[];
  /** Present when more results follow; pass it back as `cursor`. */
  nextCursor?: string;
  tookMs: number;
}

/** One ranked chunk from a retriever; rank 1 is best. */
export interface RankedChunk {
  chunkId: number;
  documentId: string;
  rank: number;
}
