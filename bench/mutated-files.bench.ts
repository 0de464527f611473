/**
 * Damaged files (npm run bench:mutated-files): hundreds of damaged copies of
 * a file of every format Trove reads (test/fixtures/mutated-files.ts),
 * parsed through the real parser pool as a sync sends them.
 *
 *   npm run bench:mutated-files
 *   options: --per-format=250 --seed=1 --messages (print every distinct reason)
 *
 * Reported for each format: copies read, copies failed by reason, errors
 * that were not a ParseFailure (a crash a person would see as "internal
 * error"), reasons showing a library's internals, and the slowest parse.
 * Every damaged file must end as read or as a ParseFailure of its own.
 */
import { ParseFailure, ParserPool } from '../src/main/core/ingest';
import { mutantsOf, sampleFiles } from '../test/fixtures/mutated-files';
import { benchArgs } from './lib/args';
import { loadAverage } from './lib/ingest-run';

const args = benchArgs();
const perFormat = Number(args.get('per-format') ?? 250);
const seed = Number(args.get('seed') ?? 1);
const JARGON = /TypeError|RangeError|Cannot read properties|undefined|\[object|xmldom|^\d+:\d+:|: \d+:\d+:|\bat \S+ \(/;

console.log(`Damaged files: ${new Date().toISOString()}, node ${process.version}, load average ${loadAverage()}`);
console.log(`${perFormat} damaged copies of each format, seed ${seed}\n`);

const pool = new ParserPool();
const messages = new Map<string, number>();
let crashes = 0;
let jargon = 0;
console.log('format              read  failed  not ParseFailure  slowest');
for (const sample of await sampleFiles()) {
  const reasons = new Map<string, number>();
  let read = 0;
  let slowest = 0;
  for (const bytes of await mutantsOf(sample, perFormat, seed)) {
    const started = performance.now();
    try {
      await pool.parse({ kind: 'bytes', bytes, fileName: sample.fileName, mimeType: '' });
      read++;
    } catch (error) {
      if (error instanceof ParseFailure) {
        reasons.set(error.reason, (reasons.get(error.reason) ?? 0) + 1);
        const message = `${sample.format} ${error.reason}: ${error.message}`.replace(/\d+/g, 'N');
        messages.set(message, (messages.get(message) ?? 0) + 1);
        if (JARGON.test(error.message)) jargon++;
      } else {
        crashes++;
        console.log(`  ${sample.format}: not a ParseFailure: ${String(error)}`);
      }
    }
    slowest = Math.max(slowest, performance.now() - started);
  }
  const failed = [...reasons.values()].reduce((sum, count) => sum + count, 0);
  const byReason = [...reasons].map(([reason, count]) => `${reason} ${count}`).join(', ');
  console.log(
    `${sample.format.padEnd(18)} ${String(read).padStart(5)}  ${String(failed).padStart(6)}  ${String(perFormat - read - failed).padStart(16)}  ${slowest.toFixed(0).padStart(5)} ms   ${byReason}`,
  );
}
await pool.close();
console.log(`\nErrors that were not a ParseFailure: ${crashes}`);
console.log(`Reasons showing a library's internals: ${jargon}`);
console.log(`Distinct reasons (numbers as N): ${messages.size}`);
if (args.has('messages')) {
  for (const [message, count] of [...messages].sort((a, b) => b[1] - a[1]))
    console.log(`${String(count).padStart(5)}  ${message}`);
}
if (crashes > 0 || jargon > 0) process.exitCode = 1;
