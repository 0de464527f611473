/**
 * One measured run of bench:ocr in the app (a fresh process, started by
 * bench/ocr.bench.ts, bundled or from source): `--mode=scan` adds the scan
 * folder and waits until it is searchable; `text` times the notes folder
 * until every note is indexed; `beside` adds the scan, and once its OCR job
 * is reading, times the notes the same way. Prints one JSON line.
 */
import { addFolder } from '../../src/main/cli/connectors.command';
import { createCore, type Core } from '../../src/main/core/app';
import { readOcrState } from '../../src/main/core/ocr/ocr-state';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { benchArgs } from './args';
import { sampleRss } from './ingest-memory';
import { loadAverage } from './ingest-run';

export const RESULT = 'OCR_BENCH_RESULT ';

/** Words that head the scan's pages, one each, found nowhere else. */
// prettier-ignore
export const PAGE_WORDS = [
  'Aardvark', 'Bluebell', 'Cinnamon', 'Dandelion', 'Eucalyptus', 'Flamingo', 'Gardenia', 'Hazelnut', 'Iguana', 'Juniper',
  'Kingfisher', 'Lavender', 'Magnolia', 'Nightingale', 'Oleander', 'Peppermint', 'Quince', 'Rosemary', 'Saffron', 'Tamarind',
];

/** What one run measured. */
export interface AppRun {
  textMs?: number;
  ocrMs?: number;
  pagesFound?: number;
  meanConfidence?: number | null;
  peakRssBytes: number;
  load: string;
}

const args = benchArgs();
const notes = Number.parseInt(args.get('notes') ?? '0', 10);
const mode = args.get('mode');
if (mode) await run(mode);

/** One measured run in this process. */
async function run(mode: string): Promise<void> {
  // The parent serves the model (a fake hub): nothing here imports the model generators, whose
  // command-line entry would run when bundled into this one file.
  const modelId = args.get('model-id')!;
  const core = await createCore({
    dataDir: args.get('data-dir')!,
    secrets: new MemorySecretStore(),
    modelHubUrl: args.get('hub')!,
    watch: false,
    relay: false,
  });
  await core.embeddings.download(modelId);
  await core.embeddings.configure({ provider: 'local', modelId });
  await core.idle();
  const memory = sampleRss(50);
  const result: Partial<AppRun> = {};
  if (mode === 'text') {
    result.textMs = await timeTextSync(core, args.get('notes-folder')!);
  } else {
    let ocrStarted = 0;
    const reading = new Promise<void>((resolve) => {
      core.queue.on('progress', (e) => {
        if (e.type === 'ocr_document' && e.message?.startsWith('OCR page')) resolve();
      });
    });
    const started = performance.now();
    await addFolder(core, args.get('scan')!, { name: 'Scans' });
    if (mode === 'beside') {
      await reading;
      result.textMs = await timeTextSync(core, args.get('notes-folder')!);
    } else {
      ocrStarted = started;
      await core.idle();
      result.ocrMs = performance.now() - ocrStarted;
      result.pagesFound = await pagesFound(core);
      result.meanConfidence = scanState(core)?.meanConfidence ?? null;
    }
  }
  const run: AppRun = { ...result, peakRssBytes: memory.stop().sampledPeakRss, load: loadAverage() };
  process.stdout.write(`${RESULT}${JSON.stringify(run)}\n`);
  // The OCR of a "beside" run is still going: the measurement is done, so is the process.
  process.exit(0);
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
  for (let i = 0; i < pages.length; i++) {
    const word = PAGE_WORDS[i % PAGE_WORDS.length]!;
    const result = await core.search.search({ query: word, mode: 'keyword' });
    const at = doc.content?.indexOf(`Section ${word}`) ?? -1;
    const page = at < 0 ? null : pages.filter((p) => p.start <= at).at(-1)!.page;
    if (result.groups.some((g) => g.document.title === 'scan.pdf') && page === i + 1) found++;
  }
  return found;
}
