import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_BYTES } from './parse';
import { resolveLimits, type ParseLimits, type ParseLimitsInput } from './limits';
import { startParseWorker } from './worker-entry';

export interface ParserPoolOptions {
  /** Worker threads. Default `min(2, CPU count)`. Threads start on first use. */
  size?: number;
  /**
   * Longest time one document may take inside a worker, or, for a parser
   * that reports progress (PDFs, page by page), the longest time without
   * progress. Default 30 000 ms.
   */
  timeoutMs?: number;
  /** Longest time one document may take however it progresses (a 10,000-page PDF). Default 600 000 ms. */
  maxJobMs?: number;
  /** Heap limit per worker (V8 old generation), in MB. Default 512. */
  maxMemoryMb?: number;
  /**
   * Most memory one worker may hold while parsing, heap and buffers outside
   * it together, in MB; past it the worker is terminated and its document
   * fails with `out_of_memory` (see MemoryWatchdog). Default 768.
   */
  maxWorkerMemoryMb?: number;
  /** How far a file may expand while parsed (zip entries, PDF streams and pages, JSON depth). Default DEFAULT_PARSE_LIMITS. */
  limits?: ParseLimitsInput;
  /** Watchdog checks, ms. Default 100. */
  memoryCheckMs?: number;
  /**
   * A worker with nothing to do for this long is stopped (a new one starts
   * on demand, in about a fifth of a second), so the app does not keep a
   * thread and its ~30 MB after a sync. Default 30 000 ms.
   */
  idleMs?: number;
  /**
   * A worker that has finished this many jobs is replaced once it has
   * nothing queued: memory that native code keeps after a job (pdf.js and
   * Skia rendering pages, Tesseract's WebAssembly heap, which never shrinks)
   * goes with its thread. Default: never (Infinity).
   */
  recycleAfterJobs?: number;
  /** Largest document accepted; larger ones fail with `too_large`. Default 50 MB. */
  maxBytes?: number;
  /**
   * Markdown, plain text and code up to this size are parsed on the calling
   * thread: their "parsing" is a decode and a normalise, cheaper than the
   * round trip to a worker. Default 1 MB; 0 sends everything to workers.
   */
  inlineMaxBytes?: number;
  /**
   * Receives what the worker threads print (their libraries' diagnostics),
   * line by line, instead of the process's own stdout and stderr. Default:
   * Node's, printed with the process's.
   */
  onThreadOutput?: (line: string) => void;
  /** Starts one worker; tests inject a different entry. Default: the real parse worker. */
  startWorker?: (options: WorkerStartOptions) => Worker;
}

/** What the pool asks of a worker it starts: its heap limit, and whether its output is captured. */
export interface WorkerStartOptions {
  resourceLimits: { maxOldGenerationSizeMb: number };
  stdout?: boolean;
  stderr?: boolean;
}

/** The options with their defaults applied. */
export interface PoolSettings {
  size: number;
  timeoutMs: number;
  maxJobMs: number;
  maxMemoryMb: number;
  maxWorkerMemoryBytes: number;
  limits: ParseLimits;
  idleMs: number;
  recycleAfterJobs: number;
  maxBytes: number;
  inlineMaxBytes: number;
  onThreadOutput: ParserPoolOptions['onThreadOutput'];
  startWorker: NonNullable<ParserPoolOptions['startWorker']>;
}

export function poolSettings(options: ParserPoolOptions): PoolSettings {
  return {
    size: Math.max(1, options.size ?? Math.min(2, availableParallelism())),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxJobMs: options.maxJobMs ?? 600_000,
    maxMemoryMb: options.maxMemoryMb ?? 512,
    maxWorkerMemoryBytes: (options.maxWorkerMemoryMb ?? 768) * 1024 * 1024,
    limits: resolveLimits(options.limits),
    idleMs: options.idleMs ?? 30_000,
    recycleAfterJobs: options.recycleAfterJobs ?? Infinity,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    inlineMaxBytes: options.inlineMaxBytes ?? 1024 * 1024,
    onThreadOutput: options.onThreadOutput,
    startWorker: options.startWorker ?? startParseWorker,
  };
}
