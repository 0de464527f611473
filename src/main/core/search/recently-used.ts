/**
 * A small LRU keyed by a scope and a key: query vectors by embedding space
 * and query text (paging and retyping the same search do not run the model
 * again), sentence vectors likewise, a chunk's shown text by its markup
 * dialect and raw text (shown-text-cache.ts). A scope holds no newline.
 */
export class RecentlyUsed<V> {
  private readonly entries = new Map<string, V>();

  /** @param capacity entries kept (default 128). */
  constructor(private readonly capacity = 128) {}

  get(scope: string, key: string): V | undefined {
    const entry = `${scope}\n${key}`;
    const hit = this.entries.get(entry);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.entries.delete(entry);
      this.entries.set(entry, hit);
    }
    return hit;
  }

  set(scope: string, key: string, value: V): void {
    const entry = `${scope}\n${key}`;
    this.entries.delete(entry);
    this.entries.set(entry, value);
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
