import { relative, sep } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import type { Clock } from '../../clock';
import { systemClock } from '../../clock';
import type { Logger } from '../../logger';
import { silentLogger } from '../../logger';
import { createPathFilter, type PathFilter } from '../fs/path-filter';
import type { LocalFolderSettings } from './settings';

/** A running file-system watch; `close` stops it. */
export interface WatchHandle {
  close(): Promise<void>;
}

export interface StartWatchOptions {
  /** True for paths whose events do not matter (excluded files and folders). */
  ignored(absolutePath: string, kind: 'file' | 'directory' | 'unknown'): boolean;
  followSymlinks: boolean;
  /** Called for every relevant add/change/unlink/addDir/unlinkDir. */
  onEvent(absolutePath: string, kind: 'file' | 'directory'): void;
  onError(error: Error): void;
}

/** Starts watching a folder; resolves once the initial scan is done and events will flow. Injectable for tests. */
export type StartWatch = (root: string, options: StartWatchOptions) => Promise<WatchHandle>;

export interface FolderWatcherOptions {
  /** Called once per burst of changes; the caller enqueues an incremental sync (with a dedupe key). */
  onChange(connectorId: string): void;
  /** Quiet time after the last change before `onChange` fires. Default 1500 ms. */
  debounceMs?: number;
  /** A steady stream of changes still triggers a sync at least this often. Default 15 000 ms. */
  maxWaitMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** How to watch a folder. Default: chokidar 4. */
  startWatch?: StartWatch;
}

interface Watched {
  handle: WatchHandle;
  timer: unknown;
  /** When the first not-yet-reported change of the current burst happened. */
  burstStartedAt: number | null;
}

/**
 * Watches local folders while the app (or `serve`) runs and turns bursts of
 * changes into one `onChange(connectorId)` each. Excluded paths (the
 * connector's exclude globs, and files outside its include globs) never
 * trigger anything. The watcher only says "something changed"; the
 * incremental sync works out what.
 */
export class FolderWatcher {
  private readonly watched = new Map<string, Watched>();
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly startWatch: StartWatch;
  private closed = false;
  /** Bumped by every watch/unwatch, so a watch that finishes starting after a newer call closes itself. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly options: FolderWatcherOptions) {
    this.debounceMs = options.debounceMs ?? 1500;
    this.maxWaitMs = options.maxWaitMs ?? 15_000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.startWatch = options.startWatch ?? startChokidarWatch;
  }

  /** Starts (or restarts, with new settings) watching a connector's folder. */
  async watch(connectorId: string, settings: LocalFolderSettings): Promise<void> {
    await this.unwatch(connectorId);
    const generation = this.bump(connectorId);
    if (this.closed) return;
    const filter = createPathFilter(settings);
    const root = settings.path;
    const handle = await this.startWatch(root, {
      followSymlinks: settings.followSymlinks,
      ignored: (absolutePath, kind) => isIgnored(filter, root, absolutePath, kind),
      onEvent: () => this.changed(connectorId),
      onError: (error) =>
        this.logger.warn('folder watcher error', { connectorId, error: error.message, code: errorCode(error) }),
    });
    // unwatch(), close() or a newer watch() may have run while this one was starting.
    if (this.closed || this.generations.get(connectorId) !== generation) {
      await handle.close();
      return;
    }
    this.watched.set(connectorId, { handle, timer: undefined, burstStartedAt: null });
  }

  async unwatch(connectorId: string): Promise<void> {
    this.bump(connectorId);
    const entry = this.watched.get(connectorId);
    if (!entry) return;
    this.watched.delete(connectorId);
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    await entry.handle.close();
  }

  isWatching(connectorId: string): boolean {
    return this.watched.has(connectorId);
  }

  /** Stops every watch; pending (debounced) changes are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.watched.keys()].map((id) => this.unwatch(id)));
  }

  private bump(connectorId: string): number {
    const next = (this.generations.get(connectorId) ?? 0) + 1;
    this.generations.set(connectorId, next);
    return next;
  }

  private changed(connectorId: string): void {
    const entry = this.watched.get(connectorId);
    if (!entry) return;
    const now = this.clock.now();
    entry.burstStartedAt ??= now;
    if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
    // Trailing debounce, but never later than maxWait after the burst began.
    const delay = Math.max(0, Math.min(this.debounceMs, entry.burstStartedAt + this.maxWaitMs - now));
    entry.timer = this.clock.setTimeout(() => this.fire(connectorId), delay);
  }

  private fire(connectorId: string): void {
    const entry = this.watched.get(connectorId);
    if (!entry) return;
    entry.timer = undefined;
    entry.burstStartedAt = null;
    try {
      this.options.onChange(connectorId);
    } catch (error) {
      this.logger.error('folder change callback failed', { connectorId, error: String(error) });
    }
  }
}

function isIgnored(
  filter: PathFilter,
  root: string,
  absolutePath: string,
  kind: 'file' | 'directory' | 'unknown',
): boolean {
  const rel = relative(root, absolutePath);
  if (rel === '') return false;
  if (rel.startsWith('..')) return true;
  const relativePath = sep === '/' ? rel : rel.split(sep).join('/');
  // Before chokidar has stat'ed a path we do not know whether it is a folder:
  // only exclusions can be applied then, never the include globs (`*.md`
  // must not hide the folders that contain markdown files).
  if (kind === 'file') return !filter.isFileIncluded(relativePath);
  return filter.isDirectoryExcluded(relativePath);
}

function errorCode(error: Error): unknown {
  return (error as { code?: unknown }).code;
}

/** The production watch: chokidar 4, no initial events, atomic-save aware. */
export const startChokidarWatch: StartWatch = (root, options) =>
  new Promise((resolve, reject) => {
    const watcher = chokidarWatch(root, {
      ignoreInitial: true,
      followSymlinks: options.followSymlinks,
      ignored: (path, stats) => options.ignored(path, stats ? (stats.isDirectory() ? 'directory' : 'file') : 'unknown'),
    });
    let ready = false;
    watcher.on('all', (event, path) => {
      const kind = event === 'addDir' || event === 'unlinkDir' ? 'directory' : 'file';
      // `ignored` saw no stats for unlink events; apply the include globs now.
      if (kind === 'file' && options.ignored(path, 'file')) return;
      options.onEvent(path, kind);
    });
    watcher.on('error', (error) => {
      const err = error instanceof Error ? error : new Error(String(error));
      if (!ready) {
        ready = true;
        void watcher.close();
        reject(err);
        return;
      }
      options.onError(err);
    });
    watcher.on('ready', () => {
      ready = true;
      resolve({ close: () => watcher.close() });
    });
  });
