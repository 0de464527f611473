/**
 * Hostile files (npm run bench:hostile), issue 12: peak memory and the
 * outcome of every file when a folder full of hostile inputs is synced.
 *
 *   npm run bench:hostile
 *   options: --copies=2 (of each bomb, so bombs are parsed at once) --hidden=2
 *            --bomb-mb=1024 --pages=5000 --no-model --keep
 *
 * Two runs, each in a fresh child process with a real core (parser workers,
 * the embedder with the tiny test model, SQLite), so its peak RSS is its own:
 *
 * 1. the hostile set of the test suite (test/fixtures/hostile-files.ts):
 *    zip-bomb DOCX, Flate-bomb PDFs and gzip bombs (`--copies` of each, `--bomb-mb`
 *    inside), a `--pages`-page PDF, deeply nested JSON, a FIFO, a socket, a
 *    folder that becomes unreadable, a Latin-1 file name and normal files,
 *    synced as a folder and partly imported, then synced again once the
 *    folder is locked;
 * 2. `--hidden` Flate bombs behind an ASCIIHex layer, which the stream check
 *    does not decode: only the memory watchdog stops them, and they are
 *    parsed at the same time.
 *
 * As root, the children run as nobody (65534) on trees given to nobody, so
 * the unreadable folder is really unreadable. Reported: the kernel's peak
 * RSS of each child (all threads), wall time, and every document's status
 * and reason.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chownTree, hostileSetSteps, makeHiddenFlateBombPdf, writeHostileSet } from '../test/fixtures/hostile-files';
import { runInChild, type DocumentOutcome, type RunPlan, type RunReport } from '../test/helpers/sync-runner';
import { benchArgs } from './lib/args';
import { loadAverage } from './lib/ingest-run';

const MB = 1024 * 1024;
const NOBODY = 65534;
const args = benchArgs();
const copies = Number(args.get('copies') ?? 2);
const hidden = Number(args.get('hidden') ?? 2);
const bombBytes = Number(args.get('bomb-mb') ?? 1024) * MB;
const pages = Number(args.get('pages') ?? 5000);
const asRoot = process.getuid?.() === 0;
const log = (line = ''): void => console.log(line);

const work = mkdtempSync(join(tmpdir(), 'trove-hostile-bench-'));
chmodSync(work, 0o755);
log(`Hostile files benchmark: ${new Date().toISOString()}, node ${process.version}, load average ${loadAverage()}`);
log(`Work folder: ${work}${asRoot ? ' (children run as nobody)' : ''}`);

const { startTinyModelHub } = await import('../test/helpers/test-core');
const hub = args.has('no-model') ? null : await startTinyModelHub();
let locked: string | undefined;
try {
  const folder = join(work, 'set');
  mkdirSync(folder);
  const started = performance.now();
  const set = await writeHostileSet(folder, { bombBytes, bombCopies: copies, longPdfPages: pages });
  log(
    `Wrote the set: ${set.entries.length} entries in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)`,
  );
  locked = set.unreadableFolder;
  const setRun = await measure('hostile set', {
    dataDir: dataDir('set-data'),
    hubUrl: hub?.baseUrl,
    steps: hostileSetSteps(set),
  });
  await set.close();
  printOutcomes(setRun.reports.locked!);

  if (hidden > 0) {
    const bombs = join(work, 'hidden');
    mkdirSync(bombs);
    for (let i = 1; i <= hidden; i++)
      writeFileSync(join(bombs, `hidden-bomb-${i}.pdf`), makeHiddenFlateBombPdf(bombBytes + i));
    writeFileSync(join(bombs, 'note.md'), '# Note\n\nParsed next to the bombs.\n');
    const hiddenRun = await measure(`${hidden} bombs only the watchdog can stop`, {
      dataDir: dataDir('hidden-data'),
      hubUrl: hub?.baseUrl,
      steps: [{ addFolder: bombs }, { report: 'done' }],
    });
    printOutcomes(hiddenRun.reports.done!);
  }
} finally {
  await hub?.close();
  if (locked) chmodSync(locked, 0o755);
  if (!args.has('keep')) rmSync(work, { recursive: true, force: true });
}
log(`\nLoad average at end ${loadAverage()} (2 cores shared with other work: times are pessimistic).`);

function dataDir(name: string): string {
  const path = join(work, name);
  mkdirSync(path);
  return path;
}

async function measure(label: string, plan: RunPlan): Promise<RunReport> {
  // Give the whole tree to nobody, the set's folder included, just before the run.
  if (asRoot) chownTree(work, NOBODY, NOBODY);
  const report = await runInChild(plan, asRoot ? { uid: NOBODY, gid: NOBODY } : {});
  log(
    `\n${label}: peak RSS ${(report.maxRssBytes / MB).toFixed(0)} MB (whole child process), ${(report.wallMs / 1000).toFixed(1)} s from the first step to the last`,
  );
  return report;
}

function printOutcomes(docs: DocumentOutcome[]): void {
  const width = Math.max(...docs.map((doc) => shortId(doc).length));
  for (const doc of docs) {
    const detail = doc.status === 'completed' ? `${doc.chunks} chunks` : (doc.error ?? '');
    log(
      `  ${shortId(doc).padEnd(width)}  ${doc.status.padEnd(9)}  ${detail.length > 110 ? `${detail.slice(0, 107)}...` : detail}`,
    );
  }
}

/** The id relative to the work folder, tagged with its connector. */
function shortId(doc: DocumentOutcome): string {
  const id = doc.externalId.replace(`file:${work}/set/`, 'file:');
  return doc.connector === 'Imported files' ? `[import] ${id.startsWith('sha256:') ? doc.title : id}` : id;
}
