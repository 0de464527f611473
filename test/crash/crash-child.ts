// One run of the app for the crash-point tests: opens a real core on a data
// folder and performs the steps given on the command line, in order, then
// closes it. The parent arms TROVE_CRASH_AT so that some runs die part-way
// (SIGKILL) and checks that the next run recovers everything.
//
// Usage: crash-child <dataDir> <secretsFile> <step>...
// Steps:
//   model=<hubUrl>             download the tiny model from a fake hub and make it the active space
//   relay=<url>                point the desktop at a webhook relay and poll it
//   add-folder=<path>          connect a local folder (its first sync is queued)
//   ensure-folder=<path>       connect a local folder unless it already is
//   repoint=<path>             point the local folder connector at another path (a copied library)
//   add-notion=<id>,<apiUrl>   connect Notion (token from the secrets file), open its relay channel;
//                              prints "WEBHOOK <url>"
//   relay-cursor=<id>,<n>      wait until the desktop stored the relay's events up to sequence n
//   sync                       sync every active connector now (incremental)
//   idle                       wait until the queue has nothing queued or running
//   retry-failed               retry every failed document (the app's Retry), as a person would after repeated crashes
//   cancel-run                 as soon as a run has queued documents to index, cancel it (the app's Cancel), so it
//                              leaves documents unindexed for the next sync
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createCore } from '../../src/main/core/app';
import { createTroveApi } from '../../src/main/core/api/trove-api';
import { AppError } from '../../src/shared/errors';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import { silentLogger } from '../../src/main/core/logger';
import { secretAccounts, type SecretStore } from '../../src/main/core/secrets/secret-store';

/** Secrets in a JSON file, so they outlive the process like the keychain does (test fixture only). */
class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}
  private read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
  async get(account: string): Promise<string | null> {
    return this.read()[account] ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    writeFileSync(this.file, JSON.stringify({ ...this.read(), [account]: secret }));
  }
  async delete(account: string): Promise<boolean> {
    const all = this.read();
    if (!(account in all)) return false;
    delete all[account];
    writeFileSync(this.file, JSON.stringify(all));
    return true;
  }
  async list(): Promise<string[]> {
    return Object.keys(this.read());
  }
}

const [dataDir, secretsFile, ...steps] = process.argv.slice(2);
if (!dataDir || !secretsFile) throw new Error('usage: crash-child <dataDir> <secretsFile> <step>...');
const arg = (name: string): string | undefined => steps.find((s) => s.startsWith(`${name}=`))?.slice(name.length + 1);

// Exit code 13 means an await below never settled while nothing kept the
// process alive (Node then passes 0 to 'exit' and sets process.exitCode), and
// nothing says which await. Name the step in stderr, which the parent's
// failure message shows.
let stage = 'start-up';
process.on('exit', () => {
  if (process.exitCode === 13) writeSync(2, `crash-child: an await never settled during "${stage}"\n`);
});

const secrets = new FileSecretStore(secretsFile);
const relayUrl = arg('relay');
const core = await createCore({
  dataDir,
  secrets,
  logger: silentLogger,
  modelHubUrl: arg('model'),
  watch: false,
  relay: relayUrl !== undefined,
  // Short leases so the next run reclaims a killed run's jobs quickly.
  leaseMs: 1500,
  webhookSyncDelayMs: 0,
  searchIndexPolicy: indexPolicy(arg('index-at')),
});

/**
 * `index-at=N,L`: build the fast-search index from N vectors, split into
 * lists from L (the app's 100,000 and 50,000 are more than a test library holds).
 */
function indexPolicy(value: string | undefined): { enableAt: number; partitionAt: number } | undefined {
  if (!value) return undefined;
  const [enableAt, partitionAt] = value.split(',').map(Number) as [number, number];
  return { enableAt, partitionAt };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

for (const step of steps) {
  stage = step;
  const [name, value = ''] = step.split(/=(.*)/s, 2) as [string, string?];
  switch (name) {
    case 'model':
      await core.embeddings.download(TINY_TEST_MODEL.id);
      await core.embeddings.configure({ provider: 'local', modelId: TINY_TEST_MODEL.id });
      break;
    case 'relay':
      core.repos.settings.set('relay.url', value);
      break;
    case 'add-folder':
      await core.connectors.add({ type: 'local_folder', name: 'Crash test folder', settings: { path: value } });
      break;
    case 'ensure-folder':
      if (!core.repos.connectors.listByType('local_folder').some((c) => c.settings.path === value)) {
        await core.connectors.add({ type: 'local_folder', name: 'Crash test folder', settings: { path: value } });
      }
      break;
    case 'repoint':
      for (const c of core.repos.connectors.listByType('local_folder')) {
        await core.connectors.update(c.id, { settings: { ...c.settings, path: value } });
      }
      break;
    case 'add-notion': {
      const [id, apiUrl] = value.split(',') as [string, string];
      const token = await secrets.get('notion-token');
      if (!token) throw new Error('the parent must store "notion-token" in the secrets file');
      await secrets.set(secretAccounts.connectorToken(id), token);
      await core.connectors.add({ id, type: 'notion', name: 'Crash test Notion', settings: { apiBaseUrl: apiUrl } });
      await core.relay.ensureChannel(id);
      process.stdout.write(`WEBHOOK ${(await core.relay.webhookInfo(id)).webhookUrl}\n`);
      break;
    }
    case 'relay-cursor': {
      const [id, sequence] = value.split(',') as [string, string];
      const cursor = (): number =>
        (core.db.prepare(`SELECT last_sequence FROM relay_channels WHERE connector_id = ?`).pluck().get(id) ??
          0) as number;
      await until(() => cursor() >= Number(sequence), `relay cursor ${sequence}`);
      break;
    }
    case 'sync':
      for (const c of core.repos.connectors.list())
        if (c.status !== 'paused') core.connectors.syncNow(c.id, 'incremental');
      break;
    case 'idle':
      await core.idle();
      break;
    case 'index-at':
      break; // read at start-up
    case 'index':
      // What the app does a little after documents are indexed (services/search-index-maintenance.ts).
      core.queue.enqueue('maintain_search_index', {}, { key: 'maintain-search-index', priority: -2 });
      await core.idle();
      break;
    case 'retry-failed': {
      // What a person does in the app after repeated crashes: Retry on the failed documents.
      const handle = createTroveApi(core, { version: 'crash-test' });
      for (const c of core.repos.connectors.list()) {
        await handle.api.retryDocuments({ connectorId: c.id }).catch((error: unknown) => {
          if (!AppError.is(error, 'NOT_FOUND')) throw error; // nothing failed there
        });
      }
      handle.close();
      break;
    }
    case 'cancel-run': {
      const queuedRun = (): string | undefined =>
        core.db
          .prepare(`SELECT id FROM connector_sync_logs WHERE phase != 'done' AND documents_to_index > 0 LIMIT 1`)
          .pluck()
          .get() as string | undefined;
      // Polled often: the queue indexes the run's documents meanwhile, and the cancel must leave some.
      await until(() => queuedRun() !== undefined, 'a run with documents to index', 60_000, 1);
      const handle = createTroveApi(core, { version: 'crash-test' });
      await handle.api.cancelRun({ syncLogId: queuedRun()! });
      handle.close();
      break;
    }
    default:
      throw new Error(`unknown step ${step}`);
  }
}
stage = 'close';
await core.close();
process.stdout.write('DONE\n');
