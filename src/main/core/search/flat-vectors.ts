import type { Database } from 'better-sqlite3';
import { sql } from '../db/sql';
import { createDotKernel, STRIDE_FLOATS, type DotKernel } from './dot-kernel';
import { normalizeAt } from './ivf-kmeans';
import type { CandidateSet } from './semantic-search';

/**
 * A copy of one vec0 table's vectors in memory, unit length, for an exact
 * cosine scan in SIMD (dot-kernel.ts): the same nearest chunks as
 * sqlite-vec's scan (distance = 1 - cosine; chunks at exactly the same
 * distance in chunk order, as semantic-search.ts orders its hits, where
 * sqlite-vec keeps its scan's order). At 11,604 chunks of 384 dimensions
 * ~1.3 ms in a loop and ~3 ms in a search, whose other work leaves the
 * vectors out of the CPU's caches, against ~10 ms. Read once, it stands for
 * the table only while the library is as it was read (flat-vector-cache.ts).
 */
export class FlatVectors {
  private constructor(
    private readonly kernel: DotKernel,
    private readonly chunkIds: Float64Array,
    private readonly dimensions: number,
    private readonly stride: number,
  ) {}

  /** What a copy takes a vector: the vector, its score, its chunk id. */
  static bytesPerVector(dimensions: number): number {
    return strideOf(dimensions) * 4 + 4 + 8;
  }

  /** Vectors held. */
  get size(): number {
    return this.chunkIds.length;
  }

  /**
   * Reads `table` (a vec0 table of `dimensions` floats), in the caller's
   * transaction if it has one (the count and the rows must agree); undefined
   * when its copy would take more than `maxBytes` (then only counted) or this
   * runtime has no WebAssembly SIMD. Rows go straight into the kernel's
   * memory, so reading takes no more than the copy itself.
   */
  static read(db: Database, table: string, dimensions: number, maxBytes: number): FlatVectors | undefined {
    const count = sql`SELECT count(*) FROM ${sql.ident(table)}`;
    const rows = db
      .prepare(count.text)
      .pluck()
      .get(...count.params) as number;
    if (rows * FlatVectors.bytesPerVector(dimensions) > maxBytes) return undefined;
    const stride = strideOf(dimensions);
    const kernel = createDotKernel(layout(rows, stride).end);
    if (!kernel) return undefined;
    const flat = new FlatVectors(kernel, new Float64Array(rows), dimensions, stride);
    const bytes = new Uint8Array(kernel.memory.buffer);
    const vectors = new Float32Array(kernel.memory.buffer, 0, rows * stride);
    const q = sql`SELECT rowid, embedding FROM ${sql.ident(table)}`;
    let i = 0;
    for (const [chunkId, embedding] of db
      .prepare(q.text)
      .raw()
      .iterate(...q.params) as IterableIterator<[number, Buffer]>) {
      if (i === rows) break;
      flat.chunkIds[i] = chunkId;
      // Copied as bytes: a blob's Buffer need not start at a multiple of 4.
      bytes.set(embedding.subarray(0, dimensions * 4), i * stride * 4);
      normalizeAt(vectors, i * stride, dimensions);
      i++;
    }
    return i === rows ? flat : undefined;
  }

  /** The `k` chunks nearest `query` by cosine distance, nearest first, ties by chunk id. */
  nearest(query: Float32Array, k: number): CandidateSet {
    const count = this.chunkIds.length;
    const at = layout(count, this.stride);
    const buffer = this.kernel.memory.buffer;
    const q = new Float32Array(buffer, at.query, this.stride);
    q.fill(0);
    q.set(query.subarray(0, this.dimensions));
    normalizeAt(q, 0, this.dimensions);
    this.kernel.dots(0, count, this.stride, at.query, at.scores);
    const scores = new Float32Array(buffer, at.scores, count);
    const best = bestScores(scores, this.chunkIds, k);
    return {
      candidates: best.map((i) => ({ chunkId: this.chunkIds[i]!, distance: 1 - scores[i]! })),
      complete: best.length < k,
    };
  }
}

/** Floats a vector takes in the copy: zeros after its own, to a whole number of kernel steps. */
function strideOf(dimensions: number): number {
  return Math.ceil(dimensions / STRIDE_FLOATS) * STRIDE_FLOATS;
}

/** Byte offsets in the kernel's memory: the vectors, then the query, then one score per vector. */
function layout(count: number, stride: number): { query: number; scores: number; end: number } {
  const query = count * stride * 4;
  const scores = query + stride * 4;
  return { query, scores, end: scores + count * 4 };
}

/**
 * Indexes of the `k` highest scores, highest first, ties by lower chunk id:
 * one pass keeping the best k in a heap whose root is the worst of them.
 */
function bestScores(scores: Float32Array, chunkIds: Float64Array, k: number): number[] {
  const worse = (a: number, b: number) =>
    scores[a]! < scores[b]! || (scores[a] === scores[b] && chunkIds[a]! > chunkIds[b]!);
  const heap: number[] = [];
  const siftDown = (from: number) => {
    for (let at = from; ;) {
      const left = 2 * at + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && worse(heap[right]!, heap[left]!) ? right : left;
      if (!worse(heap[child]!, heap[at]!)) return;
      [heap[at], heap[child]] = [heap[child]!, heap[at]!];
      at = child;
    }
  };
  for (let i = 0; i < scores.length && k > 0; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
