import type { SearchMode } from '../../../shared/contract/search';
import type { ConnectorType } from '../connectors/types';

/** Defined once, in the contract. */
export type { SearchMode };

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
  /** What the person typed, operators included (see query-syntax.ts). */
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
  /** Set on text from a code block or inline code: show it as code (monospace). */
  code?: boolean;
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
  /** The title to show: the one found inside the document, else its name (display-title.ts). */
  title: string;
  /** The file's name when the title shown came from inside the file, else null. */
  fileName: string | null;
  /** What the chunks' `page` counts: PDF pages, or a presentation's slides. */
  pageUnit: 'page' | 'slide';
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
  /** Other documents with the same or nearly the same text, folded into this result (near-duplicates.ts). */
  copies?: SearchHitDocument[];
}

/** An operator of the query that search understood and applied, in the order typed. */
export interface UnderstoodOperator {
  kind: 'phrase' | 'exclude' | 'title' | 'type' | 'in' | 'after' | 'before';
  /** Exactly as typed (e.g. `-"old plan"`, `type:pdf`): remove it from the query to drop the operator. */
  text: string;
  /** Its value: the phrase or words, the type name, the source name, the date as typed. */
  value: string;
  /** `-title:`: documents with this in their title are left out. */
  negated: boolean;
  /** type: the MIME types it selects. */
  mimeTypes?: string[];
  /** in: the connectors it names. */
  connectorIds?: string[];
  /** after: / before: local midnight starting the date (after: includes it, before: stops just before it), epoch ms. */
  date?: number;
}

/** A word the library does not know (or barely), and the word it probably meant. */
export interface SpellingCorrection {
  word: string;
  correction: string;
}

export interface SearchResponse {
  /** The mode actually used (keyword when no embedding model is ready). */
  mode: SearchMode;
  /** Something the person should know about these results, e.g. why semantic search was not used. */
  notice?: string;
  /** The query's operators that were applied (an empty list when none). */
  operators: UnderstoodOperator[];
  /** "Did you mean": the query with likely misspellings corrected, when there are any. */
  suggestion?: { query: string; corrections: SpellingCorrection[] };
  /** Misspelt words whose likely word was searched for as well ("also matched archive for archve"). */
  fuzzy?: SpellingCorrection[];
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

/** "More like this": documents similar to one document. */
export interface SimilarRequest {
  documentId: string;
  /** Documents to return, 1..100. Default 10. */
  limit?: number;
  filters?: SearchFilters;
}

export interface SimilarResponse {
  /** 'vectors': by meaning (the document's mean vector); 'terms': by its distinctive words (no model ready). */
  basis: 'vectors' | 'terms';
  /** The distinctive words searched for (basis 'terms'); empty for 'vectors'. */
  terms: string[];
  /** Something the person should know, e.g. that a model would find closer matches. */
  notice?: string;
  /** Best first; the document itself is never among them. */
  groups: SearchGroup[];
  tookMs: number;
}
