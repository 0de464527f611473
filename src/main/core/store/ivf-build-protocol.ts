import type { WireError } from '../workers/wire-error';
import type { IvfBuildProgress, IvfBuildReport } from './ivf-index';

/** What ivf-build.worker is started with (workerData). Plain data only (structured clone). */
export interface IvfBuildRequest {
  /** The library's database file. */
  file: string;
  spaceId: number;
  /** Overrides the planned list count (tests). */
  lists?: number;
  /** How long the worker's writes wait for the app's and other processes' (they are short). */
  busyTimeoutMs: number;
  /** The float table's count when the build was planned, for progress. */
  expectedVectors?: number;
}

/** What the worker sends: progress while it builds (several), then its outcome, once. */
export type IvfBuildReply = { type: 'progress'; progress: IvfBuildProgress } | IvfBuildOutcome;

export type IvfBuildOutcome =
  | { type: 'built'; report: IvfBuildReport }
  /** Quantisation was turned off, or another build began, while this one ran. */
  | { type: 'superseded' }
  | { type: 'failed'; error: WireError };
