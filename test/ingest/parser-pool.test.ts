import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import type { DocumentContent } from '../../src/main/core/connectors/types';
import { failureStatus, ParseFailure, ParserPool, type ParserPoolOptions } from '../../src/main/core/ingest';
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
      message: 'The file could not be read as a PDF: Invalid PDF structure.',
    });
    const scanned = await rejection(
      parser.parse({ kind: 'bytes', bytes: await makeScannedPdf(), mimeType: 'application/pdf', fileName: 'c.pdf' }),
    );
    expect(scanned).toMatchObject({ reason: 'no_text_layer' });
    expect(started).toBe(1);
  });

  it('parses Markdown and plain text inline, without starting a worker', async () => {
    let started = 0;
    const parser = pool({ startWorker: (options) => (started++, startParseWorker(options)) });
    const parsed = await parser.parse({ kind: 'text', text: '# Title\n\nBody', mimeType: 'text/markdown' });
    expect(parsed).toEqual({ text: '# Title\n\nBody', format: 'markdown', title: 'Title' });
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

  it('cancels a running job when its signal aborts, and stays usable', async () => {
    const parser = pool({ size: 1 });
    const controller = new AbortController();
    const running = parser.parse(slowHtml(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(running);
    expect(AppError.is(error, 'CANCELLED')).toBe(true);
    expect((await parser.parse(html('<p>ok</p>'))).text).toBe('ok');
  });

  it('rejects queued work when closed', async () => {
    const parser = pool({ size: 1 });
    const pending = rejection(parser.parse(html('<p>never</p>')));
    await parser.close();
    expect(AppError.is(await pending, 'CANCELLED')).toBe(true);
    expect(AppError.is(await rejection(parser.parse(html('<p>x</p>'))), 'CANCELLED')).toBe(true);
  });
});
