import { z } from 'zod';
import { AbsolutePath, command, ConnectorType, Count, Id, Timestamp } from './common';

export const SearchMode = z.enum(['hybrid', 'keyword', 'semantic']);
export type SearchMode = z.infer<typeof SearchMode>;

export const SearchFilters = z.object({
  connectorIds: z.array(Id).max(100).optional(),
  sourceTypes: z.array(ConnectorType).optional(),
  mimeTypes: z.array(z.string().min(1).max(200)).max(50).optional(),
  modifiedFrom: Timestamp.optional(),
  modifiedTo: Timestamp.optional(),
});
export type SearchFilters = z.infer<typeof SearchFilters>;

/**
 * A snippet as segments, so the UI highlights without parsing markup. The
 * text is shown text (Markdown/HTML markup removed); `code` marks text from
 * a code block or inline code, to show in a monospace font.
 */
export const SnippetSegment = z.object({ text: z.string(), match: z.boolean(), code: z.boolean().optional() });
export type SnippetSegment = z.infer<typeof SnippetSegment>;

export const SearchChunk = z.object({
  chunkId: z.number().int().positive(),
  headingPath: z.array(z.string()),
  page: z.number().int().positive().nullable(),
  snippet: z.array(SnippetSegment),
  score: z.number(),
});

export const SearchDocument = z.object({
  id: Id,
  connectorId: Id,
  connectorType: ConnectorType,
  connectorName: z.string(),
  /** The title found inside the document (front matter, first heading, title property), else its name. */
  title: z.string(),
  /** The file's name when `title` came from inside the file (show it too: people know files by name). */
  fileName: z.string().nullable().optional(),
  /** A watched folder's file: the folder it is in, relative to the watched folder (`library/`; `''` at the top). */
  folder: z.string().nullable().optional(),
  /** What chunks' `page` counts: PDF pages or a presentation's slides ("slide 3"). */
  pageUnit: z.enum(['page', 'slide']).optional(),
  mimeType: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  sourceModifiedAt: Timestamp.nullable(),
});

export const SearchGroup = z.object({
  document: SearchDocument,
  score: z.number(),
  chunks: z.array(SearchChunk).min(1),
  /**
   * Other documents found with the same or nearly the same text (a copy in
   * another folder, `report (1).pdf`, the same document in another format:
   * `report.docx` beside `report.pdf`), folded into this result, best first.
   * Absent when there are none.
   */
  copies: z.array(SearchDocument).optional(),
});
export type SearchGroup = z.infer<typeof SearchGroup>;

/**
 * An operator of the query that search understood and applied, in the
 * order typed: `"phrase"`, `-word`, `title:`, `type:`, `in:`, `after:`,
 * `before:`. Show them as chips; removing `text` from the query drops one.
 */
export const QueryOperator = z.object({
  kind: z.enum(['phrase', 'exclude', 'title', 'type', 'in', 'after', 'before']),
  /** Exactly as typed, e.g. `-"old plan"` or `type:pdf`. */
  text: z.string(),
  /** The phrase or words, the type name, the source name or the date as typed. */
  value: z.string(),
  /** `-title:`: documents with this in their title are left out. */
  negated: z.boolean(),
  /** type: the MIME types it selects. */
  mimeTypes: z.array(z.string()).optional(),
  /** in: the sources (connector ids) it names. */
  connectorIds: z.array(Id).optional(),
  /** after:/before: local midnight starting the date, epoch ms (after: includes that day, before: ends just before it). */
  date: z.number().int().optional(),
});
export type QueryOperator = z.infer<typeof QueryOperator>;

/** A word the library does not know (or barely), and the word it probably meant. */
export const SpellingCorrection = z.object({ word: z.string(), correction: z.string() });

/** Why semantic (and hybrid) search can or cannot run now, and what fixes it. */
export const SemanticState = z.enum([
  'ready',
  'model_not_downloaded',
  'model_downloading',
  'model_loading',
  'gemini_key_missing',
  'error',
]);
export type SemanticState = z.infer<typeof SemanticState>;

export const SearchStatus = z.object({
  /** Documents that can be found (indexed). */
  indexedDocuments: Count,
  /** Documents known at all (indexed, waiting, failed or skipped). */
  knownDocuments: Count,
  /** Documents waiting to be indexed or being indexed. */
  waitingDocuments: Count,
  /** Documents a cancelled run left unindexed: the next sync indexes them. */
  leftDocuments: Count,
  /** Documents that could not be indexed (an error; skipped files are not counted). */
  failedDocuments: Count,
  semantic: z.object({
    state: SemanticState,
    provider: z.enum(['local', 'gemini']),
    /** The model chosen in Settings. */
    modelId: z.string(),
    modelName: z.string(),
    /** Download size of a local model. */
    sizeBytes: Count.nullable(),
    downloadedBytes: Count,
    /** For people: what is missing, or what went wrong. */
    message: z.string().nullable(),
  }),
});
export type SearchStatus = z.infer<typeof SearchStatus>;

export const searchCommands = {
  searchStatus: command({
    summary: 'What the Search screen needs to know: is anything indexed, can semantic search run, and if not, why.',
    input: z.object({}).strict(),
    output: SearchStatus,
  }),
  search: command({
    summary: 'Hybrid, keyword or semantic search, grouped by document.',
    input: z.object({
      query: z.string().trim().min(1, 'must not be empty').max(1000),
      mode: SearchMode.default('hybrid'),
      filters: SearchFilters.optional(),
      /** Documents per page; default 20. */
      limit: z.number().int().min(1).max(100).default(20),
      cursor: z.string().max(500).optional(),
    }),
    output: z.object({
      groups: z.array(SearchGroup),
      /** The mode actually used (hybrid falls back to keyword while no model is ready). */
      mode: SearchMode,
      /** Something the person should know, e.g. "Only keyword search is available until the model is downloaded." */
      notice: z.string().nullable(),
      nextCursor: z.string().nullable(),
      tookMs: z.number().nonnegative(),
      /** The query's operators that were applied (absent or empty: none). */
      operators: z.array(QueryOperator).optional(),
      /** "Did you mean": the query with likely misspellings corrected (absent: none). Run `query` on a click. */
      suggestion: z.object({ query: z.string(), corrections: z.array(SpellingCorrection) }).optional(),
      /** Misspelt words whose likely word was searched for as well, e.g. "also showing results for archive". */
      fuzzy: z.array(SpellingCorrection).optional(),
    }),
  }),
  similarDocuments: command({
    summary:
      'More like this: documents similar to one document, by meaning when a model is ready, else by its distinctive words.',
    input: z.object({
      documentId: Id,
      /** Documents to return; default 10. */
      limit: z.number().int().min(1).max(100).default(10),
      filters: SearchFilters.optional(),
    }),
    output: z.object({
      /** 'vectors': by meaning; 'terms': by the document's distinctive words (no embedding model ready). */
      basis: z.enum(['vectors', 'terms']),
      /** The distinctive words searched for when basis is 'terms'. */
      terms: z.array(z.string()),
      notice: z.string().nullable(),
      /** Best first; never the document itself. */
      groups: z.array(SearchGroup),
      tookMs: z.number().nonnegative(),
    }),
  }),
};

/** One chunk of the preview: text as shown (markup removed), with the query's words highlighted. */
export const ContextChunk = z.object({
  chunkId: z.number().int().positive(),
  headingPath: z.array(z.string()),
  page: z.number().int().positive().nullable(),
  segments: z.array(SnippetSegment),
  /** The chunk asked for (the others are its neighbours). */
  current: z.boolean(),
});
export type ContextChunk = z.infer<typeof ContextChunk>;

/** Where a document's original is: a web page, or a file on this computer. */
export const OpenTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('web'), url: z.string() }),
  z.object({
    kind: z.literal('file'),
    path: z.string(),
    /** False when the file is no longer at that path. */
    exists: z.boolean(),
    /** True when the path is Trove's own copy of a file dropped into a browser (the original's path was never known). */
    copy: z.boolean(),
    mimeType: z.string().nullable(),
  }),
  z.object({ kind: z.literal('none'), reason: z.string() }),
]);
export type OpenTarget = z.infer<typeof OpenTarget>;

export const previewCommands = {
  chunkContext: command({
    summary:
      "A result's chunk in context for the preview: it and its neighbours in the document, with heading paths and pages, the query's words highlighted.",
    input: z.object({
      chunkId: z.number().int().positive(),
      /** The search query, to highlight its words (operators are understood and left out). */
      query: z.string().max(1000).optional(),
      /** Neighbouring chunks on each side; default 2. */
      around: z.number().int().min(0).max(5).default(2),
    }),
    output: z.object({
      documentId: Id,
      chunks: z.array(ContextChunk).min(1),
      /** More of the document before the first chunk shown / after the last. */
      moreBefore: z.boolean(),
      moreAfter: z.boolean(),
    }),
  }),
  openTarget: command({
    summary:
      "Where a document's original is, to open or reveal it: the web page of a Drive or Notion document, or the file's path on this computer (the person's own file for imports, when known).",
    input: z.object({ documentId: Id }),
    output: OpenTarget,
  }),
};

export const importCommands = {
  importPaths: command({
    summary: 'Import files and folders (drag-and-drop or typed paths); progress arrives as job and document events.',
    input: z.object({ paths: z.array(AbsolutePath).min(1, 'needs at least one path').max(10_000) }),
    output: z.object({
      connectorId: Id,
      jobId: Id,
      /** Epoch ms the import was accepted: documents updated since belong to it. */
      startedAt: Timestamp,
      accepted: Count,
    }),
  }),
};
