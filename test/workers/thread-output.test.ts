import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CAPTURED_THREAD_OUTPUT,
  forwardThreadOutput,
  MAX_THREAD_LINE_CHARS,
} from '../../src/main/core/workers/thread-output';

/** Runs `code` in a real worker thread started as the parser pool starts one, and collects what it printed. */
async function printedBy(code: string): Promise<string[]> {
  const lines: string[] = [];
  const worker = new Worker(code, { eval: true, ...CAPTURED_THREAD_OUTPUT });
  forwardThreadOutput(worker, (line) => lines.push(line));
  await new Promise((resolve) => worker.once('exit', resolve));
  // The streams end after 'exit'; let them deliver what is left.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return lines;
}

describe('forwardThreadOutput', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands on what a thread prints, line by line, and none of it reaches the process', async () => {
    const written = vi.spyOn(process.stderr, 'write');
    const printed = vi.spyOn(process.stdout, 'write');
    const lines = await printedBy(`
      console.error('Image too small to scale!! (2x36 vs min width of 3)');
      console.log('Line cannot be recognized!!');
      process.stderr.write('Warning: TT: undefined ');
      process.stderr.write('function: 21\\n\\n   \\nlast line without an end');
    `);
    expect(lines.sort()).toEqual(
      [
        'Image too small to scale!! (2x36 vs min width of 3)',
        'Line cannot be recognized!!',
        'Warning: TT: undefined function: 21',
        'last line without an end',
      ].sort(),
    );
    const reachedProcess = [...written.mock.calls, ...printed.mock.calls].map((call) => String(call[0]));
    expect(reachedProcess.join('')).not.toMatch(/too small|cannot be recognized|undefined function|without an end/);
  });

  it('cuts a line with no end in sight, and goes on with the next', async () => {
    const lines = await printedBy(`
      process.stderr.write('x'.repeat(3 * ${MAX_THREAD_LINE_CHARS}));
      process.stderr.write('y'.repeat(${MAX_THREAD_LINE_CHARS}) + '\\nnext line\\n');
    `);
    expect(lines).toEqual([`${'x'.repeat(MAX_THREAD_LINE_CHARS)}…`, 'next line']);
  });
});
