/**
 * Runs syncs with a real core in a child process and reports what every
 * document ended as, plus the process's peak RSS (all threads: parser
 * workers and the embedder included). The child can run as another user
 * (uid/gid), which is how permission tests stay honest when the tests run as
 * root. Used by test/integration/hostile-files.test.ts and bench/hostile.bench.ts.
 *
 * Child mode: `node --import tsx test/helpers/sync-runner.ts <plan as JSON>`.
 */
import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One step of a run, in order. */
export type RunStep =
  | { addFolder: string; maxSizeMb?: number }
  | { importPaths: string[] }
  | { chmod: string; mode: number }
  /** A full sync of every connector, one after the other. */
  | { syncAll: true }
  /** Records every document's outcome under this label. */
  | { report: string }
  /** A keyword search; its hits are recorded under the query. */
  | { search: string };

export interface RunPlan {
  dataDir: string;
  /** A model hub serving the tiny test model: downloaded and made active first (as a person's app would be). */
  hubUrl?: string;
  steps: RunStep[];
}

export interface DocumentOutcome {
  connector: string;
  externalId: string;
  title: string;
  status: string;
  error: string | null;
  chunks: number;
}

export interface SearchHit {
  title: string;
  /** Pages of the passages shown (PDFs), in result order. */
  pages: Array<number | null>;
}

export interface RunReport {
  reports: Record<string, DocumentOutcome[]>;
  searches: Record<string, SearchHit[]>;
  /** The kernel's peak resident set size of the child, bytes. */
  maxRssBytes: number;
  /** Time from the first step to the end of the last, ms. */
  wallMs: number;
}

const RESULT_PREFIX = 'SYNC_RUNNER_RESULT ';
const SCRIPT = fileURLToPath(import.meta.url);

export interface RunOptions {
  /** Run the child as this user (needs root). */
  uid?: number;
  gid?: number;
  /** Kill the child after this long. Default 10 minutes. */
  timeoutMs?: number;
}

/** Runs a plan in a child process and resolves with its report; rejects with its output when it fails. */
export function runInChild(plan: RunPlan, options: RunOptions = {}): Promise<RunReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(plan)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
    // HOME of `nobody` does not exist; nothing here needs one, but tools may look.
    env: { ...process.env, HOME: process.env.HOME ?? '/tmp' },
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`the sync runner exited with ${code ?? signal}:\n${out}\n${err}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as RunReport);
    });
  });
}

async function runPlan(plan: RunPlan): Promise<RunReport> {
  const { createCore } = await import('../../src/main/core/app');
  const { MemorySecretStore } = await import('../../src/main/core/secrets/secret-store');
  const { TINY_TEST_MODEL } = await import('../../src/main/core/embeddings/manifests');
  const { addFolder, importPaths } = await import('../../src/main/cli/connectors.command');
  const core = await createCore({
    dataDir: plan.dataDir,
    secrets: new MemorySecretStore(),
    modelHubUrl: plan.hubUrl,
    watch: false,
    relay: false,
  });
  try {
    if (plan.hubUrl) {
      await core.embeddings.download(TINY_TEST_MODEL.id);
      await core.embeddings.configure({ provider: 'local', modelId: TINY_TEST_MODEL.id });
    }
    await core.idle();
    const reports: Record<string, DocumentOutcome[]> = {};
    const searches: Record<string, SearchHit[]> = {};
    const started = performance.now();
    for (const step of plan.steps) {
      if ('addFolder' in step) {
        await addFolder(core, step.addFolder, { maxSizeMb: step.maxSizeMb });
      } else if ('importPaths' in step) {
        await importPaths(core, step.importPaths);
      } else if ('chmod' in step) {
        chmodSync(step.chmod, step.mode);
      } else if ('syncAll' in step) {
        for (const connector of core.repos.connectors.list()) {
          core.connectors.syncNow(connector.id, 'full');
          await core.idle();
        }
      } else if ('search' in step) {
        const { groups } = await core.search.search({ query: step.search, mode: 'keyword', limit: 5 });
        searches[step.search] = groups.map((g) => ({ title: g.document.title, pages: g.chunks.map((c) => c.page) }));
      } else {
        await core.idle();
        reports[step.report] = outcomes(core);
      }
      await core.idle();
    }
    const wallMs = performance.now() - started;
    // Linux reports maxRSS in kilobytes.
    return { reports, searches, maxRssBytes: process.resourceUsage().maxRSS * 1024, wallMs };
  } finally {
    await core.close();
  }
}

function outcomes(core: Awaited<ReturnType<typeof import('../../src/main/core/app').createCore>>): DocumentOutcome[] {
  const names = new Map(core.repos.connectors.list().map((c) => [c.id, c.name]));
  const { items } = core.repos.documents.list({ limit: 10_000 });
  return items
    .filter((doc) => doc.syncStatus !== 'deleted')
    .map((doc) => ({
      connector: names.get(doc.connectorId) ?? doc.connectorId,
      externalId: doc.externalId,
      title: doc.title,
      status: doc.syncStatus,
      error: doc.syncError,
      chunks: doc.chunkCount,
    }))
    .sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0));
}

if (process.argv[1] === SCRIPT && process.argv[2]) {
  const report = await runPlan(JSON.parse(process.argv[2]) as RunPlan);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(report)}\n`);
  // Workers are unref'd, but the measurement is done: do not wait for idle timers.
  process.exit(0);
}
