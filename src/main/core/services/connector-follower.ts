import { FolderWatcher, localFolderSettingsSchema } from '../connectors/local-folder';
import type { ConnectorStatus, ConnectorType } from '../connectors/types';
import { writeWhenFree } from '../db/when-free';
import type { Logger } from '../logger';
import type { ConnectorsRepo } from '../store/connectors.repo';

export interface ConnectorFollowerDeps {
  connectors: ConnectorsRepo;
  /** Queues an incremental sync of a connector whose folder changed. */
  requestWatcherSync(connectorId: string): void;
  /** Queues an incremental sync of a folder for what changed while nothing watched it (start-up). */
  requestCatchUpSync(connectorId: string): void;
  /** Debounce of folder watchers, ms. Default 1500. */
  watchDebounceMs?: number;
  /** Whether connectors of this type get a relay channel (RelayClient.supports). */
  receivesWebhooks(type: ConnectorType): boolean;
  /** Opens (idempotently) the relay channel a connector's webhooks arrive on. */
  ensureRelayChannel(connectorId: string): Promise<unknown>;
  /** The relay in use, if any: without one, no channel is opened. */
  relayUrl(): string | null;
  /** Watch local folders (off for the CLI's one-shot commands). */
  watching: boolean;
  /** Poll the relay (off for the CLI's one-shot commands). */
  polling: boolean;
  logger: Logger;
}

/**
 * Whether a folder in this state is watched: active, or failed (a drive that
 * was not connected, a folder left empty), so that it is read again when its
 * files come back. A paused folder is not.
 */
const isWatched = (status: ConnectorStatus | undefined): boolean => status === 'active' || status === 'error';

/** Keeps the folder watcher and the relay channel in line with a connector's current state. */
export class ConnectorFollower {
  private readonly watcher: FolderWatcher;
  /** What each connector was followed as (see followedAs): reconcile() re-follows only those that changed. */
  private readonly followed = new Map<string, string>();
  private closed = false;

  constructor(private readonly deps: ConnectorFollowerDeps) {
    this.watcher = new FolderWatcher({
      onChange: (connectorId) =>
        this.whenFree(() => {
          if (isWatched(deps.connectors.get(connectorId)?.status)) deps.requestWatcherSync(connectorId);
        }, connectorId),
      debounceMs: deps.watchDebounceMs,
      logger: deps.logger,
    });
  }

  /**
   * With `catchUp` (start-up), a watched folder is also synced once its watch
   * is in place: files changed while Trove was closed raise no event, and a
   * change before the watch was ready none either.
   */
  follow(connectorId: string, options: { catchUp?: boolean } = {}): void {
    const { connectors, logger } = this.deps;
    const watcher = this.watcher;
    const connector = connectors.get(connectorId);
    if (connector) this.followed.set(connectorId, followedAs(connector));
    else this.followed.delete(connectorId);
    if (this.deps.watching) {
      if (connector?.type === 'local_folder' && isWatched(connector.status)) {
        void watcher
          .watch(connectorId, localFolderSettingsSchema.parse(connector.settings))
          .catch((error: unknown) => logger.warn('folder watch failed', { connectorId, error: String(error) }))
          // A folder that cannot be watched (gone, unreadable) is synced too: the run records why it fails.
          .finally(() => {
            if (options.catchUp) this.whenFree(() => this.deps.requestCatchUpSync(connectorId), connectorId);
          });
      } else {
        watcher.unwatch(connectorId);
      }
    }
    const receivesWebhooks = connector !== undefined && this.deps.receivesWebhooks(connector.type);
    if (this.deps.polling && receivesWebhooks && this.deps.relayUrl()) {
      void this.deps
        .ensureRelayChannel(connectorId)
        .catch((error: unknown) => logger.warn('relay channel setup failed', { connectorId, error: String(error) }));
    }
  }

  /** At start-up: every connector followed, and every watched folder caught up (see follow). */
  followAll(): void {
    for (const connector of this.deps.connectors.list()) this.follow(connector.id, { catchUp: true });
  }

  /**
   * After another process changed connectors (the CLI beside the app added a
   * folder, say): new ones are followed and caught up, removed ones let go,
   * and those whose watch would differ followed again. Unchanged ones keep
   * their watch: restarting it walks the whole folder. Returns the ids of
   * the connectors added, changed or removed.
   */
  reconcile(): string[] {
    const changed: string[] = [];
    const present = new Set<string>();
    for (const connector of this.deps.connectors.list()) {
      present.add(connector.id);
      const before = this.followed.get(connector.id);
      if (before === followedAs(connector)) continue;
      changed.push(connector.id);
      this.follow(connector.id, { catchUp: before === undefined });
    }
    for (const connectorId of [...this.followed.keys()]) {
      if (present.has(connectorId)) continue;
      changed.push(connectorId);
      this.follow(connectorId);
    }
    return changed;
  }

  close(): Promise<void> {
    this.closed = true;
    return this.watcher.close();
  }

  /** Queues a sync even while another process holds the library's write lock: a change is never dropped. */
  private whenFree(queueSync: () => void, connectorId: string): void {
    writeWhenFree(queueSync, {
      isClosed: () => this.closed,
      onError: (error) =>
        this.deps.logger.error('could not queue a folder sync', { connectorId, error: String(error) }),
    });
  }
}

/** What following a connector depends on: its kind, whether it is watched, and its settings (the folder, the filters). */
function followedAs(connector: { type: ConnectorType; status: ConnectorStatus; settings: unknown }): string {
  return JSON.stringify([connector.type, isWatched(connector.status), connector.settings]);
}
