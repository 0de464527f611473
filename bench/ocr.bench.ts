/**
 * OCR (npm run bench:ocr), issue 17.
 *
 *   npm run bench:ocr
 *   options: --pages=5 (pages per resolution for accuracy and speed)
 *            --scan-pages=20 (pages of the scanned PDF read in the app)
 *            --notes=2000 (Markdown files of the text sync run beside it)
 *            --model=tiny|standin|standin-12 (default tiny)
 *
 * 1. Accuracy and speed: full A4 pages of known text, drawn at 300 and at
 *    150 dpi and made to look scanned (paper tone, noise, softness, JPEG),
 *    read one after another through the app's OCR pool (its low-priority
 *    thread). Character error rate against the drawn text, pages per minute.
 * 2. In the app: a folder holding a scanned PDF (`--scan-pages` JPEG pages at
 *    300 dpi, each headed by a word found nowhere else) is added; once its OCR
 *    job is reading, a folder of `--notes` Markdown files is added too. The
 *    time until every note is indexed is compared with the same sync in a
 *    fresh app with nothing else to do (the slowdown). Then: how long the
 *    scan took to become searchable, and whether each page's word is found
 *    on its page. Peak RSS of the process is sampled every 50 ms throughout.
 *
 * The machine's CPU may be shared: the load average is printed with every part.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addFolder } from '../src/main/cli/connectors.command';
import { createCore, type Core } from '../src/main/core/app';
import { DEFAULT_PARSE_LIMITS } from '../src/main/core/ingest';
import { createOcrPool } from '../src/main/core/ocr/ocr-pool';
import { readOcrState } from '../src/main/core/ocr/ocr-state';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store';
import { characterErrorRate, editDistance, makeScannedPdfFrom, PROSE, renderPage, scanLike } from '../test/fixtures/ocr-pages';
import { benchArgs, modelArg } from './lib/args';
import { benchModel } from './lib/bench-model';
import { writeMarkdownCorpus } from './lib/ingest-corpus';
import { sampleRss } from './lib/ingest-memory';
import { loadAverage } from './lib/ingest-run';

const args = benchArgs();
const pagesPerResolution = Number.parseInt(args.get('pages') ?? '5', 10);
const scanPages = Number.parseInt(args.get('scan-pages') ?? '20', 10);
const notes = Number.parseInt(args.get('notes') ?? '2000', 10);
const log = (line = ''): void => console.log(line);
const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Words that head the scan's pages, one each, found nowhere else. */
const PAGE_WORDS = [
  'Aardvark', 'Bluebell', 'Cinnamon', 'Dandelion', 'Eucalyptus', 'Flamingo', 'Gardenia', 'Hazelnut', 'Iguana', 'Juniper',
  'Kingfisher', 'Lavender', 'Magnolia', 'Nightingale', 'Oleander', 'Peppermint', 'Quince', 'Rosemary', 'Saffron', 'Tamarind',
]; // prettier-ignore

/** A full page of prose: the ten paragraphs, starting at a different one per page. */
const pageParagraphs = (i: number): string[] => PROSE.map((_, k) => PROSE[(k + i) % PROSE.length]!);

const root = mkdtempSync(join(tmpdir(), 'trove-ocr-bench-'));
const rss = sampleRss(50);
log(`OCR benchmark: ${new Date().toISOString()}, node ${process.version}, load average ${loadAverage()}`);
try {
  await accuracyAndSpeed();
  await inTheApp();
} finally {
  const peak = rss.stop();
  log(`\nPeak RSS of the whole run: ${mb(peak.sampledPeakRss)} sampled, ${mb(peak.maxRss)} kernel maxRSS`);
  rmSync(root, { recursive: true, force: true });
}

async function accuracyAndSpeed(): Promise<void> {
  log(`\n1. Accuracy and speed: ${pagesPerResolution} full A4 pages per resolution, scan-like, through the OCR pool`);
  const pool = createOcrPool();
  try {
    for (const dpi of [300, 150]) {
      let errors = 0;
      let characters = 0;
      let busyMs = 0;
      const perPage: string[] = [];
      for (let i = 0; i < pagesPerResolution; i++) {
        const page = renderPage(pageParagraphs(i), { dpi });
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
        `   ${dpi} dpi: CER ${((errors / characters) * 100).toFixed(2)}% over ${characters.toLocaleString('en')} characters; ` +
          `${((pagesPerResolution / busyMs) * 60_000).toFixed(1)} pages/min (${seconds(busyMs / pagesPerResolution)} per page); load ${loadAverage()}`,
      );
      log(`      pages: ${perPage.join(', ')}`);
    }
  } finally {
    await pool.close();
  }
  // Checks the measure itself: a different page must score far worse.
  const sanity = editDistance(PROSE[0]!, PROSE[1]!) / PROSE[1]!.length;
  log(`   (sanity: two different paragraphs score ${(sanity * 100).toFixed(0)}% CER)`);
}

async function inTheApp(): Promise<void> {
  log(`\n2. In the app: a ${scanPages}-page scanned PDF (300 dpi, JPEG pages) and a sync of ${notes} Markdown notes beside it`);
  const model = await benchModel(modelArg(args, 'tiny'));
  log(`   Model: ${model.description}`);
  const hub = await model.startHub();
  const notesFolder = join(root, 'notes');
  const written = writeMarkdownCorpus(notesFolder, notes, notes * 5000);
  const scanFolder = join(root, 'scan');
  mkdirSync(scanFolder);
  const scanStarted = performance.now();
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
  log(`   Wrote ${written.files} notes (${mb(written.bytes)}) and the scan in ${seconds(performance.now() - scanStarted)} (not timed)`);

  const open = async (name: string): Promise<Core> => {
    const core = await createCore({
      dataDir: join(root, name),
      secrets: new MemorySecretStore(),
      modelHubUrl: hub.baseUrl,
      watch: false,
      relay: false,
    });
    await core.embeddings.download(model.manifest.id);
    await core.embeddings.configure({ provider: 'local', modelId: model.manifest.id });
    await core.idle();
    return core;
  };

  try {
    const alone = await open('alone');
    const aloneMs = await timeTextSync(alone, notesFolder);
    await alone.close();
    log(`   Text sync alone: ${seconds(aloneMs)}; load ${loadAverage()}`);

    const core = await open('beside-ocr');
    const ocrMemory = sampleRss(50);
    let ocrStartedAt = 0;
    let ocrFinishedAt = 0;
    const reading = new Promise<void>((resolve) => {
      core.queue.on('progress', (e) => {
        if (e.type === 'ocr_document' && e.message?.startsWith('OCR page')) {
          ocrStartedAt ||= performance.now();
          resolve();
        }
      });
      core.queue.on('succeeded', (e) => {
        if (e.type === 'ocr_document') ocrFinishedAt = performance.now();
      });
    });
    const scanAdded = performance.now();
    await addFolder(core, scanFolder, { name: 'Scans' });
    await reading;
    const pagesBefore = scanState(core)?.pagesDone ?? 0;
    const besideMs = await timeTextSync(core, notesFolder);
    const pagesAfter = scanState(core)?.pagesDone ?? 0;
    log(
      `   Text sync beside OCR: ${seconds(besideMs)} (OCR was on page ${pagesBefore + 1} when it started, page ${pagesAfter + 1} when it ended); load ${loadAverage()}`,
    );
    log(`   Slowdown of the text sync: ${(((besideMs - aloneMs) / aloneMs) * 100).toFixed(1)}% (target: at most 20%)`);
    await core.idle();
    const searchableMs = performance.now() - scanAdded;
    const memory = ocrMemory.stop();
    const readMs = ocrFinishedAt - ocrStartedAt;
    log(
      `   Scan searchable ${seconds(searchableMs)} after it was added; OCR of ${scanPages} pages took ${seconds(readMs)}: ` +
        `${((scanPages / readMs) * 60_000).toFixed(1)} pages/min (sharing the CPU with the text sync part of the time)`,
    );
    log(`   ${await pagesFound(core)} of ${scanPages} page words found by search, each on its own page`);
    const state = scanState(core);
    log(`   Mean confidence ${state?.meanConfidence ?? '-'}; low-confidence pages: ${state?.lowConfidence.length ?? '-'}`);
    log(`   Peak RSS from adding the scan to idle: ${mb(memory.sampledPeakRss)} (target: under 800 MB)`);
    await core.close();
  } finally {
    await hub.close();
  }
}

/** From add-folder until every note of the folder is indexed, ms. */
async function timeTextSync(core: Core, folder: string): Promise<number> {
  const started = performance.now();
  const { connector } = await addFolder(core, folder, { name: 'Notes' });
  const completed = core.db.prepare(
    `SELECT COUNT(*) FROM imported_documents WHERE connector_id = ? AND sync_status = 'completed'`,
  );
  while ((completed.pluck().get(connector.id) as number) < notes) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

function scanState(core: Core): ReturnType<typeof readOcrState> {
  const id = core.db.prepare(`SELECT id FROM imported_documents WHERE title = 'scan.pdf'`).pluck().get() as string;
  const doc = core.repos.documents.get(id);
  return doc ? readOcrState(doc.metadata) : null;
}

/** Pages whose heading word search finds in the scan, on that page. */
async function pagesFound(core: Core): Promise<number> {
  const id = core.db.prepare(`SELECT id FROM imported_documents WHERE title = 'scan.pdf'`).pluck().get() as string;
  const doc = core.repos.documents.get(id)!;
  const pages = (doc.metadata.parse as { pages: Array<{ page: number; start: number }> }).pages;
  let found = 0;
  for (let i = 0; i < scanPages; i++) {
    const word = PAGE_WORDS[i % PAGE_WORDS.length]!;
    const result = await core.search.search({ query: word, mode: 'keyword' });
    const at = doc.content?.indexOf(`Section ${word}`) ?? -1;
    const page = at < 0 ? null : pages.filter((p) => p.start <= at).at(-1)!.page;
    if (result.groups.some((g) => g.document.title === 'scan.pdf') && page === i + 1) found++;
  }
  return found;
}
