import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';
import { EmbeddingSpacesRepo, type SpaceRow } from '../store/embedding-spaces.repo';
import { IVF_MIN_VECTORS, ivfOutgrown, planLists, type IvfBuildReport } from '../store/ivf-index';
import { VectorsRepo } from '../store/vectors.repo';
import { rebuildQuantizedIndex } from '../store/ivf-build-in-worker';
import { describeIvfBuild } from '../store/ivf-build-progress';

/**
 * Vectors from which the fast-search index pays: below this an exact scan
 * takes under ~40 ms on a 2-core laptop and is exact.
 */
export const QUANTIZED_ENABLE_AT = 100_000;

/** When the quantised (binary + IVF) index of the active space is built and rebuilt. */
export interface QuantizedIndexPolicy {
  /** Turn the quantised index on once the active space holds this many vectors. Default `QUANTIZED_ENABLE_AT`. */
  enableAt?: number;
  /** Fewest vectors for which the bit table is split into IVF lists. Default `IVF_MIN_VECTORS` (50,000). */
  partitionAt?: number;
}

export type QuantizedIndexAction =
  /** Nothing to do: no active space, too small, dimensions not divisible by 8, or the index fits the library. */
  | 'none'
  /** The index was built for the first time. */
  | 'enabled'
  /** The library outgrew the lists (~4x the vectors they were trained for): retrained and rebuilt. */
  | 'rebuilt';

export interface QuantizedIndexResult {
  action: QuantizedIndexAction;
  /** Vectors in the active space (0 without one). */
  vectors: number;
  space?: SpaceRow;
  /** Present when the index was (re)built. */
  report?: IvfBuildReport;
}

/**
 * Keeps the active space's quantised index fitting its size: builds it once
 * the space passes `enableAt` vectors, and retrains its IVF lists once the
 * space has grown to about 4x the vectors they were trained for. Cheap when
 * there is nothing to do (a count). A build (seconds at 100,000 chunks,
 * under two minutes at a million 384-dim vectors) runs beside the index in
 * use, in a worker thread on a library file (`rebuildQuantizedIndex`), so
 * call it from a background job, e.g. after a sync or an embedding backlog
 * finishes. First clears what an interrupted build left: builds run only
 * from here, one at a time. The index never turns itself off: use
 * `EmbeddingSpacesRepo.setQuantized`.
 */
export async function maintainQuantizedIndex(
  db: Database,
  clock: Clock,
  policy: QuantizedIndexPolicy = {},
  run: { signal?: AbortSignal; onProgress?: (fraction: number, message: string) => void } = {},
): Promise<QuantizedIndexResult> {
  const enableAt = policy.enableAt ?? QUANTIZED_ENABLE_AT;
  const partitionAt = policy.partitionAt ?? IVF_MIN_VECTORS;
  const spaces = new EmbeddingSpacesRepo(db, clock);
  const active = spaces.getActive();
  if (!active) return { action: 'none', vectors: 0 };
  spaces.clearInterruptedBuild(active.id);
  const space = spaces.get(active.id)!;
  const vectors = new VectorsRepo(db).count(space);
  const rebuild = async (action: QuantizedIndexAction): Promise<QuantizedIndexResult> => {
    const report = await rebuildQuantizedIndex(db, clock, space.id, {
      lists: planLists(vectors, partitionAt),
      signal: run.signal,
      expectedVectors: vectors,
      onProgress: (progress) => {
        const { fraction, message } = describeIvfBuild(progress);
        run.onProgress?.(fraction, message);
      },
    });
    if (!report) return { action: 'none', vectors, space: spaces.get(space.id) };
    return { action, vectors, space: spaces.get(space.id), report };
  };
  if (!space.quantized) {
    if (vectors < enableAt || space.dimensions % 8 !== 0) return { action: 'none', vectors, space };
    return rebuild('enabled');
  }
  if (ivfOutgrown(space.ivfLists, vectors, partitionAt)) return rebuild('rebuilt');
  return { action: 'none', vectors, space };
}
