/**
 * Ingest throughput (npm run bench:ingest), issue 3.
 *
 *   npm run bench:ingest                              # Cranfield + 10,000 Markdown files (~50 MB)
 *   npm run bench:ingest -- --files=1000 --mb=5       # quick run
 *   options: --corpora=cranfield,markdown  --keep (leave the temp folders)
 *            --source (run the child from the TypeScript sources under tsx, not bundled)
 *            --cpu-prof=DIR (the child writes V8 CPU profiles of its threads there)
 *            --model=tiny|standin|standin-12 (default tiny: the figures are of the
 *            ingest pipeline; the stand-ins add a real model's embedding cost)
 *
 * Each corpus is written to a temp folder, then ingested by a fresh child
 * process (so peak RSS belongs to that corpus alone), bundled as the app is
 * (tsx's loader would add its own hundreds of MB): a core with the model
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
import { INGEST_RESULT_PREFIX, loadAverage, type IngestRunResult } from './lib/ingest-run';
import { benchArgs, modelArg } from './lib/args';
import { benchModel } from './lib/bench-model';
import { bundleAppRun } from './lib/bundle-app-run';

const args = benchArgs();
await runParent();

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
  // The child runs the core bundled, as the app runs it (--source: the TypeScript sources under tsx).
  const runner = args.has('source')
    ? null
    : await bundleAppRun(
        fileURLToPath(new URL('./lib/ingest-child.ts', import.meta.url)),
        fileURLToPath(new URL('../out/bench-ingest/', import.meta.url)),
      );
  log(
    runner ? 'Child: the core bundled by esbuild under plain Node, as the app runs it' : 'Child: the sources under tsx',
  );
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
      const result = await runInChild(runner, corpus, folder, dataDir, hub.baseUrl, model.manifest.id);
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
  runner: string | null,
  corpus: string,
  folder: string,
  dataDir: string,
  hub: string,
  modelId: string,
): Promise<IngestRunResult> {
  const profileDir = args.get('cpu-prof');
  const entry = runner ?? fileURLToPath(new URL('./lib/ingest-child.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      ...(runner ? [] : ['--import', 'tsx']),
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      entry,
      `--corpus=${corpus}`,
      `--folder=${folder}`,
      `--data-dir=${dataDir}`,
      `--hub=${hub}`,
      `--model-id=${modelId}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(INGEST_RESULT_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`the ${corpus} run exited with ${code}:\n${out}`));
      resolve(JSON.parse(line.slice(INGEST_RESULT_PREFIX.length)) as IngestRunResult);
    });
  });
}
