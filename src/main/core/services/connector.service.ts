import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { ConnectorStatus, ConnectorType } from '../connectors/types';
import type { StoredConnector } from '../store/connectors.repo';
import type { ConnectorsRepo } from '../store/connectors.repo';
import type { DocumentsRepo } from '../store/documents.repo';
import type { SecretStore } from '../secrets/secret-store';
import { secretAccounts } from '../secrets/secret-store';
import type { SyncType } from '../store/sync-logs.repo';
import { addImportPaths } from '../connectors/local-import';
import { relocateFolderDocuments } from '../store/folder-relocation';
import { writeTransaction } from '../db/write-transaction';

/** The subset of the job queue this service needs. */
export interface SyncQueue {
  enqueueSync(
    connectorId: string,
    options: { mode: 'full' | 'incremental'; syncType: SyncType; onlyExternalIds?: string[]; roots?: string[] },
  ): { jobId: string };
  cancelJobsOf(connectorId: string): void;
}

export interface ConnectorSummary extends StoredConnector {
  documentCounts: Record<string, number>;
  chunkCount: number;
}

export interface RemovalPreview {
  connectorId: string;
  name: string;
  documents: number;
  chunks: number;
}

/**
 * What people do with connectors: add, edit, pause, resume, sync now and
 * remove. Validation of settings is the connector's own (registry); this
 * service owns the bookkeeping around it.
 */
export class ConnectorService {
  constructor(
    private readonly deps: {
      db: Database;
      connectors: ConnectorsRepo;
      documents: DocumentsRepo;
      secrets: SecretStore;
      queue: SyncQueue;
      /** Builds and tests the connector for a config; throws a person-readable AppError. */
      validate(config: StoredConnector): Promise<void>;
      purgeDeletedVectors(): void;
      /** Releases what lives outside the database (e.g. the relay channel) before removal. */
      beforeRemove?(connectorId: string): Promise<void>;
      /** Called after add/remove/status changes so watchers and the relay follow. */
      onChanged?(connector: StoredConnector | undefined, connectorId: string): void;
    },
  ) {}

  list(): ConnectorSummary[] {
    const counts = this.deps.documents.countsByConnector();
    return this.deps.connectors.list().map((c) => ({
      ...c,
      documentCounts: counts.get(c.id) ?? {},
      chunkCount: this.deps.documents.chunkCount(c.id),
    }));
  }

  get(id: string): StoredConnector {
    const connector = this.deps.connectors.get(id);
    if (!connector) throw new AppError('NOT_FOUND', `No connector with id ${id}. It may have been removed.`);
    return connector;
  }

  /**
   * Adds a connector after checking it can connect (a folder that exists, a
   * token that works), then queues its first full sync.
   */
  async add(input: {
    type: ConnectorType;
    name: string;
    settings: Record<string, unknown>;
    id?: string;
    sync?: boolean;
    /** What the first sync is recorded as. Default `manual` (a full first sync). */
    syncType?: SyncType;
  }): Promise<{ connector: StoredConnector; jobId: string | null }> {
    const probe: StoredConnector = {
      id: input.id ?? 'new',
      type: input.type,
      name: input.name,
      settings: input.settings,
      status: 'active',
      syncCursor: null,
      lastSyncAt: null,
      lastError: null,
      createdAt: 0,
      updatedAt: 0,
    };
    await this.deps.validate(probe);
    const connector = this.deps.connectors.create(input);
    this.deps.onChanged?.(connector, connector.id);
    const jobId =
      input.sync === false
        ? null
        : this.deps.queue.enqueueSync(connector.id, { mode: 'full', syncType: input.syncType ?? 'manual' }).jobId;
    return { connector, jobId };
  }

  /**
   * Renames a connector or changes its settings, after checking them. A
   * local folder given a new location (it was moved) keeps its documents:
   * their stored addresses move with it, and a sync reads what changed.
   */
  async update(id: string, changes: { name?: string; settings?: Record<string, unknown> }): Promise<StoredConnector> {
    const current = this.get(id);
    const next = { ...current, name: changes.name ?? current.name, settings: changes.settings ?? current.settings };
    if (changes.settings) await this.deps.validate(next);
    const moved = movedFolder(current, next);
    const updated = writeTransaction(this.deps.db, () => {
      if (moved) relocateFolderDocuments(this.deps.db, id, moved.from, moved.to);
      return this.deps.connectors.update(id, changes)!;
    })();
    this.deps.onChanged?.(updated, id);
    if (moved && updated.status !== 'paused') this.syncNow(id, 'incremental');
    return this.get(id);
  }

  setPaused(id: string, paused: boolean): StoredConnector {
    const current = this.get(id);
    const status: ConnectorStatus = paused ? 'paused' : 'active';
    if (current.status === status) return current;
    this.deps.connectors.setStatus(id, status, paused ? null : current.lastError);
    const updated = this.get(id);
    this.deps.onChanged?.(updated, id);
    return updated;
  }

  syncNow(
    id: string,
    mode: 'full' | 'incremental',
    syncType: SyncType = 'manual',
    roots?: string[],
  ): { jobId: string } {
    const connector = this.get(id);
    if (connector.status === 'paused') {
      throw new AppError('CONFLICT', `${connector.name} is paused. Resume it to sync.`);
    }
    if (connector.status === 'error') this.deps.connectors.setStatus(id, 'active', connector.lastError);
    return this.deps.queue.enqueueSync(id, { mode, syncType, roots });
  }

  /**
   * Imports files and folders through the one built-in import connector,
   * creating it on first use; identical content is stored once.
   */
  async importPaths(paths: readonly string[]): Promise<{ connectorId: string; jobId: string }> {
    const existing = this.deps.connectors.listByType('local_import')[0];
    if (!existing) {
      const { connector, jobId } = await this.add({
        type: 'local_import',
        name: 'Imported files',
        settings: addImportPaths({}, paths),
        syncType: 'import',
      });
      return { connectorId: connector.id, jobId: jobId! };
    }
    await this.update(existing.id, { settings: addImportPaths(existing.settings, paths) });
    if (existing.status === 'paused') this.setPaused(existing.id, false);
    // Only the new paths are scanned: earlier imports are not read again.
    const roots = addImportPaths({}, paths).paths;
    return { connectorId: existing.id, ...this.syncNow(existing.id, 'incremental', 'import', roots) };
  }

  previewRemoval(id: string): RemovalPreview {
    const connector = this.get(id);
    const counts = this.deps.documents.countsByConnector().get(id) ?? {};
    const documents = Object.entries(counts)
      .filter(([status]) => status !== 'deleted')
      .reduce((sum, [, n]) => sum + n, 0);
    return { connectorId: id, name: connector.name, documents, chunks: this.deps.documents.chunkCount(id) };
  }

  /** Removes the connector with its documents, chunks, vectors, logs and secrets. */
  async remove(id: string): Promise<RemovalPreview> {
    const preview = this.previewRemoval(id);
    this.deps.queue.cancelJobsOf(id);
    await this.deps.beforeRemove?.(id);
    writeTransaction(this.deps.db, () => this.deps.connectors.remove(id))();
    this.deps.purgeDeletedVectors();
    await this.deps.secrets.delete(secretAccounts.connectorToken(id)).catch(() => false);
    await this.deps.secrets.delete(secretAccounts.relayPollSecret(id)).catch(() => false);
    this.deps.onChanged?.(undefined, id);
    return preview;
  }
}

/** A local folder's old and new location, when an update moves it. */
function movedFolder(current: StoredConnector, next: StoredConnector): { from: string; to: string } | null {
  if (current.type !== 'local_folder') return null;
  const from = current.settings.path;
  const to = next.settings.path;
  return typeof from === 'string' && typeof to === 'string' && from !== to ? { from, to } : null;
}
