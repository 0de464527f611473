/**
 * `npm run bench:crash-soak`: SIGKILL at random moments, then recovery.
 *
 * A folder of generated notes is added to a fresh library by a real app
 * process, which is killed with SIGKILL after a random delay; a new process
 * syncs again and is killed again, `--kills` times in all (seeded, so a run
 * can be repeated), then one last process runs to the end. Before every run
 * after the first, a tenth of the notes are edited and a hundredth deleted,
 * and each kill comes within the length of the last run that finished, so
 * the kills land inside the sync's and the indexing's writes rather than
 * after a run with nothing left to do. The library must
 * then be exactly right (the same checks as the crash-point tests: every
 * file indexed once, chunks = FTS rows = vectors, nothing pending, no job
 * failed). Prints each kill (when, how far the library had got) and the
 * verdict.
 *
 * Options: --files=3000 --kills=20 --seed=7 --max-delay-ms=12000 (each kill comes 1 s to that after its start)
 */
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { databaseFile } from '../src/main/core/data-dir';
import { openDatabase } from '../src/main/core/db/open';
import { seededRandom } from '../src/main/core/seeded-random';
import { startTinyModelHub } from '../test/helpers/test-core';
import {
  indexViolations,
  marker,
  newWorld,
  noteFile,
  notesIndex,
  runApp,
  startApp,
  writeNotes,
} from '../test/crash/harness';
import { benchArgs } from './lib/args';

const args = benchArgs();
const files = Number(args.get('files') ?? 3000);
const kills = Number(args.get('kills') ?? 20);
const seed = Number(args.get('seed') ?? 7);
const maxDelayMs = Number(args.get('max-delay-ms') ?? 12000);
/** Shares of the notes edited and deleted before each run after the first. */
const EDITED_SHARE = 0.1;
const DELETED_SHARE = 0.01;

/** Documents completed so far, read from the database while no app runs. */
function completedCount(dataDir: string): number {
  try {
    const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
    try {
      return db
        .prepare(`SELECT COUNT(*) FROM imported_documents WHERE sync_status = 'completed'`)
        .pluck()
        .get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

/** Documents ended `error` (killed on every attempt), read while no app runs. */
function failedDocuments(dataDir: string): number {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  try {
    return db.prepare(`SELECT COUNT(*) FROM imported_documents WHERE sync_status = 'error'`).pluck().get() as number;
  } finally {
    db.close();
  }
}

const random = seededRandom(seed);
const hub = await startTinyModelHub();
const world = newWorld('soak');
const folder = join(world.root, 'notes');
writeNotes(folder, files);
/** Each note's current version, or null once deleted. */
const versions: Array<number | null> = Array.from({ length: files }, () => 0);
const gone: string[] = [];
const deleted: string[] = [];
console.log(
  `crash soak: ${files} notes, ${kills} kills at random moments (seed ${seed}); ` +
    `from the second round on, ${EDITED_SHARE * 100}% of the notes are edited and ${DELETED_SHARE * 100}% deleted before each start, ` +
    `so every run has work to be killed in`,
);

/** Edits and deletes some notes, as a person does between syncs; returns what changed. */
function changeSomeNotes(round: number): string {
  let edits = 0;
  let deletions = 0;
  const edited = new Set<number>();
  for (let i = 0; i < files; i++) {
    const v = versions[i];
    if (v === null || v === undefined) continue;
    const draw = random();
    if (draw < DELETED_SHARE) {
      unlinkSync(join(folder, noteFile(i)));
      gone.push(marker(i, v));
      deleted.push(noteFile(i));
      versions[i] = null;
      deletions++;
    } else if (draw < DELETED_SHARE + EDITED_SHARE) {
      gone.push(marker(i, v));
      versions[i] = round;
      edited.add(i);
      edits++;
    }
  }
  writeNotes(folder, files, round, (i) => edited.has(i));
  return `${edits} edited, ${deletions} deleted`;
}

const started = performance.now();
let landed = 0;
/** Kills come from 1 s after the start to this: the length of the last run that finished, so they land inside runs. */
let killWindowMs = maxDelayMs;
for (let k = 0; k < kills; k++) {
  const changed = k === 0 ? 'first sync' : changeSomeNotes(k);
  // A run killed before the folder was added adds it; later ones sync what is there, as a person would.
  const steps = [`model=${hub.baseUrl}`, `ensure-folder=${folder}`, 'sync', 'idle'];
  const delay = Math.round(1000 + random() * Math.max(500, killWindowMs - 1000));
  const runStarted = performance.now();
  const app = startApp(world, steps);
  const timer = setTimeout(() => app.kill(), delay);
  const run = await app.done;
  clearTimeout(timer);
  const killed = run.signal === 'SIGKILL';
  if (killed) landed++;
  else killWindowMs = Math.min(maxDelayMs, performance.now() - runStarted);
  console.log(
    `  kill ${String(k + 1).padStart(2)} (${changed}): after ${String(delay).padStart(5)} ms ` +
      `${killed ? 'killed mid-run' : `finished first (exit ${run.code})`}, ${completedCount(world.dataDir)} completed`,
  );
}
// A document whose job was killed on every attempt ends failed with the reason, by design; the
// person's way back is Retry, so the last run syncs, then retries what failed, as they would.
const failedBeforeRetry = failedDocuments(world.dataDir);
const last = await runApp(
  world,
  [`model=${hub.baseUrl}`, `ensure-folder=${folder}`, 'sync', 'idle', 'retry-failed', 'idle'],
  { timeoutMs: 600_000 },
);
const totalS = (performance.now() - started) / 1000;
const expected = {
  documents: notesIndex(files, (i) => versions[i] ?? null),
  deleted,
  gone,
  allowKilledOnEveryAttempt: true,
};
const problems = last.code === 0 ? indexViolations(world.dataDir, expected) : [];
console.log(
  `final run: exit ${last.code}, ${completedCount(world.dataDir)} completed (${expected.documents.size} notes in the folder), ${totalS.toFixed(1)} s in all`,
);
console.log(`kills that landed mid-run: ${landed} of ${kills}`);
console.log(`documents failed after being killed on every attempt, then retried: ${failedBeforeRetry}`);
if (last.code !== 0) console.log(`FAILED: the final run did not finish cleanly\n${last.stderr.slice(-2000)}`);
else if (problems.length === 0) console.log('verdict: recovered, the library is exactly right');
else console.log(`verdict: BROKEN, ${problems.length} problems:\n  ${problems.slice(0, 20).join('\n  ')}`);
world.cleanup();
await hub.close();
process.exitCode = last.code === 0 && problems.length === 0 ? 0 : 1;
