/**
 * Ingest throughput (npm run bench:ingest), issue 3.
 *
 *   npm run bench:ingest                              # Cranfield + 10,000 Markdown files (~50 MB)
 *   npm run bench:ingest -- --files=1000 --mb=5       # quick run
 *   options: --corpora=cranfield,markdown  --keep (leave the temp folders)
 *            --model=tiny|standin|standin-12 (default tiny: the figures are of the
 *            ingest pipeline; the stand-ins add a real model's embedding cost)
 *
 * Each corpus is written to a temp folder, then ingested by a fresh child
 * process (so peak RSS belongs to that corpus alone): a core with the model
 * downloaded from a local fake hub (bench/lib/bench-model.ts), then
 * `add-folder` timed until the queue is idle. Reported: files, MB, chunks, wall time, docs/s,
 * chunks/s, MB/s, peak RSS (sampled every 50 ms, and the kernel's maxRSS),
 * and the split of time between the ingest stages.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCranfieldCorpus, writeMarkdownCorpus, type WrittenCorpus } from './lib/ingest-corpus';
import { formatReport } from './lib/ingest-report';
import { loadAverage, runIngest, type IngestRunResult } from './lib/ingest-run';
import { benchArgs, modelArg } from './lib/args';
import { benchModel } from './lib/bench-model';

const args = benchArgs();
const RESULT_PREFIX = 'INGEST_RESULT ';

if (args.has('child')) {
  await runChild();
} else {
  await runParent();
}

/** Child mode: ingest one folder and print the result as a single JSON line. */
async function runChild(): Promise<void> {
  const { manifest } = await benchModel(modelArg(args, 'tiny'));
  const result = await runIngest(
    args.get('corpus')!,
    args.get('folder')!,
    args.get('data-dir')!,
    args.get('hub')!,
    manifest.id,
  );
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
  // The embedding worker is unref'd, but be explicit: the measurement is done.
  process.exit(0);
}

async function runParent(): Promise<void> {
  const files = Number.parseInt(args.get('files') ?? '10000', 10);
  const megabytes = Number.parseFloat(args.get('mb') ?? '50');
  const corpora = (args.get('corpora') ?? 'cranfield,markdown').split(',');
  const keep = args.has('keep');
  const root = mkdtempSync(join(tmpdir(), 'trove-ingest-bench-'));
  const log = (line = ''): void => console.log(line);

  log(`Ingest benchmark: ${new Date().toISOString()}, node ${process.version}, load average at start ${loadAverage()}`);
  log(`Work folder: ${root}`);
  const model = await benchModel(modelArg(args, 'tiny'));
  log(`Model: ${model.description}`);
  const hub = await model.startHub();
  try {
    for (const corpus of corpora) {
      const folder = join(root, `${corpus}-files`);
      const started = performance.now();
      let written: WrittenCorpus;
      if (corpus === 'cranfield') written = writeCranfieldCorpus(folder);
      else if (corpus === 'markdown') written = writeMarkdownCorpus(folder, files, megabytes * 1e6);
      else throw new Error(`Unknown corpus "${corpus}": use cranfield or markdown.`);
      log(
        `\nWrote ${corpus}: ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)`,
      );
      const dataDir = join(root, `${corpus}-data`);
      mkdirSync(dataDir, { recursive: true });
      const result = await runInChild(corpus, folder, dataDir, hub.baseUrl, model.choice);
      log(formatReport(result, written, model.description));
    }
  } finally {
    await hub.close();
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
  log(
    `\nLoad average at end ${loadAverage()} (2 cores; other engineers' work shares them, so figures are pessimistic).`,
  );
}

function runInChild(
  corpus: string,
  folder: string,
  dataDir: string,
  hub: string,
  model: string,
): Promise<IngestRunResult> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      script,
      '--child',
      `--corpus=${corpus}`,
      `--folder=${folder}`,
      `--data-dir=${dataDir}`,
      `--hub=${hub}`,
      `--model=${model}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`the ${corpus} run exited with ${code}:\n${out}`));
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as IngestRunResult);
    });
  });
}
