/**
 * Parse + classify + chunk throughput on one thread (npm run bench:parse-chunk).
 *
 *   npm run bench:parse-chunk                 # 1,000 synthetic ~5 KB Markdown files
 *   npm run bench:parse-chunk -- --files=5000
 *
 * Prints the figures; fails (exit 1) only if a file produced no chunks.
 * Moved from the unit suite: a timing is a figure to report, not a test.
 */
import { chunkDocument, classifyContent, ParserPool } from '../src/main/core/ingest';
import { syntheticMarkdown } from '../test/ingest/helpers/synthetic';
import { benchArgs } from './lib/args';

const FILES = Number(benchArgs().get('files') ?? 1000);
const pool = new ParserPool();
try {
  const files = Array.from({ length: FILES }, (_, i) => new TextEncoder().encode(syntheticMarkdown(i, 5000)));
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
    `[parse+chunk] ${FILES} files, ${(totalBytes / 1e6).toFixed(1)} MB -> ${chunks} chunks in ${ms.toFixed(0)} ms ` +
      `(${(totalBytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s, one thread; ${cpuMs.toFixed(0)} ms CPU, first run, JIT cold)`,
  );
  if (empty > 0) {
    console.error(`${empty} files produced no chunks.`);
    process.exitCode = 1;
  }
} finally {
  await pool.close();
}
