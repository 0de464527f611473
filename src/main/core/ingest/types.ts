import type { DetectedType } from './file-types';

/**
 * Shapes shared by the parsers, the classifier and the chunker.
 * Everything here is plain data so it can cross a worker boundary.
 */

/** A page's (or slide's) first character in `ParsedDocument.text`. Pages are 1-based. */
export interface PageStart {
  page: number;
  start: number;
}

/** What every parser returns: text plus the few facts the chunker needs. */
export interface ParsedDocument {
  /** Normalised text (LF line endings, no BOM). Chunk spans index into it. */
  text: string;
  /**
   * - `markdown`: headings, lists, tables and fences are Markdown (Markdown, HTML, DOCX).
   * - `plain`: paragraphs separated by blank lines (text files, PDFs).
   * - `code`: source code or structured data text; `language` says which.
   * - `table`: Markdown tables (CSV/TSV), one table per row group, each with its header.
   */
  format: 'markdown' | 'plain' | 'code' | 'table';
  /** Source language for `code` (e.g. `typescript`, `python`, `json`). */
  language?: string;
  /** Sorted by page; present for PDFs and presentations. */
  pages?: PageStart[];
  /** What `pages` number: PDF pages (the default) or a presentation's slides. */
  pageUnit?: 'page' | 'slide';
  /** A title found inside the document (HTML <title>, first H1, front matter, an e-book's or a mail's own title). */
  title?: string;
  /**
   * The reader that made the text: the detected type of the file, or of the
   * file inside a compressed one or a mail's attachment. Stored with the
   * text, so an update re-reads only what a changed reader read
   * (extraction-version.ts).
   */
  reader?: DetectedType['kind'];
  /**
   * Headings the format itself shows, in document order, for `plain` text
   * that has no markup for them (a PDF's lines set in larger type): the
   * chunker takes these instead of guessing from the lines' layout.
   */
  headings?: DeclaredHeading[];
  /**
   * Facts the document states about itself, for the document's metadata:
   * an e-book's `author`, a mail's `from`, `to`, `cc`, `date`, `messageId`.
   */
  metadata?: Record<string, string | string[]>;
  /**
   * One or two sentences for people when the file is damaged and was read
   * only in part ("This PDF ends early, …: Trove indexed the 14 pages it
   * still holds, of the 20 it had."). Absent for a sound file.
   */
  damage?: string;
  /**
   * Pages that have no usable text layer and need OCR (scanned PDF pages,
   * every frame of an image). Their text in `text` is empty until the OCR
   * job adds it; see ingest/ocr/README.md.
   */
  ocr?: OcrNeeds;
}

/** A heading as the line(s) of `text` it stands on, trimmed, with its level (1 is the largest). */
export interface DeclaredHeading {
  lines: string[];
  level: number;
}

/** What a later OCR pass must read, decided while parsing. */
export interface OcrNeeds {
  /** How the pages are turned into pixels: rendered from the PDF, or decoded image frames. */
  source: 'pdf' | 'image';
  /** 1-based page (or frame) numbers, ascending. */
  pages: number[];
  /** sha256 hex of the file's bytes: the key under which the file waits for OCR. */
  sourceKey: string;
}

/** What the classifier decides a document is; drives chunk sizes. */
export const CONTENT_TYPES = ['code', 'documentation', 'tutorial', 'notes', 'data', 'transcript', 'other'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

// The chunks table's CHECK lists (test/store/vocabulary.test.ts keeps them equal).
export const STRUCTURE_TYPES = ['code', 'list', 'table', 'paragraph', 'heading', 'mixed'] as const;
export type StructureType = (typeof STRUCTURE_TYPES)[number];
export const BOUNDARY_TYPES = ['semantic_break', 'size_limit', 'structure_boundary', 'document_end'] as const;
export type BoundaryType = (typeof BOUNDARY_TYPES)[number];
export const CHUNKING_STRATEGIES = ['semantic', 'fixed', 'adaptive'] as const;
export type ChunkingStrategy = (typeof CHUNKING_STRATEGIES)[number];

/**
 * One chunk before it is stored. Columns map 1:1 onto `imported_doc_chunks`.
 * Invariant: `text === parsed.text.slice(charStart, charEnd)`.
 */
export interface ChunkDraft {
  /** 0-based position in the document. */
  index: number;
  text: string;
  /**
   * sha256 hex of the heading path and the text. Independent of `index` and
   * offsets, so an unchanged passage keeps its hash (and its vectors) when
   * other parts of the document are edited.
   */
  contentHash: string;
  /** Headings in effect for this chunk, outermost first, e.g. `['Guide', 'Install', 'Linux']`. */
  headingPath: string[];
  charStart: number;
  charEnd: number;
  /** The PDF page where the chunk starts, or null when the document has no pages. */
  page: number | null;
  structureType: StructureType;
  /** Why the chunk ends where it does. */
  boundaryType: BoundaryType;
  strategy: ChunkingStrategy;
  /** Lexical cohesion in [0, 1] (see semantic-score.ts), or null where it means nothing (code, tables, one sentence). */
  semanticScore: number | null;
  /**
   * The fence (```` ``` ````, `~~~~`) of the code block this chunk begins inside, when that block
   * opened in an earlier chunk (chunking/open-fences.ts); absent otherwise.
   */
  openFence?: string;
}
