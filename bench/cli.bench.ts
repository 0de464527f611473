/**
 * Start-up of the `trove` command (npm run bench:cli): builds the CLI bundle
 * and a 10,000-chunk library in a temp data folder, then times, as child
 * processes from spawn to exit, `trove --version` and
 * `trove search "<query>" --mode keyword` 20 times each (after one untimed
 * run, so the OS file cache is warm as on a machine in use), and for
 * comparison 5 runs of each from the TypeScript sources through tsx (what
 * `trove` falls back to while the bundle is missing or stale).
 *
 *   npm run bench:cli                       options: --runs=20 --chunks=10000
 *
 * Targets (issue 18): --version p50 < 150 ms, keyword search p50 < 400 ms.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './lib/args';
import { buildBenchLibrary, formatTimings } from './lib/cli-library';

const args = benchArgs();
const RUNS = Number.parseInt(args.get('runs') ?? '20', 10);
const CHUNKS = Number.parseInt(args.get('chunks') ?? '10000', 10);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = `${ROOT}bin/trove.js`;

/** Runs `node bin/trove.js ...args` to its end; returns the wall time in ms. */
function timeTrove(args: string[], env: Record<string, string> = {}): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`trove ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  if (args[2] === 'search' && !run.stdout.includes('keyword search')) {
    throw new Error(`trove search printed no results: ${run.stdout}`);
  }
  return ms;
}

function measure(label: string, runs: number, argsFor: (i: number) => string[], env?: Record<string, string>): void {
  timeTrove(argsFor(-1), env);
  const times = Array.from({ length: runs }, (_, i) => timeTrove(argsFor(i), env));
  console.log(`  ${label.padEnd(44)} ${formatTimings(times)}`);
}

const built = spawnSync(process.execPath, [`${ROOT}scripts/build-cli.js`], { encoding: 'utf8' });
if (built.status !== 0) throw new Error(`build-cli failed: ${built.stderr}`);
console.log(built.stdout.trim());
const library = buildBenchLibrary(CHUNKS, RUNS + 1);
const searchArgs = (i: number): string[] => [
  '--data-dir',
  library.dataDir,
  'search',
  library.queries[i + 1]!,
  '--mode',
  'keyword',
];
try {
  console.log(`node ${process.version}, ${RUNS} runs each, spawn to exit:`);
  measure('trove --version (bundle)', RUNS, () => ['--version']);
  measure('trove search "<q>" --mode keyword (bundle)', RUNS, searchArgs);
  const fromSource = { TROVE_CLI_FROM_SOURCE: '1' };
  measure('trove --version (tsx, for comparison)', 5, () => ['--version'], fromSource);
  measure('trove search ... (tsx, for comparison)', 5, searchArgs, fromSource);
} finally {
  library.dispose();
}
