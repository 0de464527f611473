import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CRASH_POINTS, type CrashPoint } from '../../src/main/core/crash-points';
import { databaseFile } from '../../src/main/core/data-dir';
import { openDatabase } from '../../src/main/core/db/open';
import { LEASE_EXPIRED } from '../../src/main/core/queue/job-queue';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The crash point the run died at, when it was killed by TROVE_CRASH_AT. */
  crashedAt: string | null;
}

/** A running app process (test/crash/crash-child.ts). */
export interface AppProcess {
  /** Kills it at once (SIGKILL), as a crash or a forced quit would. */
  kill(): void;
  done: Promise<ChildRun>;
}

/** Starts the app with these steps (see crash-child.ts for the step syntax). */
export function startApp(
  world: { dataDir: string; secretsFile: string },
  steps: string[],
  options: { crashAt?: string; trace?: string; timeoutMs?: number } = {},
): AppProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TROVE_CRASH_AT;
  delete env.TROVE_CRASH_TRACE;
  if (options.crashAt) env.TROVE_CRASH_AT = options.crashAt;
  if (options.trace) env.TROVE_CRASH_TRACE = options.trace;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, world.dataDir, world.secretsFile, ...steps], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
  const done = new Promise<ChildRun>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const crashedAt = /TROVE_CRASH_AT reached (\S+)/.exec(stderr)?.[1] ?? null;
      resolve({ code, signal, stdout, stderr, crashedAt });
    });
  });
  return { kill: () => child.kill('SIGKILL'), done };
}

/** Runs the app with these steps; resolves when the process is gone. */
export function runApp(
  world: { dataDir: string; secretsFile: string },
  steps: string[],
  options: { crashAt?: string; trace?: string; timeoutMs?: number } = {},
): Promise<ChildRun> {
  return startApp(world, steps, options).done;
}

/** A data folder, a secrets file (the keychain's stand-in across processes) and a scratch folder. */
export interface CrashWorld {
  root: string;
  dataDir: string;
  secretsFile: string;
  cleanup(): void;
}

export function newWorld(prefix: string): CrashWorld {
  const root = mkdtempSync(join(tmpdir(), `trove-crash-${prefix}-`));
  const secretsFile = join(root, 'secrets.json');
  writeFileSync(secretsFile, '{}');
  return {
    root,
    dataDir: join(root, 'data'),
    secretsFile,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A folder of `files` notes indexed once into a template library (then
 * `prepare`d), and a fresh copy of that library for each scene: the part of
 * a crash scenario that starts from an indexed library.
 */
export function indexedNotesTemplate(prefix: string, files: number, prepare?: (template: CrashWorld) => void) {
  let template: CrashWorld | undefined;
  return {
    async before(): Promise<void> {
      template = newWorld(prefix);
      const folder = join(template.root, 'notes');
      writeNotes(folder, files);
      const setup = await runApp(template, [`add-folder=${folder}`, 'idle']);
      if (setup.code !== 0) throw new Error(`indexing the template failed (exit ${setup.code})\n${setup.stderr}`);
      prepare?.(template);
    },
    after: (): void => template?.cleanup(),
    scene(name: string): { world: CrashWorld } {
      const world = newWorld(name);
      cpSync(template!.root, world.root, { recursive: true });
      return { world };
    },
  };
}

/** A scene of a fresh world with `count` notes in its `notes` folder, not yet added to the app. */
export function notesScene(count: number): (name: string) => { world: CrashWorld } {
  return (name) => {
    const world = newWorld(name);
    writeNotes(join(world.root, 'notes'), count);
    return { world };
  };
}

/** A unique keyword for file `i` of a folder, version `v`, that tests can search for. */
export function marker(i: number, v = 0): string {
  return `kwfile${i}v${v}zq`;
}

/**
 * Writes `count` Markdown notes of realistic shape (headings, paragraphs,
 * a few pages long, some long enough for several chunks), each holding its
 * unique marker word, into `dir` spread over subfolders.
 */
export function writeNotes(dir: string, count: number, version = 0, only?: (i: number) => boolean): void {
  for (let i = 0; i < count; i++) {
    if (only && !only(i)) continue;
    mkdirSync(join(dir, `topic-${i % 7}`), { recursive: true });
    const paragraphs = 3 + (i % 9);
    const body = Array.from(
      { length: paragraphs },
      (_, p) =>
        `Paragraph ${p} of note ${i} looks at wind tunnels, boundary layers and heat transfer, case ${p * 31 + i}. ` +
        `It compares flutter margins with the measured pressure ${i * 7 + p} and notes what changed.`,
    ).join('\n\n');
    writeFileSync(
      join(dir, noteFile(i)),
      `# Note ${i}\n\nThe marker of this note is ${marker(i, version)}.\n\n## Findings\n\n${body}\n\n## Next steps\n\n${body}\n`,
    );
  }
}

/** Where writeNotes puts note `i`, relative to its folder (also its external id). */
export function noteFile(i: number): string {
  return `topic-${i % 7}/note-${i}.md`;
}

/** How often each crash point was reached in a traced run. */
export function traceCounts(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(file)) return counts;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return counts;
}

/**
 * The hit to die at: half-way through the point's hits in an undisturbed
 * run, so a point met once per batch or document dies with work both done
 * and not yet done.
 */
export function crashHit(baselineHits: number): number {
  return Math.max(1, Math.ceil(baselineHits / 2));
}

export interface ExpectedIndex {
  /** external id -> a keyword its indexed text must contain (and no other document's). */
  documents: Map<string, string>;
  /** External ids that must be deleted (not searchable). */
  deleted?: string[];
  /** Keywords no document may match any more (old versions of edited files). */
  gone?: string[];
  /**
   * Jobs killed on every attempt end failed by design (a job that kills its
   * process each time must not loop forever); with this set, such failures are
   * not violations, provided everything else is exact (after a Retry).
   */
  allowKilledOnEveryAttempt?: boolean;
}

/**
 * Checks the library against what the files say, returning every violation
 * (an empty list means the index is exactly right):
 * - every expected document completed exactly once, with its current text
 *   findable by keyword, and nothing else indexed;
 * - chunks = FTS rows = vectors in the active space, chunk indexes 0..n-1
 *   without gaps or duplicates;
 * - nothing pending or processing, no job queued, running or failed;
 * - every sync run ended (none still syncing or indexing), and none before its last document;
 * - every webhook event handled.
 */
export function indexViolations(dataDir: string, expected: ExpectedIndex): string[] {
  const db = openDatabase(databaseFile(dataDir), { readonly: true, migrate: false });
  const problems: string[] = [];
  const all = <T>(query: string, ...params: unknown[]): T[] => db.prepare(query).all(...params) as T[];
  const one = (query: string, ...params: unknown[]): number =>
    db
      .prepare(query)
      .pluck()
      .get(...params) as number;
  try {
    const docs = all<{ externalId: string; status: string; error: string | null }>(
      `SELECT external_id AS externalId, sync_status AS status, sync_error AS error FROM imported_documents`,
    );
    const live = docs.filter((d) => d.status !== 'deleted');
    for (const d of live) {
      if (d.status !== 'completed') problems.push(`${d.externalId} is ${d.status}${d.error ? `: ${d.error}` : ''}`);
      if (!expected.documents.has(d.externalId)) problems.push(`${d.externalId} is indexed but should not be`);
    }
    const ids = new Set(live.map((d) => d.externalId));
    for (const id of expected.documents.keys()) if (!ids.has(id)) problems.push(`${id} is missing`);
    for (const id of expected.deleted ?? []) if (ids.has(id)) problems.push(`${id} should be deleted`);

    const find = db.prepare(
      `SELECT DISTINCT d.external_id FROM chunks_fts f JOIN imported_doc_chunks c ON c.id = f.rowid
       JOIN imported_documents d ON d.id = c.imported_document_id WHERE chunks_fts MATCH ?`,
    );
    for (const [id, keyword] of expected.documents) {
      const found = find.pluck().all(keyword) as string[];
      if (found.length !== 1 || found[0] !== id) problems.push(`"${keyword}" finds [${found.join(', ')}], not ${id}`);
    }
    for (const keyword of expected.gone ?? []) {
      const found = find.pluck().all(keyword) as string[];
      if (found.length > 0) problems.push(`"${keyword}" (an old version) still finds [${found.join(', ')}]`);
    }

    const chunks = one(`SELECT COUNT(*) FROM imported_doc_chunks`);
    const fts = one(`SELECT COUNT(*) FROM chunks_fts`);
    if (fts !== chunks) problems.push(`${chunks} chunks but ${fts} FTS rows`);
    const space = db.prepare(`SELECT id FROM embedding_spaces WHERE is_active = 1`).pluck().get() as number | undefined;
    if (space !== undefined) {
      const vectors = one(`SELECT COUNT(*) FROM vec_chunks_${space}`);
      if (vectors !== chunks) problems.push(`${chunks} chunks but ${vectors} vectors`);
      const orphans = one(
        `SELECT COUNT(*) FROM vec_chunks_${space} v WHERE NOT EXISTS (SELECT 1 FROM imported_doc_chunks c WHERE c.id = v.rowid)`,
      );
      if (orphans > 0) problems.push(`${orphans} vectors belong to no chunk`);
    }
    const badOrder = all<{ id: string }>(
      `SELECT imported_document_id AS id FROM imported_doc_chunks GROUP BY imported_document_id
       HAVING MIN(chunk_index) != 0 OR MAX(chunk_index) != COUNT(*) - 1 OR COUNT(DISTINCT chunk_index) != COUNT(*)`,
    );
    if (badOrder.length) problems.push(`${badOrder.length} documents have gaps or duplicates in their chunks`);
    const withoutChunks = one(
      `SELECT COUNT(*) FROM imported_documents d WHERE d.sync_status = 'completed'
       AND NOT EXISTS (SELECT 1 FROM imported_doc_chunks c WHERE c.imported_document_id = d.id)`,
    );
    if (withoutChunks > 0) problems.push(`${withoutChunks} completed documents have no chunks`);

    for (const job of all<{ type: string; status: string; error: string | null; document: string | null }>(
      `SELECT j.type, j.status, j.last_error AS error, d.external_id || ' (' || d.sync_status || ')' AS document
       FROM jobs j LEFT JOIN imported_documents d ON d.id = json_extract(j.payload, '$.documentId')
       WHERE j.status IN ('queued', 'running', 'failed')`,
    )) {
      if (expected.allowKilledOnEveryAttempt && job.status === 'failed' && job.error === LEASE_EXPIRED.message)
        continue;
      const about = job.document ? ` for ${job.document}` : '';
      problems.push(`a ${job.type} job${about} is ${job.status}${job.error ? `: ${job.error}` : ''}`);
    }
    const running = one(`SELECT COUNT(*) FROM connector_sync_logs WHERE status = 'running' OR phase != 'done'`);
    if (running > 0) problems.push(`${running} sync runs never ended`);
    // A run ends with its last document, never before it.
    const early = one(
      `SELECT COUNT(*) FROM connector_sync_logs l
       WHERE l.completed_at < (SELECT MAX(d.processed_at) FROM imported_documents d WHERE d.sync_log_id = l.id)`,
    );
    if (early > 0) problems.push(`${early} sync runs say they ended before their last document was indexed`);
    for (const e of all<{ eventId: string; state: string }>(
      `SELECT event_id AS eventId, processing_state AS state FROM webhook_events WHERE processing_state NOT IN ('processed', 'ignored')`,
    )) {
      problems.push(`webhook event ${e.eventId} is ${e.state}`);
    }
  } finally {
    db.close();
  }
  return problems;
}

/** Expected documents of a folder written by writeNotes (external ids are paths relative to it). */
export function notesIndex(count: number, version: (i: number) => number | null): Map<string, string> {
  const documents = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const v = version(i);
    if (v !== null) documents.set(noteFile(i), marker(i, v));
  }
  return documents;
}

/** One line per crash point for the test output: where it is and whether the restart recovered. */
export function summarise(title: string, results: Array<{ point: string; hit: number; problems: string[] }>): string {
  const ok = results.filter((r) => r.problems.length === 0).length;
  const lines = results.map(
    (r) =>
      `  ${r.problems.length === 0 ? 'recovered' : 'BROKEN   '}  ${r.point}:${r.hit}  (${CRASH_POINTS[r.point as CrashPoint] ?? '?'})` +
      (r.problems.length ? `\n      ${r.problems.slice(0, 5).join('\n      ')}` : ''),
  );
  return `${title}: ${results.length} crash points, ${ok} of ${results.length} recovered\n${lines.join('\n')}`;
}

/** One crash point's outcome, for the summary a scenario prints. */
export interface PointResult {
  point: string;
  hit: number;
  problems: string[];
}

/**
 * The body of every crash-point test: runs `steps` with the point armed at
 * its `hit`, requires the process to have died exactly there, runs
 * `recovery` to the end, and returns what `check` finds wrong afterwards
 * (empty when the restart recovered everything).
 */
export async function killAndRecover(
  world: { dataDir: string; secretsFile: string },
  run: { point: string; hit: number; steps: string[]; recovery: string[]; check: () => string[] },
): Promise<PointResult> {
  const { point, hit } = run;
  const first = await runApp(world, run.steps, { crashAt: `${point}:${hit}` });
  if (first.crashedAt !== point || first.signal !== 'SIGKILL') {
    throw new Error(`did not die at ${point}:${hit} (exit ${first.code}, ${first.signal})\n${first.stderr}`);
  }
  const again = await runApp(world, run.recovery);
  if (again.code !== 0) throw new Error(`the run after the crash failed (exit ${again.code})\n${again.stderr}`);
  return { point, hit, problems: run.check() };
}
