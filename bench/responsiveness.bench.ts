/**
 * Search while the library indexes (npm run bench:responsiveness), issue 13.
 *
 *   npm run bench:responsiveness
 *   options: --model=standin|standin-12|tiny (default standin)  --pages=7000  --page-bytes=300
 *            --interval=250 (ms between searches while indexing)  --idle-searches=200
 *            --no-ceiling (skip the bare-onnxruntime comparison)  --keep (leave the temp folders)
 *
 * A folder of generated Markdown pages (bench/lib/ingest-corpus.ts; the
 * defaults give ~7,000 short pages, ~11,600 chunks) is written to a temp
 * folder. A child process then runs the app's core as `trove serve` runs it
 * (queue, watcher and embedder in the background), downloads the model from
 * a local fake hub (the real download, verification and load), adds the
 * folder, and issues a hybrid search every --interval ms from that moment
 * until the queue is idle and every chunk has its vector, then searches the
 * idle library in each mode (bench/lib/responsiveness-run.ts). Latency counts
 * from when a search was due, so an event loop too busy to start it counts.
 *
 * Afterwards this process counts the tokens embedded (the model's tokenizer
 * over every chunk's embedding text, read back from the database) and, in
 * another child, measures bare onnxruntime on 300 of those texts at its best
 * thread count and batch shape (the ceiling, as bench:embed does).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ModelManager } from '../src/main/core/embeddings/model-manager';
import { embeddingText } from '../src/main/core/services/chunking';
import { benchArgs, modelArg } from './lib/args';
import { benchModel } from './lib/bench-model';
import { runContenderInChild } from './lib/embed-child';
import { writeMarkdownCorpus } from './lib/ingest-corpus';
import { loadAverage } from './lib/ingest-run';
import { formatResponsiveness } from './lib/responsiveness-report';
import { runResponsiveness, type ResponsivenessResult } from './lib/responsiveness-run';
import { tokenProfile } from './lib/token-profile';

const args = benchArgs();
const CEILING_TEXTS = 300;

if (args.has('child')) await runChild();
else await runParent();

async function runChild(): Promise<void> {
  const { manifest } = await benchModel(modelArg(args, 'standin'));
  const result = await runResponsiveness({
    folder: args.get('folder')!,
    dataDir: args.get('data-dir')!,
    hubUrl: args.get('hub')!,
    modelId: manifest.id,
    intervalMs: Number(args.get('interval') ?? '250'),
    idleSearches: Number(args.get('idle-searches') ?? '200'),
    timelineMs: 10_000,
    log: (line) => console.log(line),
  });
  writeFileSync(args.get('result')!, JSON.stringify(result));
  // The embedding worker is unref'd, but be explicit: the measurement is done.
  process.exit(0);
}

function runInChild(childArgs: string[]): Promise<void> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', ...childArgs],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the measured run exited with ${code}`))));
  });
}

/** Every chunk's embedding text, as the core embedded it, read back from its database. */
function embeddingTexts(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'trove.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT c.chunk_text AS text, c.heading_path AS headingPath, d.title FROM imported_doc_chunks c
         JOIN imported_documents d ON d.id = c.imported_document_id ORDER BY c.id`,
      )
      .all() as Array<{ text: string; headingPath: string; title: string }>;
    return rows.map((r) =>
      embeddingText(r.title, { text: r.text, headingPath: JSON.parse(r.headingPath) as string[] }),
    );
  } finally {
    db.close();
  }
}

async function runParent(): Promise<void> {
  const pages = Number(args.get('pages') ?? '7000');
  const pageBytes = Number(args.get('page-bytes') ?? '300');
  const root = mkdtempSync(join(tmpdir(), 'trove-responsiveness-'));
  const log = (line = ''): void => console.log(line);
  log(`Responsiveness benchmark: ${new Date().toISOString()}, node ${process.version}, load average ${loadAverage()}`);
  const model = await benchModel(modelArg(args, 'standin'));
  log(`Model: ${model.description}`);
  const hub = await model.startHub();
  try {
    const folder = join(root, 'pages');
    const written = writeMarkdownCorpus(folder, pages, pages * pageBytes, 13);
    log(`Wrote ${written.files} pages, ${(written.bytes / 1e6).toFixed(1)} MB (not timed); work folder ${root}`);
    const dataDir = join(root, 'data');
    mkdirSync(dataDir);
    const resultFile = join(root, 'result.json');
    log('Indexing with a hybrid search due every interval (progress every 10 s):');
    await runInChild([
      `--folder=${folder}`,
      `--data-dir=${dataDir}`,
      `--hub=${hub.baseUrl}`,
      `--model=${model.choice}`,
      `--result=${resultFile}`,
      `--interval=${args.get('interval') ?? '250'}`,
      `--idle-searches=${args.get('idle-searches') ?? '200'}`,
    ]);
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as ResponsivenessResult;

    const texts = embeddingTexts(dataDir);
    const modelDir = await new ModelManager({ dataDir }).verifiedModelDir(model.manifest.id);
    const tokens = (await tokenProfile(modelDir, model.manifest, texts)).tokens;
    let ceiling = null;
    if (!args.has('no-ceiling')) {
      // An even spread over the corpus, as the ingest met it.
      const sample = texts.filter((_, i) => i % Math.max(1, Math.floor(texts.length / CEILING_TEXTS)) === 0);
      const texts300 = sample.slice(0, CEILING_TEXTS);
      const sampleTokens = (await tokenProfile(modelDir, model.manifest, texts300)).tokens;
      const job = { dataDir, modelId: model.manifest.id, texts: texts300, pipelineBatch: 32 };
      ceiling = {
        result: await runContenderInChild('ceiling', job, root),
        tokens: sampleTokens,
        texts: texts300.length,
      };
    }
    log('');
    log(
      formatResponsiveness(result, { pages: written.files, bytes: written.bytes, tokens }, ceiling, model.description),
    );
    log("\nOther work shares this machine's cores; compare runs only on a quiet machine (see the load average).");
  } finally {
    await hub.close();
    if (!args.has('keep')) rmSync(root, { recursive: true, force: true });
  }
}
