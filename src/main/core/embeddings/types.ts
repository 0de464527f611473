import type { MessagePort } from 'node:worker_threads';
import type { EmbeddingProvider } from '../../../shared/contract/settings';
/**
 * The embedding contract (embeddings/README.md). Every provider/model/dimension
 * combination is its own space with its own vec0 table; vectors of different
 * spaces are never compared.
 */
/** Defined once, in the contract. */
export type { EmbeddingProvider };

export interface EmbeddingSpace {
  provider: EmbeddingProvider;
  model: string;
  dimensions: number;
}

/** `local/Xenova/bge-small-en-v1.5/384`: the registry key of a space. */
export function spaceKey(space: EmbeddingSpace): string {
  return `${space.provider}/${space.model}/${space.dimensions}`;
}

/** Options of one `embedDocuments` call. */
export interface EmbedOptions {
  signal?: AbortSignal;
  /**
   * Who waits for the vectors. 'search': a search in progress (snippet
   * sentences); the local model serves these right after queries, before
   * indexing work. Default 'index'.
   */
  purpose?: 'index' | 'search';
  /**
   * Among indexing requests, higher is served first (then first come, first
   * served). process_imported_doc passes the document's modification time,
   * so the most recently changed documents become searchable by meaning
   * first. Default 0. Providers that do not schedule ignore it.
   */
  priority?: number;
}

export interface Embedder {
  readonly space: EmbeddingSpace;
  readonly dimensions: number;
  /**
   * Unit-length vectors, one per text, in order. Whatever the batching, a
   * text's vector does not depend on the other texts of the call.
   */
  embedDocuments(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Unit-length vector for a search query (query prefix / task type applied); served before any document work. */
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
  /**
   * embedQuery, the vector also posted on `copyTo` the moment it exists, by
   * the thread that computes it, and the port closed (without a message if
   * it fails): a search hands the other end to its search thread, which
   * scans while the main thread searches by keyword. Only for embedders that
   * compute off the main thread; a caller posts it itself for the others.
   */
  embedQueryTo?(text: string, copyTo: MessagePort, signal?: AbortSignal): Promise<Float32Array>;
  close?(): Promise<void>;
}
