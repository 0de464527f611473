import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import type { DocumentContent } from '../connectors/types';
import { checkContent, contentSize, DEFAULT_MAX_BYTES, isLightweight, parseContent } from './parse';
import { ParseFailure } from './parse-failure';
import type { ParseReply, ParseRequest } from './parse-protocol';
import type { ParsedDocument } from './types';
import { startParseWorker } from './worker-entry';

export interface ParserPoolOptions {
  /** Worker threads. Default `min(2, CPU count)`. Threads start on first use. */
  size?: number;
  /** Longest time one document may take inside a worker. Default 30 000 ms. */
  timeoutMs?: number;
  /** Heap limit per worker (V8 old generation), in MB. Default 512. */
  maxMemoryMb?: number;
  /** Largest document accepted; larger ones fail with `too_large`. Default 50 MB. */
  maxBytes?: number;
  /**
   * Markdown, plain text and code up to this size are parsed on the calling
   * thread: their "parsing" is a decode and a normalise, cheaper than the
   * round trip to a worker. Default 1 MB; 0 sends everything to workers.
   */
  inlineMaxBytes?: number;
  /** Starts one worker; tests inject a different entry. Default: the real parse worker. */
  startWorker?: (options: { resourceLimits: { maxOldGenerationSizeMb: number } }) => Worker;
}

interface Job {
  id: number;
  content: DocumentContent;
  resolve(document: ParsedDocument): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
  /** Set when the worker reported a fatal error before exiting (e.g. out of memory). */
  crash?: Error & { code?: string };
}

/**
 * Parses documents in worker threads with a time and memory limit per
 * document. A worker that times out, runs out of memory or crashes is
 * terminated and replaced; only its own job fails (`timeout`,
 * `out_of_memory`, `corrupt`), and queued jobs carry on.
 */
export class ParserPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxMemoryMb: number;
  private readonly maxBytes: number;
  private readonly inlineMaxBytes: number;
  private readonly startWorker: NonNullable<ParserPoolOptions['startWorker']>;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ParserPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 512;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.inlineMaxBytes = options.inlineMaxBytes ?? 1024 * 1024;
    this.startWorker = options.startWorker ?? startParseWorker;
  }

  /** Parses one document. Rejects with `ParseFailure`, or `AppError` CANCELLED when aborted or closed. */
  async parse(content: DocumentContent, signal?: AbortSignal): Promise<ParsedDocument> {
    if (this.closed) throw closedError();
    if (signal?.aborted) throw cancelledError();
    const detected = checkContent(content, { maxBytes: this.maxBytes });
    if (isLightweight(detected) && contentSize(content) <= this.inlineMaxBytes) {
      return parseContent(content, { maxBytes: this.maxBytes });
    }
    return new Promise<ParsedDocument>((resolve, reject) => {
      const job: Job = { id: this.nextId++, content, resolve, reject, signal };
      if (signal) {
        job.onAbort = () => this.abort(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Stops all workers; queued and running jobs reject with CANCELLED. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(closedError()));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      clearTimeout(slot.timer);
      if (slot.job) this.settle(slot.job, (job) => job.reject(closedError()));
      slot.job = undefined;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** Hands queued jobs to idle workers, starting workers up to `size`. */
  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      const idle = this.slots.find((slot) => slot.ready && !slot.job);
      if (idle) {
        this.assign(idle, this.queue.shift() as Job);
        continue;
      }
      const starting = this.slots.filter((slot) => !slot.ready).length;
      if (this.slots.length < this.size && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private spawn(): void {
    const worker = this.startWorker({ resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb } });
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.unref();
    worker.on('message', (reply: ParseReply) => this.onReply(slot, reply));
    worker.on('error', (error: Error) => {
      slot.crash = error;
    });
    worker.on('exit', (exitCode) => this.onExit(slot, exitCode));
  }

  private assign(slot: Slot, job: Job): void {
    slot.job = job;
    // A busy worker keeps the process alive; an idle one must not.
    slot.worker.ref();
    slot.timer = setTimeout(() => this.onTimeout(slot), this.timeoutMs);
    const request: ParseRequest = { id: job.id, content: job.content, maxBytes: this.maxBytes };
    slot.worker.postMessage(request);
  }

  private onReply(slot: Slot, reply: ParseReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    this.release(slot);
    if (reply.type === 'parsed') this.settle(job, (j) => j.resolve(reply.document));
    else this.settle(job, (j) => j.reject(new ParseFailure(reply.reason, reply.message)));
    this.pump();
  }

  private onTimeout(slot: Slot): void {
    const job = slot.job;
    this.retire(slot);
    if (job) {
      const limit = this.timeoutMs < 1000 ? `${this.timeoutMs} ms` : `${Math.round(this.timeoutMs / 1000)} s`;
      this.settle(job, (j) =>
        j.reject(
          new ParseFailure(
            'timeout',
            `Reading this file took longer than ${limit}, so Trove stopped; it may be very large or malformed.`,
          ),
        ),
      );
    }
    this.pump();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((candidate) => candidate.job === job);
    // A parser cannot be interrupted mid-call: replace its worker.
    if (slot) this.retire(slot);
    this.settle(job, (j) => j.reject(cancelledError()));
    this.pump();
  }

  private onExit(slot: Slot, exitCode: number): void {
    const known = this.slots.indexOf(slot);
    if (known < 0) return; // retired on purpose: already handled
    this.slots.splice(known, 1);
    clearTimeout(slot.timer);
    const job = slot.job;
    if (job) {
      this.settle(job, (j) => j.reject(crashFailure(slot.crash, exitCode)));
    } else if (!slot.ready && !this.closed) {
      // The worker died before it could take work: retrying would loop, so
      // fail what is waiting with the reason.
      const error = new AppError(
        'INTERNAL',
        `The document parser could not start: ${slot.crash?.message ?? `exit code ${exitCode}`}`,
        {
          cause: slot.crash,
        },
      );
      for (const waiting of this.queue.splice(0)) this.settle(waiting, (j) => j.reject(error));
    }
    this.pump();
  }

  /** Takes a worker out of the pool and terminates it; a replacement starts on demand. */
  private retire(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    clearTimeout(slot.timer);
    slot.job = undefined;
    void slot.worker.terminate();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.worker.unref();
  }

  private settle(job: Job, action: (job: Job) => void): void {
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    action(job);
  }
}

function crashFailure(crash: (Error & { code?: string }) | undefined, exitCode: number): ParseFailure {
  if (crash?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ParseFailure(
      'out_of_memory',
      'Reading this file needed more memory than the parser is allowed, so Trove stopped; it may be very large.',
      { cause: crash },
    );
  }
  return new ParseFailure(
    'corrupt',
    `The parser stopped unexpectedly while reading this file (${crash?.message ?? `exit code ${exitCode}`}).`,
    { cause: crash },
  );
}

function cancelledError(): AppError {
  return new AppError('CANCELLED', 'Parsing was cancelled.');
}

function closedError(): AppError {
  return new AppError('CANCELLED', 'Parsing stopped because the parser pool was closed.');
}
