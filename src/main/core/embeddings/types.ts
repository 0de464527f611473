/**
 * The embedding contract (DESIGN.md section 7). Every provider/model/dimension
 * combination is its own space with its own vec0 table; vectors of different
 * spaces are never compared.
 */
export type EmbeddingProvider = 'local' | 'gemini';

export interface EmbeddingSpace {
  provider: EmbeddingProvider;
  model: string;
  dimensions: number;
}

/** `local/Xenova/bge-small-en-v1.5/384`: the registry key of a space. */
export function spaceKey(space: EmbeddingSpace): string {
  return `${space.provider}/${space.model}/${space.dimensions}`;
}

export interface Embedder {
  readonly space: EmbeddingSpace;
  readonly dimensions: number;
  /** Unit-length vectors, one per text, in order. */
  embedDocuments(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Unit-length vector for a search query (query prefix / task type applied). */
  embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array>;
  close?(): Promise<void>;
}
