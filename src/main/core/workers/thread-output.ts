import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { Logger } from '../logger';

/**
 * Worker options that keep what a thread prints away from the process's own
 * stdout and stderr: each arrives as the worker's `stdout` and `stderr`
 * streams instead, for `forwardThreadOutput` to read.
 *
 * Why: libraries running in parser threads print diagnostics meant for their
 * developers, Tesseract's WebAssembly above all ("Image too small to
 * scale!!", "Line cannot be recognized!!" for a 2-pixel-wide icon). Left
 * alone they reach the terminal in the middle of a command's progress bar.
 */
export const CAPTURED_THREAD_OUTPUT = { stdout: true, stderr: true } as const satisfies WorkerOptions;

/** Longest line passed on, in characters; a library printing a whole buffer without newlines is cut here. */
export const MAX_THREAD_LINE_CHARS = 1000;

/**
 * Reads the output of a worker started with CAPTURED_THREAD_OUTPUT and hands
 * it on line by line, blank lines left out. Both streams must be read, or
 * what the thread prints piles up in memory. (A worker started without those
 * options pipes its output to the process's own as well: call this only for
 * one started with them.)
 */
export function forwardThreadOutput(worker: Worker, onLine: (line: string) => void): void {
  for (const stream of [worker.stdout, worker.stderr]) {
    const lines = new LineSplitter(onLine);
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => lines.push(text));
    stream.on('end', () => lines.end());
  }
}

/**
 * Where the app sends captured thread output: its log, at debug level. The
 * lines are for a library's developers, not for the person (a command's
 * `--verbose` shows them).
 */
export function logThreadOutput(logger: Logger): (line: string) => void {
  return (line) => logger.debug('a worker thread printed', { line });
}

/** Cuts text arriving in pieces into lines, no line longer than MAX_THREAD_LINE_CHARS. */
class LineSplitter {
  private pending = '';
  /** The current line was already passed on cut short: drop the rest of it. */
  private skipping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.add(text.slice(start, end));
      this.finishLine();
      start = end + 1;
    }
    this.add(text.slice(start));
  }

  end(): void {
    this.finishLine();
  }

  private add(piece: string): void {
    if (this.skipping) return;
    this.pending += piece;
    if (this.pending.length < MAX_THREAD_LINE_CHARS) return;
    this.emit(`${this.pending.slice(0, MAX_THREAD_LINE_CHARS)}…`);
    this.pending = '';
    this.skipping = true;
  }

  private finishLine(): void {
    if (!this.skipping) this.emit(this.pending);
    this.pending = '';
    this.skipping = false;
  }

  private emit(line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed) this.onLine(trimmed);
  }
}
