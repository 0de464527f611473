/**
 * OCR (npm run bench:ocr), issue 17.
 *
 *   npm run bench:ocr
 *   options: --pages=5 (pages per resolution for accuracy and speed)
 *            --scan-pages=20 (pages of the scanned PDF read in the app)
 *            --notes=2000 (Markdown files of the text sync run beside it)
 *            --model=tiny|standin|standin-12 (default tiny)
 *            --repeat=2 (rounds of the text sync alone and beside OCR)
 *            --part=accuracy|app (one part only)
 *
 * 1. Accuracy and speed: full A4 pages of known text, drawn at 300 and at
 *    150 dpi and made to look scanned (paper tone, noise, softness, JPEG),
 *    read one after another through the app's OCR pool (its low-priority
 *    thread). Character error rate against the drawn text, pages per minute.
 * 2. In the app, each run a fresh process with a fresh data folder (so its
 *    peak RSS, sampled every 50 ms, is its own):
 *    - scan: a folder holding a scanned PDF (`--scan-pages` JPEG pages at
 *      300 dpi, each headed by a word found nowhere else) is added; how long
 *      until it is searchable, whether each page's word is found on its page;
 *    - text: a folder of `--notes` Markdown files, timed until every note is
 *      indexed, with nothing else to do;
 *    - beside: the scan is added, and once its OCR job is reading, the notes
 *      too, timed the same way. `--repeat` rounds of text and beside (default
 *      2); the slowdown compares their medians.
 *
 * The machine's CPU may be shared: the load average is printed with every part.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARSE_LIMITS } from '../src/main/core/ingest';
import { silentLogger } from '../src/main/core/logger';
import { createOcrPool } from '../src/main/core/ocr/ocr-pool';
import {
  characterErrorRate,
  editDistance,
  makeScannedPdfFrom,
  PROSE,
  renderPage,
  scanLike,
} from '../test/fixtures/ocr-pages';
import { benchArgs, modelArg } from './lib/args';
import { benchModel } from './lib/bench-model';
import { writeMarkdownCorpus } from './lib/ingest-corpus';
import { PAGE_WORDS, RESULT, type AppRun } from './lib/ocr-app-run';
import { sampleRss } from './lib/ingest-memory';
import { loadAverage } from './lib/ingest-run';
import { bundleAppRun } from './lib/bundle-app-run';

const args = benchArgs();
const pagesPerResolution = Number.parseInt(args.get('pages') ?? '5', 10);
const scanPages = Number.parseInt(args.get('scan-pages') ?? '20', 10);
const notes = Number.parseInt(args.get('notes') ?? '2000', 10);
const log = (line = ''): void => console.log(line);
const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A full page of prose: the ten paragraphs, starting at a different one per page. */
const pageParagraphs = (i: number): string[] => PROSE.map((_, k) => PROSE[(k + i) % PROSE.length]!);

const repeat = Number.parseInt(args.get('repeat') ?? '2', 10);
/** Where the children download the model from (set by inTheApp). */
let modelServed = { hubUrl: '', modelId: '' };
const root = mkdtempSync(join(tmpdir(), 'trove-ocr-bench-'));

{
  log(`OCR benchmark: ${new Date().toISOString()}, node ${process.version}, load average ${loadAverage()}`);
  try {
    if (args.get('part') !== 'app') await accuracyAndSpeed();
    if (args.get('part') !== 'accuracy') await inTheApp();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function accuracyAndSpeed(): Promise<void> {
  log(`\n1. Accuracy and speed: ${pagesPerResolution} full A4 pages per resolution, scan-like, through the OCR pool`);
  const memory = sampleRss(50);
  const pool = createOcrPool(silentLogger);
  try {
    // 11-point text is what the targets are for; 8-point text at 150 dpi (small print, a cheap
    // scan) shows where accuracy starts to go.
    for (const { dpi, points } of [
      { dpi: 300, points: 11 },
      { dpi: 150, points: 11 },
      { dpi: 150, points: 8 },
    ]) {
      let errors = 0;
      let characters = 0;
      let busyMs = 0;
      const perPage: string[] = [];
      for (let i = 0; i < pagesPerResolution; i++) {
        const page = renderPage(pageParagraphs(i), { dpi, points });
        const png = scanLike(page.png);
        const bytes = new Uint8Array(new SharedArrayBuffer(png.length));
        bytes.set(png);
        const started = performance.now();
        const result = await pool.ocrPage({
          source: 'image',
          bytes,
          page: 1,
          languages: ['eng'],
          minConfidence: 60,
          limits: DEFAULT_PARSE_LIMITS.image,
        });
        const ms = performance.now() - started;
        busyMs += ms;
        const cer = characterErrorRate(result.text, page.text);
        errors += cer * page.text.replace(/\s+/g, ' ').trim().length;
        characters += page.text.replace(/\s+/g, ' ').trim().length;
        perPage.push(`${(cer * 100).toFixed(2)}% (${seconds(ms)}, confidence ${result.confidence})`);
      }
      log(
        `   ${dpi} dpi, ${points} pt: CER ${((errors / characters) * 100).toFixed(2)}% over ${characters.toLocaleString('en')} characters; ` +
          `${((pagesPerResolution / busyMs) * 60_000).toFixed(1)} pages/min (${seconds(busyMs / pagesPerResolution)} per page); load ${loadAverage()}`,
      );
      log(`      pages: ${perPage.join(', ')}`);
    }
  } finally {
    await pool.close();
  }
  log(`   Peak RSS of this process while reading them: ${mb(memory.stop().sampledPeakRss)}`);
  // Checks the measure itself: a different page must score far worse.
  const sanity = editDistance(PROSE[0]!, PROSE[1]!) / PROSE[1]!.length;
  log(`   (sanity: two different paragraphs score ${(sanity * 100).toFixed(0)}% CER)`);
}

async function inTheApp(): Promise<void> {
  log(`\n2. In the app: a ${scanPages}-page scanned PDF (300 dpi, JPEG pages) and a sync of ${notes} Markdown notes`);
  // Inside the repository (out/ is build output), so the bundle finds node_modules as the app does.
  const runner = args.has('source')
    ? null
    : await bundleAppRun(
        fileURLToPath(new URL('./lib/ocr-app-run.ts', import.meta.url)),
        fileURLToPath(new URL('../out/bench-ocr/', import.meta.url)),
      );
  log(
    `   Each run is a fresh process (its peak RSS is its own) with a fresh data folder, ${runner ? 'running the core bundled by esbuild under plain Node, as the app runs it' : 'running the TypeScript sources under tsx (which adds ~200 MB per thread that loads pdf.js)'}.`,
  );
  const notesFolder = join(root, 'notes');
  const written = writeMarkdownCorpus(notesFolder, notes, notes * 5000);
  const scanFolder = join(root, 'scan');
  mkdirSync(scanFolder);
  writeFileSync(
    join(scanFolder, 'scan.pdf'),
    await makeScannedPdfFrom(
      Array.from({ length: scanPages }, (_, i) => ({
        image: renderPage([`Section ${PAGE_WORDS[i % PAGE_WORDS.length]}`, ...pageParagraphs(i).slice(0, 8)], {
          dpi: 300,
        }),
        format: 'jpeg' as const,
      })),
    ),
  );
  const model = await benchModel(modelArg(args, 'tiny'));
  const hub = await model.startHub();
  log(`   ${written.files} notes (${mb(written.bytes)}); model: ${model.description}`);
  modelServed = { hubUrl: hub.baseUrl, modelId: model.manifest.id };
  try {
    await measureInTheApp(scanFolder, notesFolder, runner);
  } finally {
    await hub.close();
  }
}

async function measureInTheApp(scanFolder: string, notesFolder: string, runner: string | null): Promise<void> {
  const runChild = (
    mode: 'scan' | 'text' | 'beside',
    scanDir: string,
    notesDir: string,
    env?: NodeJS.ProcessEnv,
  ): Promise<AppRun> => runAppChild(runner, mode, scanDir, notesDir, env);
  const scan = await runChild('scan', scanFolder, notesFolder);
  log(
    `   Scan alone: searchable after ${seconds(scan.ocrMs!)}, ${((scanPages / scan.ocrMs!) * 60_000).toFixed(1)} pages/min; ` +
      `${scan.pagesFound} of ${scanPages} page words found by search on their page; mean confidence ${scan.meanConfidence}; ` +
      `peak RSS ${mb(scan.peakRssBytes)} (target: under 800 MB); load ${scan.load}`,
  );
  // glibc raises its mmap threshold each time a large block is freed, after which blocks of up to
  // 32 MB (a decoded page is 26 MB) come from heap arenas that fragment instead of going back to
  // the system. With the threshold fixed, the same run shows what the OCR itself needs.
  const fixed = await runChild('scan', scanFolder, notesFolder, { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' });
  log(
    `   Scan alone with MALLOC_MMAP_THRESHOLD_=131072 (glibc): peak RSS ${mb(fixed.peakRssBytes)}; load ${fixed.load}`,
  );
  const alone: number[] = [];
  const beside: number[] = [];
  for (let round = 0; round < repeat; round++) {
    const a = await runChild('text', scanFolder, notesFolder);
    alone.push(a.textMs!);
    log(`   Text sync alone:      ${seconds(a.textMs!)}, peak RSS ${mb(a.peakRssBytes)}; load ${a.load}`);
    const b = await runChild('beside', scanFolder, notesFolder);
    beside.push(b.textMs!);
    log(`   Text sync beside OCR: ${seconds(b.textMs!)}, peak RSS ${mb(b.peakRssBytes)}; load ${b.load}`);
  }
  const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const slowdown = (median(beside) - median(alone)) / median(alone);
  log(`   Slowdown of the text sync beside OCR (medians): ${(slowdown * 100).toFixed(1)}% (target: at most 20%)`);
}

/** Runs one measurement in a fresh process (the bundle, or the sources under tsx) and returns what it printed. */
async function runAppChild(
  runner: string | null,
  mode: 'scan' | 'text' | 'beside',
  scanFolder: string,
  notesFolder: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AppRun> {
  const dataDir = join(root, `data-${mode}-${Math.random().toString(36).slice(2)}`);
  const childArgs = [
    `--mode=${mode}`,
    `--scan=${scanFolder}`,
    `--notes-folder=${notesFolder}`,
    `--data-dir=${dataDir}`,
  ];
  childArgs.push(`--notes=${notes}`, `--hub=${modelServed.hubUrl}`, `--model-id=${modelServed.modelId}`);
  const entry = runner
    ? [runner]
    : ['--import', 'tsx', fileURLToPath(new URL('./lib/ocr-app-run.ts', import.meta.url))];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...entry, ...childArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`the ${mode} run exited with ${code}`))));
  });
  const line = output.split('\n').find((l) => l.startsWith(RESULT));
  if (!line) throw new Error(`the ${mode} run printed no result:\n${output}`);
  return JSON.parse(line.slice(RESULT.length)) as AppRun;
}
