import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import {
  classifyAndChunk,
  failureStatus,
  ParseFailure,
  ParserPool,
  type ChunkJob,
  type ParserPoolOptions,
} from '../../src/main/core/ingest';
import { startParseWorker } from '../../src/main/core/ingest/worker-entry';
import { spawnWorker } from '../../src/main/core/workers/spawn-worker';
import { makeCorruptPdf, makePdf, makeScannedPdf } from '../fixtures/documents';

const html = (body: string): DocumentContent => ({
  kind: 'text',
  text: `<html><body>${body}</body></html>`,
  mimeType: 'text/html',
});
/** About 1.6 MB of HTML: turndown needs seconds for it. */
const slowHtml = (): DocumentContent =>
  html(
    Array.from(
      { length: 20_000 },
      (_, i) => `<div><p>Row <b>${i}</b> <a href="/r${i}">link</a></p><ul><li>a</li></ul></div>`,
    ).join(''),
  );
/** About 15 MB of JSON: parsed and pretty-printed it needs far more than 48 MB of heap. */
const hugeJson = (): DocumentContent => ({
  kind: 'text',
  text: JSON.stringify(Array.from({ length: 300_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] }))),
  mimeType: 'application/json',
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('ParserPool', () => {
  const pools: ParserPool[] = [];
  const pool = (options: ParserPoolOptions = {}): ParserPool => {
    const created = new ParserPool(options);
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it('parses a PDF in a worker thread and keeps its page numbers', async () => {
    let started = 0;
    const parser = pool({ startWorker: (options) => (started++, startParseWorker(options)) });
    const bytes = await makePdf(['First page text.', 'Second page text.']);
    const parsed = await parser.parse({ kind: 'bytes', bytes, mimeType: 'application/pdf', fileName: 'a.pdf' });
    expect(parsed.pages).toEqual([
      { page: 1, start: 0 },
      { page: 2, start: 18 },
    ]);
    expect(parsed.text).toBe('First page text.\n\nSecond page text.');

    // Failures cross the thread boundary as ParseFailure with reason and message intact.
    const corrupt = await rejection(
      parser.parse({ kind: 'bytes', bytes: await makeCorruptPdf(), mimeType: 'application/pdf', fileName: 'b.pdf' }),
    );
    expect(corrupt).toBeInstanceOf(ParseFailure);
    expect(corrupt).toMatchObject({
      reason: 'corrupt',
      message: expect.stringMatching(/^This PDF ends early, as an interrupted download or copy does/),
    });
    const scanned = await parser.parse({
      kind: 'bytes',
      bytes: await makeScannedPdf(),
      mimeType: 'application/pdf',
      fileName: 'c.pdf',
    });
    expect(scanned.ocr).toMatchObject({ source: 'pdf', pages: [1, 2] });
    expect(started).toBe(1);
  });

  it('replaces a worker after `recycleAfterJobs` jobs, and only when it has nothing queued', async () => {
    let started = 0;
    const parser = pool({
      size: 1,
      recycleAfterJobs: 2,
      startWorker: (options) => (started++, startParseWorker(options)),
    });
    for (let i = 0; i < 3; i++) await parser.parse(html(`<p>Document ${i}</p>`));
    expect(started).toBe(2);
    // Four at once: handed to the one worker together, so it finishes them all before it goes...
    await Promise.all([0, 1, 2, 3].map((i) => parser.parse(html(`<p>Batch ${i}</p>`))));
    expect(started).toBe(2);
    // ...and the next job starts its replacement.
    await parser.parse(html('<p>After the batch</p>'));
    expect(started).toBe(3);
  });

  it('parses Markdown and plain text inline, without starting a worker', async () => {
    let started = 0;
    const parser = pool({ startWorker: (options) => (started++, startParseWorker(options)) });
    const parsed = await parser.parse({ kind: 'text', text: '# Garden notes\n\nBody', mimeType: 'text/markdown' });
    expect(parsed).toEqual({
      text: '# Garden notes\n\nBody',
      format: 'markdown',
      title: 'Garden notes',
      reader: 'markdown',
    });
    await parser.parse({ kind: 'bytes', bytes: new TextEncoder().encode('notes'), mimeType: '', fileName: 'a.txt' });
    expect(started).toBe(0);
  });

  it('fails a job that runs past the time limit, replaces the worker, and goes on', async () => {
    const parser = pool({ size: 1, timeoutMs: 500 });
    const failure = await rejection(parser.parse(slowHtml()));
    expect(failure).toBeInstanceOf(ParseFailure);
    expect((failure as ParseFailure).reason).toBe('timeout');
    expect(failureStatus((failure as ParseFailure).reason)).toBe('error');
    expect((failure as ParseFailure).message).toMatch(/took longer than 500 ms/);

    const next = await parser.parse(html('<h1>Still here</h1>'));
    expect(next.text).toBe('# Still here');
  });

  it('fails a job that exhausts the memory limit with out_of_memory, and goes on', async () => {
    const parser = pool({ size: 1, maxMemoryMb: 48, timeoutMs: 60_000 });
    const failed = rejection(parser.parse(hugeJson()));
    const queuedBehind = parser.parse(html('<p>queued behind the huge file</p>'));
    const failure = await failed;
    expect((failure as ParseFailure).reason).toBe('out_of_memory');
    expect(failureStatus('out_of_memory')).toBe('error');
    expect((await queuedBehind).text).toBe('queued behind the huge file');
    expect((await parser.parse(html('<p>after</p>'))).text).toBe('after');
  });

  it('fails only the job whose worker crashed; queued jobs run on a replacement', async () => {
    let started = 0;
    const parser = pool({
      size: 1,
      inlineMaxBytes: 0,
      startWorker: (options) => (started++, spawnWorker('helpers/crash.worker', import.meta.url, options)),
    });
    const text = (value: string): DocumentContent => ({ kind: 'text', text: value, mimeType: 'text/plain' });
    const [crashed, survivor] = await Promise.allSettled([parser.parse(text('CRASH now')), parser.parse(text('fine'))]);
    expect(crashed.status).toBe('rejected');
    const failure = (crashed as PromiseRejectedResult).reason as ParseFailure;
    expect(failure.reason).toBe('corrupt');
    expect(failure.message).toBe('The parser stopped unexpectedly while reading this file (exit code 7).');
    expect(survivor).toEqual({ status: 'fulfilled', value: { text: 'FINE', format: 'plain' } });
    expect(started).toBe(2);
  });

  it('runs a job again alone on a new worker when its worker ran out of heap, and fails it only if it does there', async () => {
    let started = 0;
    const parser = pool({
      size: 2,
      inlineMaxBytes: 0,
      maxMemoryMb: 32,
      startWorker: (options) => (started++, spawnWorker('helpers/crash.worker', import.meta.url, options)),
    });
    const parse = (value: string): Promise<string> =>
      parser.parse({ kind: 'text', text: value, mimeType: 'text/plain' }).then((d) => d.text);
    // Both workers used. An idle worker takes a job first, but one that starts slowly (a loaded machine)
    // may still be starting while the other answers them all: ask until both have answered.
    const answered = new Set<string>();
    for (let round = 0; round < 50 && answered.size < 2; round++) {
      for (const who of await Promise.all(Array.from({ length: 5 }, () => parse('WHO')))) answered.add(who);
    }
    expect(answered.size).toBe(2);
    expect(started).toBe(2);
    // Out of heap on a used worker; again on the other used one would fail it: it gets a new one.
    expect(await parse('HEAVY UNLESS ALONE')).toBe('HEAVY UNLESS ALONE');
    expect(started).toBe(3);
    const failure = (await parse('HEAVY ALWAYS').catch((error: unknown) => error)) as ParseFailure;
    expect([failure.reason, failure.message]).toEqual([
      'out_of_memory',
      'Reading this file needed more memory than the parser is allowed, so Trove stopped; it may be very large.',
    ]);
    // It ran twice: on the worker it was given, then on one of its own.
    expect(started).toBe(4);
    expect(await parse('after')).toBe('AFTER');
  });

  it('cancels a running job when its signal aborts, and stays usable', async () => {
    const parser = pool({ size: 1 });
    const controller = new AbortController();
    const running = parser.parse(slowHtml(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(running);
    expect(AppError.is(error, 'CANCELLED')).toBe(true);
    expect((await parser.parse(html('<p>ok</p>'))).text).toBe('ok');
  });

  it('chunks documents in its workers exactly as on the calling thread', async () => {
    const parser = pool({ size: 1, timeoutMs: 10_000 });
    const jobs: ChunkJob[] = [
      {
        parsed: {
          text: '# Setup\n\nInstall the tool.\n\n## Run\n\n```sh\nnpm start\n```\n\n' + 'Words here. '.repeat(400),
          format: 'markdown',
        },
        hints: { fileName: 'guide/setup.md' },
      },
      { parsed: { text: 'a,b\n1,2\n', format: 'table' }, hints: { fileName: 'data.csv', mimeType: 'text/csv' } },
    ];
    // More jobs than one worker takes at a time, so some wait inside it, with
    // PDF parses (asynchronous inside the worker) in between: each answer must
    // still reach its own caller.
    const pdf = async (pages: string[]) => ({
      kind: 'bytes' as const,
      bytes: await makePdf(pages),
      mimeType: 'application/pdf',
      fileName: 'a.pdf',
    });
    const many = Array.from({ length: 10 }, (_, i) => jobs[i % 2]!);
    // A long PDF first: run side by side, the short ones behind it would finish before it.
    const long = Array.from({ length: 150 }, (_, i) => `page ${i}`);
    const pdfs = await Promise.all([long, ['another page'], ['third page']].map(pdf));
    const [results, parsed] = await Promise.all([
      Promise.all(many.map((job) => parser.chunk(job))),
      Promise.all(pdfs.map((content) => parser.parse(content))),
    ]);
    results.forEach((result, i) => expect(result).toEqual(classifyAndChunk(many[i]!)));
    expect(results[0]!.chunks.length).toBeGreaterThan(2);
    expect(parsed.map((p) => p.text)).toEqual([long.join('\n\n'), 'another page', 'third page']);
  });

  it('drops a job cancelled while it waits inside a worker, and answers the others correctly', async () => {
    const parser = pool({ size: 1 });
    const job = (word: string): ChunkJob => ({
      parsed: { text: `# ${word}\n\n${`${word} text. `.repeat(200)}`, format: 'markdown' },
      hints: { fileName: `${word}.md` },
    });
    await parser.chunk(job('warm')); // the worker is up, so the next jobs go to it together
    const controller = new AbortController();
    const first = parser.chunk(job('first'));
    const cancelled = rejection(parser.chunk(job('second'), controller.signal));
    const third = parser.chunk(job('third'));
    controller.abort();
    expect(AppError.is(await cancelled, 'CANCELLED')).toBe(true);
    expect((await first).chunks[0]!.headingPath).toEqual(['first']);
    expect((await third).chunks[0]!.headingPath).toEqual(['third']);
  });

  it('runs the jobs waiting behind one that timed out on the replacement worker', async () => {
    const parser = pool({ size: 1, timeoutMs: 500 });
    const slow = rejection(parser.parse(slowHtml()));
    const behind = parser.chunk({ parsed: { text: 'Plain words.', format: 'plain' }, hints: {} });
    expect(((await slow) as ParseFailure).reason).toBe('timeout');
    expect((await behind).chunks.map((c) => c.text)).toEqual(['Plain words.']);
  });

  it('stops a worker that has been idle for idleMs, and starts one again on demand', async () => {
    let started = 0;
    const parser = pool({ size: 1, idleMs: 150, startWorker: (options) => (started++, startParseWorker(options)) });
    expect((await parser.parse(html('<p>one</p>'))).text).toBe('one');
    expect((await parser.parse(html('<p>two</p>'))).text).toBe('two');
    expect(started).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await parser.parse(html('<p>three</p>'))).text).toBe('three');
    expect(started).toBe(2);
  });

  it('rejects queued work when closed', async () => {
    const parser = pool({ size: 1 });
    const pending = rejection(parser.parse(html('<p>never</p>')));
    await parser.close();
    expect(AppError.is(await pending, 'CANCELLED')).toBe(true);
    expect(AppError.is(await rejection(parser.parse(html('<p>x</p>'))), 'CANCELLED')).toBe(true);
  });

  it('holds its process until the workers stop when closed just as a worker gets ready', () => {
    // The worker's 'ready', read after close(), unref'd it while close() awaited its end: a process with
    // nothing else to do quit in the middle of that await (exit code 13), two runs in three.
    for (let run = 0; run < 3; run++) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/ingest/fixtures/close-while-starting.ts'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.status, child.stderr).toBe(0);
      expect(child.stdout).toBe('closed; the job: Parsing stopped because the parser pool was closed.\n');
    }
  });
});
