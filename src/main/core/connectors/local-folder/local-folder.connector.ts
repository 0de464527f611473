import { access, constants, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { AppError } from '../../../../shared/errors';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import { parseConnectorSettings } from '../registry';
import type {
  Connector,
  ConnectorContext,
  ConnectorFactory,
  SyncBatch,
  SyncOptions,
  SyncResult,
  WebhookAction,
} from '../types';
import { fsPathOf } from '../fs/file-names';
import { isMissingError } from '../fs/fs-errors';
import { specialKindOf } from '../fs/open-file';
import { createPathFilter, type PathFilter } from '../fs/path-filter';
import { ignoredUnder } from '../fs/ignore-files';
import { walkFiles, type WalkedFile } from '../fs/walk';
import { refuseEmptiedRoot } from './emptied-root';
import { FolderScan } from './folder-scan';
import { localFolderSettingsSchema, type LocalFolderCursor, type LocalFolderSettings } from './settings';

export interface LocalFolderConnectorOptions {
  /** Upserts per yielded batch. Default 100. */
  batchSize?: number;
  /** Files read and hashed at the same time. Default 64. */
  readConcurrency?: number;
  /**
   * Files up to this size keep the bytes read while hashing, so `load` does
   * not read them again; larger ones are re-read on `load`. Default 256 KB,
   * which bounds a batch of 100 to about 25 MB at worst.
   */
  keepBytesUpTo?: number;
}

const DEFAULTS = { batchSize: 100, readConcurrency: 256, keepBytesUpTo: 256 * 1024 };

/**
 * Indexes one folder on this computer.
 *
 * Change detection, the same in `full` and `incremental` mode (every sync
 * walks the whole tree; the incremental state is size+mtime+hash in `known`):
 * - size and mtime equal to the stored ones: unchanged, not yielded;
 * - otherwise the file is read and hashed. A different hash is a change. The
 *   SAME hash (the file was touched, or saved without edits) is still yielded,
 *   with the unchanged contentHash, so the handler stores the new size/mtime
 *   and skips reprocessing; otherwise the file would be re-hashed every sync.
 * - a stored id not met during a complete walk is a deletion. A rename is
 *   therefore a deletion plus an upsert with the old contentHash, which lets
 *   the handler reuse the processed chunks by hash.
 * - files over `maxFileSizeBytes` (or over what the parsers accept, 50 MB)
 *   are yielded with a skipReason and never read.
 * - every entry seen gets a record: named pipes, sockets and devices, and
 *   folders or files that cannot be opened, are yielded with a skipReason
 *   (a folder's id ends in `/`). Names that are not UTF-8 are opened by
 *   their bytes and stored escaped (see fs/file-names.ts).
 * Nothing under a folder or file that exists but cannot be read is deleted,
 * and a root left empty keeps its documents until a full sync (emptied-root.ts).
 *
 * Mail files hold several documents (fs/mail): an .eml is its message plus
 * one document per attachment (`<path>#attachment:<part>`); an mbox is
 * streamed into one document per message (`<path>#<Message-ID>`) and their
 * attachments, plus the mailbox's own record, whose metadata says where the
 * last scan stopped so a mailbox that only grew is read from there on. The
 * folder's size limit applies to each message, not to the mailbox.
 */
export class LocalFolderConnector implements Connector {
  readonly type = 'local_folder' as const;
  readonly supportsWebhooks = false;
  private readonly filter: PathFilter;
  private readonly options: Required<LocalFolderConnectorOptions>;

  constructor(
    readonly settings: LocalFolderSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: LocalFolderConnectorOptions = {},
  ) {
    this.filter = createPathFilter(settings);
    this.options = { ...DEFAULTS, ...options };
  }

  async testConnection(): Promise<void> {
    const root = this.settings.path;
    try {
      const s = await stat(root);
      if (!s.isDirectory()) {
        throw new AppError('UNAVAILABLE', `${root} is a file, not a folder. Choose a folder to index.`, {
          details: { path: root },
        });
      }
      await access(root, constants.R_OK | constants.X_OK);
    } catch (error) {
      if (AppError.is(error)) throw error;
      throw new AppError('UNAVAILABLE', `The folder ${root} does not exist or cannot be read.`, {
        cause: error,
        details: { path: root },
      });
    }
  }

  async *sync(options: SyncOptions): AsyncGenerator<SyncBatch, SyncResult, void> {
    const startedAt = this.clock.now();
    const scan = new FolderScan(this.settings, this.options, options, this.logger);
    const complete = yield* scan.run(
      options.onlyExternalIds ? this.statIds(options.onlyExternalIds, scan) : this.listFirst(options, scan),
    );
    if (!complete || options.onlyExternalIds) return { cursor: options.cursor };
    const cursor: LocalFolderCursor = { lastFullScanAt: startedAt };
    return { cursor };
  }

  async handleWebhook(): Promise<WebhookAction[]> {
    return [
      { kind: 'ignore', reason: 'Local folders do not receive webhooks; the folder watcher starts their syncs.' },
    ];
  }

  /**
   * Walks the whole tree before reading anything, so the sync knows from the
   * start how many files it will look at: progress has a real denominator
   * ("Reading 1,200 of 4,613 files"), not a count that keeps growing. The
   * walk only stats; a list of 100,000 files is a few megabytes.
   */
  private async *listFirst(options: SyncOptions, scan: FolderScan): AsyncGenerator<WalkedFile[]> {
    const groups: WalkedFile[][] = [];
    let total = 0;
    for await (const group of this.walk(options, scan)) {
      groups.push(group);
      total += group.length;
    }
    if (total === 0) await refuseEmptiedRoot(this.settings.path, options);
    scan.listed(total);
    yield* groups;
  }

  private walk(options: SyncOptions, scan: FolderScan): AsyncGenerator<WalkedFile[]> {
    return walkFiles(this.settings.path, {
      filter: this.filter,
      followSymlinks: this.settings.followSymlinks,
      respectGitignore: this.settings.respectGitignore,
      signal: options.signal,
      onUnreadable: (entry) => scan.protect(entry),
    });
  }

  /** For `onlyExternalIds`: stat just those files. A missing or now-excluded file is a deletion. */
  private async *statIds(ids: string[], scan: FolderScan): AsyncGenerator<WalkedFile[]> {
    // A vanished root (an unplugged drive) must fail the sync, not delete every requested id.
    await this.testConnection();
    const files: WalkedFile[] = [];
    const isIgnored = this.settings.respectGitignore ? ignoredUnder(this.settings.path) : undefined;
    for (const id of new Set(ids)) {
      const normalised = posix.normalize(id);
      // Ids are relative posix paths; anything else cannot be ours and must not escape the root.
      if (normalised !== id || id.startsWith('/') || id.startsWith('../') || id === '..') continue;
      if (!this.filter.isFileIncluded(id) || this.insideExcludedFolder(id)) continue;
      if (await isIgnored?.(id)) continue;
      const absolutePath = join(this.settings.path, ...id.split('/'));
      const fsPath = fsPathOf(absolutePath);
      try {
        const s = await stat(fsPath);
        const special = specialKindOf(s);
        if (s.isFile() || special) {
          files.push({
            absolutePath,
            fsPath,
            relativePath: id,
            sizeBytes: special ? 0 : s.size,
            mtimeMs: s.mtimeMs,
            ...(special ? { special } : {}),
          });
        }
      } catch (error) {
        if (!isMissingError(error)) scan.protect({ kind: 'file', relativePath: id, absolutePath, error });
      }
    }
    yield files;
  }

  private insideExcludedFolder(relativePath: string): boolean {
    const parts = relativePath.split('/');
    for (let i = 1; i < parts.length; i++) {
      if (this.filter.isDirectoryExcluded(parts.slice(0, i).join('/'))) return true;
    }
    return false;
  }
}
/** Builds a factory with tuning options (tests use small batches). */
export function createLocalFolderConnectorFactory(options: LocalFolderConnectorOptions = {}): ConnectorFactory {
  return (context: ConnectorContext) => {
    const settings = parseConnectorSettings('local_folder', localFolderSettingsSchema, context.config.settings);
    return new LocalFolderConnector(settings, context.clock, context.logger, options);
  };
}

/** The `local_folder` factory for the registry. */
export const localFolderConnectorFactory: ConnectorFactory = createLocalFolderConnectorFactory();
