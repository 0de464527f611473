import { existsSync, statSync } from 'node:fs';
import type { Core } from '../core/app';
import { databaseFile } from '../core/data-dir';
import { schemaVersion } from '../core/db/migrate';
import { freeBytes, probeStorage } from '../core/db/storage-probe';
import { STORAGE_FAULT_MESSAGES, storageFault } from '../../shared/storage-errors';
import { QUANTIZED_ENABLE_AT } from '../core/search/quantized-index';
import { terminalSafe } from './terminal-text';

export interface StatusReport {
  dataDir: string;
  databaseFile: string;
  databaseBytes: number;
  schemaVersion: number;
  connectors: number;
  /** Names of the connectors whose last sync failed (`trove connectors` shows why). */
  failedConnectors: string[];
  documents: Record<string, number>;
  chunks: number;
  queue: Record<string, number>;
  queueByType: Record<string, Record<string, number>>;
  embedding: { provider: string; model: string; status: string };
  /** The active space's fast-search (binary-quantised, IVF) index. */
  fastSearch: { on: boolean; lists: number; enablesAt: number };
  /** Whether the data disk takes writes, checked with a real small write (background work pauses when it does not). */
  storage: { status: 'ok' | 'full' | 'io'; message: string | null; freeBytes: number | null };
}

/** Everything `trove status` reports, gathered without starting any background work. */
export async function collectStatus(core: Core): Promise<StatusReport> {
  const file = databaseFile(core.dataDir);
  const bytes = ['', '-wal', '-shm']
    .map((suffix) => file + suffix)
    .filter((f) => existsSync(f))
    .reduce((sum, f) => sum + statSync(f).size, 0);
  const counts = core.queue.counts();
  const config = core.embeddings.config();
  const active = core.repos.spaces.getActive();
  const connectors = core.repos.connectors.list();
  return {
    dataDir: core.dataDir,
    databaseFile: file,
    databaseBytes: bytes,
    schemaVersion: schemaVersion(core.db),
    connectors: connectors.length,
    failedConnectors: connectors.filter((c) => c.status === 'error').map((c) => c.name),
    documents: core.repos.documents.countsByStatus(),
    chunks: core.repos.documents.chunkCount(),
    queue: counts.byStatus,
    queueByType: counts.byType,
    embedding: {
      provider: config.provider,
      model: config.provider === 'local' ? config.modelId : `${config.model}/${config.dimensions}`,
      status: active ? `space ${active.spaceKey} active` : 'no model ready (keyword search only)',
    },
    fastSearch: { on: active?.quantized ?? false, lists: active?.ivfLists ?? 0, enablesAt: QUANTIZED_ENABLE_AT },
    storage: await checkStorage(core),
  };
}

/** The same probe a paused core runs before it resumes; anything but a storage fault (a busy database) says nothing. */
async function checkStorage(core: Core): Promise<StatusReport['storage']> {
  const free = await freeBytes(core.dataDir);
  try {
    await probeStorage({ db: core.db, dataDir: core.dataDir });
  } catch (error) {
    const fault = storageFault(error);
    if (fault) return { status: fault, message: STORAGE_FAULT_MESSAGES[fault], freeBytes: free };
  }
  return { status: 'ok', message: null, freeBytes: free };
}

export function formatStatus(r: StatusReport): string {
  const mb = (r.databaseBytes / 1024 / 1024).toFixed(2);
  const line = (label: string, value: string | number) => `  ${label.padEnd(16)} ${value}`;
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    'Trove status',
    line('Data folder', terminalSafe(r.dataDir)),
    line('Database', `${terminalSafe(r.databaseFile)} (${mb} MB)`),
    line('Schema version', r.schemaVersion),
    line(
      'Connectors',
      r.failedConnectors.length === 0
        ? r.connectors
        : `${r.connectors} (last sync failed: ${r.failedConnectors.map(terminalSafe).join(', ')}; see \`trove connectors\`)`,
    ),
    line('Documents', kv(r.documents)),
    line('Chunks', r.chunks),
    line('Jobs', kv(r.queue)),
    line('Embeddings', terminalSafe(`${r.embedding.provider} ${r.embedding.model}: ${r.embedding.status}`)),
    line(
      'Storage',
      r.storage.message ??
        `writes ok${r.storage.freeBytes === null ? '' : `, ${(r.storage.freeBytes / 1024 / 1024).toFixed(0)} MB free`}`,
    ),
    line(
      'Fast search',
      r.fastSearch.on
        ? `on (binary-quantised index, ${r.fastSearch.lists} IVF lists)`
        : `off (turns on at ${r.fastSearch.enablesAt.toLocaleString('en-US')} chunks)`,
    ),
  ].join('\n');
}
