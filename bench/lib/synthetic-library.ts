/**
 * The synthetic library and queries of the speed benchmarks, drawn from a
 * SyntheticWorld exactly as bench/search-speed.bench.ts draws them, so a
 * benchmark that needs only text (bench/keyword-speed.bench.ts) searches the
 * same chunks and the same queries as one that also writes vectors.
 */
import type { BenchDocument } from './store';
import { seededRandom, type SyntheticWorld } from './synthetic';

export const CHUNKS_PER_DOC = 5;
/** Chunks per batch; each batch has its own seed, so batches can be drawn independently. */
export const SYNTHETIC_BATCH = 10_000;

export interface SyntheticBatch {
  docs: BenchDocument[];
  /** The cluster of each chunk, in the order of the documents' chunks. */
  clusterOf: number[];
  /**
   * The batch's random stream, positioned after the text: drawing the chunk
   * vectors from it (in chunk order) gives the vectors search-speed writes.
   */
  random: () => number;
}

/** The documents of chunks `start` .. `start + SYNTHETIC_BATCH` (capped at `size`). */
export function syntheticBatch(world: SyntheticWorld, start: number, size: number): SyntheticBatch {
  const random = seededRandom(1000 + start / SYNTHETIC_BATCH);
  const docs: BenchDocument[] = [];
  const clusterOf: number[] = [];
  for (let c = start; c < Math.min(size, start + SYNTHETIC_BATCH); c += CHUNKS_PER_DOC) {
    const cluster = Math.floor(random() * world.options.clusters);
    const chunks: string[] = [];
    for (let j = 0; j < CHUNKS_PER_DOC && c + j < size; j++) {
      // Chunks of one document mostly share its topic, sometimes drift to another.
      const chunkCluster = random() < 0.8 ? cluster : Math.floor(random() * world.options.clusters);
      clusterOf.push(chunkCluster);
      chunks.push(world.chunkText(chunkCluster, random));
    }
    docs.push({
      id: `doc-${String(c / CHUNKS_PER_DOC).padStart(7, '0')}`,
      title: chunks[0]!.split(' ').slice(0, 4).join(' '),
      chunks,
    });
  }
  return { docs, clusterOf, random };
}

export interface SyntheticQueries {
  texts: string[];
  /** Each query's vector (near its cluster's centre), same index as `texts`. */
  vectors: Float32Array[];
}

/**
 * `count` distinct queries (two topic words and a common one). The vectors
 * are always drawn, even by text-only callers, because they share the random
 * stream with the texts: skipping them would change every query after the first.
 */
export function syntheticQueries(world: SyntheticWorld, count: number): SyntheticQueries {
  const random = seededRandom(7);
  const texts: string[] = [];
  const vectors: Float32Array[] = [];
  const seen = new Set<string>();
  while (texts.length < count) {
    const cluster = Math.floor(random() * world.options.clusters);
    const text = world.queryText(cluster, random);
    if (seen.has(text)) continue;
    const v = new Float32Array(world.options.dims);
    world.vectorNear(cluster, random, v, 0);
    seen.add(text);
    texts.push(text);
    vectors.push(v);
  }
  return { texts, vectors };
}
