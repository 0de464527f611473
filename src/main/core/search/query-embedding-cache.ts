/**
 * A small LRU of query vectors, keyed by embedding space and query text, so
 * paging and retyping the same search do not run the model again.
 */
export class QueryEmbeddingCache {
  private readonly entries = new Map<string, Float32Array>();

  /** @param capacity entries kept (default 128). */
  constructor(private readonly capacity = 128) {}

  get(spaceKey: string, query: string): Float32Array | undefined {
    const key = `${spaceKey}\n${query}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(spaceKey: string, query: string, vector: Float32Array): void {
    const key = `${spaceKey}\n${query}`;
    this.entries.delete(key);
    this.entries.set(key, vector);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
