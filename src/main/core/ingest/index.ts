/**
 * Ingestion: turn a document's content into text (parsers, in worker
 * threads), decide what kind of text it is, and split it into chunks.
 * See README.md in this folder.
 */
export type {
  BoundaryType,
  ChunkDraft,
  ChunkingStrategy,
  ContentType,
  PageStart,
  ParsedDocument,
  StructureType,
} from './types';
export { CONTENT_TYPES } from './types';
export { ParseFailure, failureStatus, PARSE_FAILURE_REASONS, type ParseFailureReason } from './parse-failure';
export { ParserPool } from './parser-pool';
export { DEFAULT_PARSE_LIMITS, type ParseLimits, type ParseLimitsInput } from './limits';
export type { ParserPoolOptions } from './parser-pool-options';
export { parseContent, checkContent, DEFAULT_MAX_BYTES, type ParseOptions } from './parse';
export { detectType, extensionOf, type DetectedType } from './file-types';
export { classifyContent, type ClassifyHints } from './classify';
export { chunkDocument, hashChunk, CHUNKER_VERSION, type ChunkOptions } from './chunking/chunker';
export { classifyAndChunk, type ChunkJob, type ChunkedDocument } from './chunk-job';
export { CHUNK_SIZES, type ChunkSizes } from './chunking/sizes';
export { contextualText } from './contextual-text';
