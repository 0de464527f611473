/**
 * Test harness for the local connectors: plays the sync_connector handler's
 * part (keeps the `known` documents, applies batches) without a database, so
 * the connector's own decisions are what the tests see.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ManualClock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { KnownStore as BaseKnownStore } from '../helpers/known-store';
import type {
  Connector,
  ConnectorContext,
  ConnectorType,
  SourceDocument,
  SyncBatch,
  SyncOptions,
  SyncProgress,
  SyncResult,
} from '../../src/main/core/connectors/types';

export function connectorContext(type: ConnectorType, settings: Record<string, unknown>): ConnectorContext {
  return {
    config: { id: `test-${type}`, type, name: 'test', settings, status: 'active', syncCursor: null, lastSyncAt: null },
    secrets: new MemorySecretStore(),
    fetch,
    logger: silentLogger,
    clock: new ManualClock(),
  };
}

export interface SyncRun {
  batches: SyncBatch[];
  upserts: SourceDocument[];
  deletions: string[];
  result: SyncResult;
  progress: SyncProgress[];
  bytesTransferred: number;
}

/** Remembers what the handler would have stored, and runs syncs against it. */
export class KnownStore extends BaseKnownStore {
  async sync(connector: Connector, overrides: Partial<Omit<SyncOptions, 'known'>> = {}): Promise<SyncRun> {
    const progress: SyncProgress[] = [];
    const stats = { apiCalls: 0, bytesTransferred: 0 };
    const generator = connector.sync({
      mode: 'incremental',
      cursor: this.cursor,
      signal: new AbortController().signal,
      progress: (p) => progress.push(p),
      stats,
      ...overrides,
      known: this.known,
    });
    const batches: SyncBatch[] = [];
    for (;;) {
      const next = await generator.next();
      if (next.done) {
        this.cursor = next.value.cursor;
        const upserts = batches.flatMap((b) => b.upserts);
        const deletions = batches.flatMap((b) => b.deletions);
        return { batches, upserts, deletions, result: next.value, progress, bytesTransferred: stats.bytesTransferred };
      }
      this.apply(next.value);
      batches.push(next.value);
    }
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `trove-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes a file (creating folders) and, optionally, sets its mtime. */
export function writeFile(root: string, relativePath: string, content: string | Uint8Array, mtime?: Date): string {
  const path = join(root, ...relativePath.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  if (mtime) utimesSync(path, mtime, mtime);
  return path;
}

export async function loadText(doc: SourceDocument): Promise<string> {
  const content = await doc.load(new AbortController().signal);
  return content.kind === 'bytes' ? Buffer.from(content.bytes).toString('utf8') : content.text;
}

export function ids(docs: SourceDocument[]): string[] {
  return docs.map((d) => d.externalId).sort();
}
