import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import type { DocumentContent } from '../connectors/types';
import type { ChunkedDocument, ChunkJob } from './chunk-job';
import { MemoryWatchdog, type MemoryVerdict } from '../workers/memory-watchdog';
import { CAPTURED_THREAD_OUTPUT, forwardThreadOutput } from '../workers/thread-output';
import { checkContent, contentSize, isLightweight, parseContent } from './parse';
import { ParseFailure } from './parse-failure';
import type { PoolReply, PoolRequest } from './parse-protocol';
import { poolSettings, type ParserPoolOptions, type PoolSettings } from './parser-pool-options';
import {
  cancelledError,
  closedError,
  crashFailure,
  memoryFailure,
  timeoutFailure,
  unexpectedReply,
} from './pool-failures';
import type { OcrPageRequest, OcrPageResult } from './ocr/ocr-types';
import type { ParsedDocument } from './types';

/** A request without its id, as callers hand it to the pool. */
type Work = PoolRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Job {
  id: number;
  work: Work;
  resolve(reply: PoolReply): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** When it started running (first in its worker), for `maxJobMs`. */
  startedAt?: number;
  /** It reported progress, so its timer measures stalls rather than its whole run. */
  progressed?: boolean;
  /**
   * Runs with no other job in any worker: set after the memory watchdog
   * stopped it on an estimate made while other workers were busy, so a
   * second run tells whose memory it was.
   */
  solo?: boolean;
  /** Runs on a worker that has run nothing before: set after its worker ran out of V8 heap (see onExit). */
  fresh?: boolean;
}

/**
 * Jobs handed to one worker at a time. More than one: a worker that finishes
 * a job would otherwise idle until the main thread gets round to its reply
 * and sends the next, and while a large ingest keeps the main thread busy
 * that wait is longer than chunking a document. The worker takes them in
 * order; the time limit applies to the one it is working on.
 */
const JOBS_PER_WORKER = 4;

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Sent to this worker and not yet answered, in the order it runs them; the first is running. */
  jobs: Job[];
  /** The time limit of the first job; while there is none, the idle deadline. */
  timer?: ReturnType<typeof setTimeout>;
  /** Set when the worker reported a fatal error before exiting (e.g. out of memory). */
  crash?: Error & { code?: string };
  /** Jobs it has answered (for `recycleAfterJobs`). */
  done: number;
}

/**
 * Parses documents in worker threads with a time and memory limit per
 * document. A worker that times out, runs out of memory (its V8 heap, or
 * heap and buffers together as measured by the memory watchdog) or crashes
 * is terminated and replaced; only its own job fails (`timeout`,
 * `out_of_memory`, `corrupt`), and queued jobs carry on.
 *
 * The same threads chunk documents for process_imported_doc (`chunk`):
 * classifying and chunking 10,000 Markdown files is ~2 s of CPU that would
 * otherwise sit on the main thread, which also runs the queue and every
 * database write.
 */
export class ParserPool {
  private readonly settings: PoolSettings;
  private readonly watchdog: MemoryWatchdog<Slot>;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ParserPoolOptions = {}) {
    this.settings = poolSettings(options);
    this.watchdog = new MemoryWatchdog<Slot>({
      limitBytes: this.settings.maxWorkerMemoryBytes,
      intervalMs: options.memoryCheckMs,
      onOverLimit: (slot, verdict) => this.onMemoryLimit(slot, verdict),
    });
  }

  /** Parses one document. Rejects with `ParseFailure`, or `AppError` CANCELLED when aborted or closed. */
  async parse(content: DocumentContent, signal?: AbortSignal): Promise<ParsedDocument> {
    if (this.closed) throw closedError();
    if (signal?.aborted) throw cancelledError();
    const detected = checkContent(content, { maxBytes: this.settings.maxBytes });
    if (isLightweight(detected) && contentSize(content) <= this.settings.inlineMaxBytes) {
      return parseContent(content, { maxBytes: this.settings.maxBytes, limits: this.settings.limits });
    }
    const work = { type: 'parse', content, maxBytes: this.settings.maxBytes, limits: this.settings.limits } as const;
    return (await this.ask(work, 'parsed', signal)).document;
  }

  /**
   * Classifies and chunks one parsed document in a worker (see the class
   * comment). Rejects with `ParseFailure` (`timeout`, `out_of_memory`, or
   * `corrupt` for a chunker error), or `AppError` CANCELLED.
   */
  async chunk(job: ChunkJob, signal?: AbortSignal): Promise<ChunkedDocument> {
    return (await this.ask({ type: 'chunk', job }, 'chunked', signal)).result;
  }

  /** A stored text's sketch (document-sketch.ts), made in a worker: a long text takes a while. */
  async sketch(text: string, signal?: AbortSignal): Promise<Uint32Array> {
    return (await this.ask({ type: 'sketch', text }, 'sketched', signal)).sketch;
  }

  /**
   * Reads one page with OCR in a worker (see ocr/recognize-page.ts). Rejects
   * with `ParseFailure` (`corrupt`, `timeout`, `out_of_memory`) or `AppError`
   * CANCELLED. The app runs these in a pool of its own, at low priority.
   */
  async ocrPage(page: OcrPageRequest, signal?: AbortSignal): Promise<OcrPageResult> {
    return (await this.ask({ type: 'ocr', page }, 'recognized', signal)).result;
  }

  /** Runs work in a worker and returns its reply of the expected type (anything else is a bug: thrown). */
  private async ask<T extends PoolReply['type']>(
    work: Work,
    expected: T,
    signal?: AbortSignal,
  ): Promise<Extract<PoolReply, { type: T }>> {
    if (this.closed) throw closedError();
    if (signal?.aborted) throw cancelledError();
    const reply = await this.run(work, signal);
    if (reply.type !== expected) throw unexpectedReply(reply);
    return reply as Extract<PoolReply, { type: T }>;
  }

  /** Queues work for the next idle worker; resolves with its reply, rejects with its failure. */
  private run(work: Work, signal?: AbortSignal): Promise<PoolReply> {
    return new Promise<PoolReply>((resolve, reject) => {
      const job: Job = { id: this.nextId++, work, resolve, reject, signal };
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
    this.watchdog.stop();
    for (const job of this.queue.splice(0)) this.settle(job, () => job.reject(closedError()));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      clearTimeout(slot.timer);
      for (const job of slot.jobs.splice(0)) this.settle(job, (j) => j.reject(closedError()));
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /**
   * Hands queued jobs to workers: an idle one first, else a new one (up to
   * `size`), else the least busy one with room (JOBS_PER_WORKER). A solo
   * job waits until every worker is free and then runs alone.
   */
  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      if (this.slots.some((slot) => slot.jobs[0]?.solo)) return;
      if (this.queue[0]!.solo && this.slots.some((slot) => slot.jobs.length > 0)) return;
      // What earlier jobs left in a worker (modules' caches) counts against its heap too.
      if (this.queue[0]!.fresh) for (const used of this.slots.filter((slot) => slot.done > 0)) this.retire(used);
      const ready = this.slots.filter((slot) => slot.ready);
      const idle = ready.find((slot) => slot.jobs.length === 0);
      if (idle) {
        this.assign(idle, this.queue.shift() as Job);
        continue;
      }
      const starting = this.slots.length - ready.length;
      if (this.slots.length < this.settings.size && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      const leastBusy = ready.reduce<Slot | undefined>(
        (a, b) => (a && a.jobs.length <= b.jobs.length ? a : b),
        undefined,
      );
      if (leastBusy && leastBusy.jobs.length < JOBS_PER_WORKER) {
        this.assign(leastBusy, this.queue.shift() as Job);
        continue;
      }
      return;
    }
  }

  private spawn(): void {
    const { onThreadOutput } = this.settings;
    const worker = this.settings.startWorker({
      resourceLimits: { maxOldGenerationSizeMb: this.settings.maxMemoryMb },
      ...(onThreadOutput && CAPTURED_THREAD_OUTPUT),
    });
    if (onThreadOutput) forwardThreadOutput(worker, onThreadOutput);
    const slot: Slot = { worker, ready: false, jobs: [], done: 0 };
    // Started because jobs are waiting: it keeps the process alive until it
    // has taken them (a new worker is referenced), and is unref'd once idle.
    this.slots.push(slot);
    worker.on('message', (reply: PoolReply) => this.onReply(slot, reply));
    worker.on('error', (error: Error) => {
      slot.crash = error;
    });
    worker.on('exit', (exitCode) => this.onExit(slot, exitCode));
  }

  private assign(slot: Slot, job: Job): void {
    slot.jobs.push(job);
    // A busy worker keeps the process alive; an idle one must not.
    slot.worker.ref();
    if (slot.jobs.length === 1) this.startRunning(slot);
    const request: PoolRequest = { ...job.work, id: job.id };
    slot.worker.postMessage(request);
  }

  /** The slot's first job is now the running one: time it and watch the worker's memory. */
  private startRunning(slot: Slot): void {
    const job = slot.jobs[0]!;
    job.startedAt = performance.now();
    job.progressed = false;
    this.startTimer(slot);
    this.watchdog.watch(slot);
  }

  /**
   * The running job's timer: `timeoutMs` from now, but never past its
   * `maxJobMs` deadline. Which of the two it stands for is decided here, not
   * when it fires (a timer can fire a fraction of a millisecond early).
   */
  private startTimer(slot: Slot): void {
    clearTimeout(slot.timer);
    const job = slot.jobs[0]!;
    const { timeoutMs, maxJobMs } = this.settings;
    const left = maxJobMs - (performance.now() - (job.startedAt ?? 0));
    const failure =
      left <= timeoutMs
        ? () => timeoutFailure(activity(job), maxJobMs, 'total')
        : () => timeoutFailure(activity(job), timeoutMs, job.progressed ? 'stalled' : 'total');
    slot.timer = setTimeout(() => this.onTimeout(slot, failure()), Math.max(0, Math.min(timeoutMs, left)));
  }

  private onReply(slot: Slot, reply: PoolReply): void {
    // A worker closed or retired may still deliver what it posted before
    // it stopped. Handled, a late 'ready' unref'd the worker while close()
    // awaited its terminate(), and a process with nothing else to do quit
    // in the middle of that await (exit code 13).
    if (!this.slots.includes(slot)) return;
    if (reply.type === 'ready') {
      slot.ready = true;
      this.pump();
      if (slot.jobs.length === 0) {
        slot.worker.unref();
        this.startIdleTimer(slot);
      }
      return;
    }
    if (reply.type === 'memory') {
      this.watchdog.report(slot, reply.bytes);
      return;
    }
    if (reply.type === 'progress') {
      this.watchdog.report(slot, reply.bytes);
      const running = slot.jobs[0];
      if (running?.id === reply.id) {
        running.progressed = true;
        this.startTimer(slot);
      }
      return;
    }
    // Not the first job: the answer to one cancelled while it waited in the worker.
    const job = slot.jobs[0];
    if (!job || job.id !== reply.id) return;
    this.next(slot);
    if (reply.type === 'failed') this.settle(job, (j) => j.reject(new ParseFailure(reply.reason, reply.message)));
    else this.settle(job, (j) => j.resolve(reply));
    this.pump();
  }

  private onTimeout(slot: Slot, failure: ParseFailure): void {
    const job = this.retire(slot);
    if (job) this.settle(job, (j) => j.reject(failure));
    this.pump();
  }

  /**
   * The watchdog found the worker over its memory limit: terminate it. Its
   * job fails with `out_of_memory`, unless the figure was an estimate made
   * while other workers were busy: then the job runs again alone, and fails
   * only if it crosses the limit by itself.
   */
  private onMemoryLimit(slot: Slot, verdict: MemoryVerdict): void {
    const job = this.retire(slot);
    if (job && verdict.ambiguous && !job.solo) {
      job.solo = true;
      this.queue.unshift(job);
    } else if (job) {
      this.settle(job, (j) => j.reject(memoryFailure(activity(j), this.settings.maxWorkerMemoryBytes)));
    }
    this.pump();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((candidate) => candidate.jobs.includes(job));
    if (slot?.jobs[0] === job) {
      // A parser cannot be interrupted mid-call: replace its worker.
      this.retire(slot);
    } else if (slot) {
      // Still waiting in the worker: its answer will be ignored.
      slot.jobs.splice(slot.jobs.indexOf(job), 1);
    }
    this.settle(job, (j) => j.reject(cancelledError()));
    this.pump();
  }

  private onExit(slot: Slot, exitCode: number): void {
    const known = this.slots.indexOf(slot);
    if (known < 0) return; // retired on purpose: already handled
    this.slots.splice(known, 1);
    clearTimeout(slot.timer);
    this.watchdog.unwatch(slot);
    const job = slot.jobs.shift();
    // The jobs behind it never started: they go back to the front of the queue.
    this.queue.unshift(...slot.jobs.splice(0));
    if (job && slot.crash?.code === 'ERR_WORKER_OUT_OF_MEMORY' && !job.fresh) {
      // Out of heap beside what the worker also held (the texts of jobs queued in it, what earlier jobs
      // left): no proof the file needs more by itself. It runs again alone on a new worker, and fails
      // only if it runs out there too.
      job.solo = true;
      job.fresh = true;
      this.queue.unshift(job);
    } else if (job) {
      this.settle(job, (j) => j.reject(crashFailure(activity(j), slot.crash, exitCode)));
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

  /**
   * Takes a worker out of the pool and terminates it; a replacement starts on
   * demand. Returns the job it was running; the jobs behind it never started
   * and go back to the front of the queue.
   */
  private retire(slot: Slot): Job | undefined {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    clearTimeout(slot.timer);
    this.watchdog.unwatch(slot);
    const running = slot.jobs.shift();
    this.queue.unshift(...slot.jobs.splice(0));
    void slot.worker.terminate();
    return running;
  }

  /** The first job was answered: time the next one, or let an idle worker go. */
  private next(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.jobs.shift();
    slot.done++;
    if (slot.jobs.length > 0) {
      this.startRunning(slot);
    } else if (slot.done >= this.settings.recycleAfterJobs) {
      // Replaced on demand by a fresh thread (see `recycleAfterJobs`).
      this.retire(slot);
    } else {
      this.watchdog.unwatch(slot);
      slot.worker.unref();
      this.startIdleTimer(slot);
    }
  }

  /** Stops the worker if it is still without work after `idleMs`; never keeps the process alive. */
  private startIdleTimer(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (slot.jobs.length === 0) this.retire(slot);
    }, this.settings.idleMs);
    slot.timer.unref();
  }

  private settle(job: Job, action: (job: Job) => void): void {
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    action(job);
  }
}

/** What a job was doing, as the start of a sentence for its failure message. */
function activity(job: Job): string {
  switch (job.work.type) {
    case 'chunk':
      return 'Splitting this document into chunks';
    case 'sketch':
      return 'Sketching this document';
    case 'ocr':
      return `Reading page ${job.work.page.page} with OCR`;
    case 'parse':
      return 'Reading this file';
  }
}
