import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { DEFAULT_PARSE_LIMITS } from '../../src/main/core/ingest/limits';
import { checkOcrLanguages, languageDataDir, packagedOcrLanguages } from '../../src/main/core/ingest/ocr/languages';
import { recognizePage } from '../../src/main/core/ingest/ocr/recognize-page';
import { PROSE, renderPage } from '../fixtures/ocr-pages';

/**
 * OCR works offline, from the language data installed with the app: every
 * way this process could reach the network (fetch, sockets, DNS) is
 * recorded while a page is read for the first time (the moment tesseract.js
 * would download its data), and the working folder must stay clean (its
 * cache would write the data there).
 */
describe('OCR without a network', () => {
  const attempts: string[] = [];
  const restore: Array<() => void> = [];
  const cwd = process.cwd();
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'trove-ocr-cwd-'));
    process.chdir(scratch);
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: unknown) => {
      attempts.push(`fetch ${String(input)}`);
      throw new Error('network disabled in this test');
    }) as typeof fetch;
    restore.push(() => (globalThis.fetch = realFetch));
    const realConnect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      attempts.push(`socket ${JSON.stringify(args[0])}`);
      return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof realConnect;
    restore.push(() => (net.Socket.prototype.connect = realConnect));
    const realLookup = dns.lookup;
    dns.lookup = ((hostname: string, ...rest: unknown[]) => {
      attempts.push(`dns ${hostname}`);
      return (realLookup as (...a: unknown[]) => void)(hostname, ...rest);
    }) as typeof dns.lookup;
    restore.push(() => (dns.lookup = realLookup));
  });

  afterAll(() => {
    for (const undo of restore) undo();
    process.chdir(cwd);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lists English as packaged, from the installed @tesseract.js-data/eng', () => {
    expect(packagedOcrLanguages()).toContainEqual({ code: 'eng', name: 'English' });
    expect(existsSync(join(languageDataDir('eng')!, 'eng.traineddata.gz'))).toBe(true);
    expect(() => checkOcrLanguages(['eng'])).not.toThrow();
    expect(() => checkOcrLanguages(['klingon'])).toThrow(AppError);
    expect(() => checkOcrLanguages([])).toThrow(/at least one/);
  });

  it('reads a page without any network request and without writing a cache', async () => {
    const page = renderPage(PROSE.slice(0, 1), { dpi: 150, widthIn: 6, heightIn: 2.5 });
    const result = await recognizePage(
      {
        source: 'image',
        bytes: page.png,
        page: 1,
        languages: ['eng'],
        minConfidence: 60,
        limits: DEFAULT_PARSE_LIMITS.image,
      },
      () => {},
    );
    expect(result.text).toMatch(/quarterly\s+budget/);
    expect(attempts).toEqual([]);
    expect(readdirSync(scratch)).toEqual([]);
  }, 120_000);

  it('refuses a language whose data is not installed instead of downloading it', async () => {
    const page = renderPage(PROSE.slice(0, 1), { dpi: 150, widthIn: 6, heightIn: 2.5 });
    await expect(
      recognizePage(
        {
          source: 'image',
          bytes: page.png,
          page: 1,
          languages: ['fra'],
          minConfidence: 60,
          limits: DEFAULT_PARSE_LIMITS.image,
        },
        () => {},
      ),
    ).rejects.toThrow(/language data for "fra" is not installed/);
    expect(attempts).toEqual([]);
  });
});
