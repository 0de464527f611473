import type { MessagePort } from 'node:worker_threads';
import type { WireError } from '../workers/wire-error';
import type { CandidateSet, SemanticSearchOptions, Space } from './semantic-search';

/** What vector-scan.worker is started with (workerData). */
export interface VectorScanStart {
  /** The library's database file, opened read-only. */
  file: string;
}

/** One first pass asked of the thread. Plain data only (structured clone). */
export interface VectorScanPass {
  type: 'scan';
  id: number;
  spaceId: number;
  /** The query's vector, or the port it will come on (closed without one when embedding fails). */
  vector: Float32Array | MessagePort;
  k: number;
  options: SemanticSearchOptions;
}

export type VectorScanRequest =
  | VectorScanPass
  /** Granted after `refresh-wanted`: no search waits on the thread, so it may copy the vectors now. */
  | { type: 'refresh' };

export type VectorScanReply =
  /** The thread opened the library and takes requests. */
  | { type: 'ready' }
  /** `index` names the tables the pass read (`indexKey`): it stands for the caller's only if they are the same. */
  | { type: 'found'; id: number; found: CandidateSet; index: string; fromCopy: boolean }
  | { type: 'failed'; id: number; error: WireError }
  /** The library has been still since a pass found its copy of the vectors out of date (flat-vector-cache.ts). */
  | { type: 'refresh-wanted' }
  /** The copy asked for is made (or could not be): the thread takes passes again. */
  | { type: 'refreshed' }
  /** Opening the library failed: the thread ends. */
  | { type: 'unavailable'; error: WireError };

/** Which tables of a space a pass reads: a fast-search index build switches them. */
export function indexKey(space: Space): string {
  return JSON.stringify([space.vectorTable, space.quantized, space.bitsTable, space.rescoreTable, space.ivfVersion]);
}
