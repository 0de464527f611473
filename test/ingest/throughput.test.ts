import { afterAll, describe, expect, it } from 'vitest';
import { chunkDocument, classifyContent, ParserPool } from '../../src/main/core/ingest';
import { syntheticMarkdown } from './helpers/synthetic';

/**
 * A quick look at parse + classify + chunk throughput on 1,000 synthetic
 * ~5 KB Markdown files. It prints the time (a figure to report, not a gate:
 * the machine is shared) and checks that every file produced chunks.
 */
describe('ingest throughput', () => {
  const pool = new ParserPool();
  afterAll(() => pool.close());

  it('parses and chunks 1,000 Markdown files', async () => {
    const files = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(syntheticMarkdown(i, 5000)));
    const totalBytes = files.reduce((sum, file) => sum + file.byteLength, 0);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    let chunks = 0;
    let empty = 0;
    for (const [i, bytes] of files.entries()) {
      const parsed = await pool.parse({ kind: 'bytes', bytes, mimeType: 'text/markdown', fileName: `note-${i}.md` });
      const drafts = chunkDocument(parsed, { contentType: classifyContent(parsed, { fileName: `note-${i}.md` }) });
      chunks += drafts.length;
      if (drafts.length === 0) empty++;
    }
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `[ingest throughput] 1000 files, ${(totalBytes / 1e6).toFixed(1)} MB -> ${chunks} chunks in ${ms.toFixed(0)} ms ` +
        `(${(totalBytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s, one thread; ${cpuMs.toFixed(0)} ms CPU, first run, JIT cold)`,
    );
    expect(empty).toBe(0);
    expect(chunks).toBeGreaterThan(1000);
  });
});
