import { access, constants, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { AppError } from '../../../../shared/errors';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import { parseConnectorSettings } from '../registry';
import type {
  Connector,
  ConnectorContext,
  ConnectorFactory,
  SourceDocument,
  SyncBatch,
  SyncOptions,
  SyncResult,
  WebhookAction,
} from '../types';
import {
  isPlaceholderHash,
  overSizeHash,
  sameSizeAndMtime,
  specialFileHash,
  unlistedHash,
  unreadableHash,
} from '../fs/change-detection';
import { fileSourceDocument, skippedPathDocument } from '../fs/file-document';
import { fsPathOf } from '../fs/file-names';
import {
  fsErrorCode,
  isMissingError,
  throwIfCancelled,
  unreadableFolderReason,
  unreadableReason,
} from '../fs/fs-errors';
import { STREAM_HASH_THRESHOLD_BYTES } from '../fs/hash';
import { hashBatch } from '../fs/hash-batch';
import { fileExtension } from '../fs/mime';
import { specialFileReason, specialKindOf } from '../fs/open-file';
import { createPathFilter, type PathFilter } from '../fs/path-filter';
import { fileSizeLimit, type SizeLimit } from '../fs/size-limit';
import { isMailboxPath, isMessagePath } from '../fs/mail/mail-files';
import { FolderMail } from './folder-mail';
import { walkFiles, type UnreadableEntry, type WalkedFile } from '../fs/walk';
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
/** Bytes read at once are capped too: 64 files of 8 MB must not all sit in memory together. */
const MAX_PENDING_READ_BYTES = 64 * 1024 * 1024;
/** How often (in files examined) progress is reported between batches. */
const PROGRESS_EVERY = 250;

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
 * Nothing under a folder or file that exists but cannot be read is deleted.
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
    scan.listed(total);
    yield* groups;
  }

  private walk(options: SyncOptions, scan: FolderScan): AsyncGenerator<WalkedFile[]> {
    return walkFiles(this.settings.path, {
      filter: this.filter,
      followSymlinks: this.settings.followSymlinks,
      signal: options.signal,
      onUnreadable: (entry) => scan.protect(entry),
    });
  }

  /** For `onlyExternalIds`: stat just those files. A missing or now-excluded file is a deletion. */
  private async *statIds(ids: string[], scan: FolderScan): AsyncGenerator<WalkedFile[]> {
    // A vanished root (an unplugged drive) must fail the sync, not delete every requested id.
    await this.testConnection();
    const files: WalkedFile[] = [];
    for (const id of new Set(ids)) {
      const normalised = posix.normalize(id);
      // Ids are relative posix paths; anything else cannot be ours and must not escape the root.
      if (normalised !== id || id.startsWith('/') || id.startsWith('../') || id === '..') continue;
      if (!this.filter.isFileIncluded(id) || this.insideExcludedFolder(id)) continue;
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

/** The state of one sync run: what was seen, what is waiting to be hashed, the batch being filled. */
class FolderScan {
  private readonly seen = new Set<string>();
  private readonly unreadable: string[] = [];
  private readonly pendingReads: WalkedFile[] = [];
  private pendingReadBytes = 0;
  private readonly upserts: SourceDocument[] = [];
  private readonly limit: SizeLimit;
  private readonly mail: FolderMail;
  private yielded = 0;
  private examined = 0;
  private lastReported = 0;
  /** How many files the walk found, once it is complete. */
  private total: number | null = null;

  constructor(
    private readonly settings: LocalFolderSettings,
    private readonly tuning: Required<LocalFolderConnectorOptions>,
    private readonly options: SyncOptions,
    private readonly logger: Logger,
  ) {
    this.limit = fileSizeLimit(settings.maxFileSizeBytes, 'this folder');
    this.mail = new FolderMail({
      options,
      limit: this.limit,
      keepBytesUpTo: tuning.keepBytesUpTo,
      logger,
      seen: this.seen,
      document: (file, hash, extra) => this.document(file, hash, extra),
      metadataOf: (file) => this.metadataOf(file),
    });
  }

  /** The walk is complete: `total` files will be examined. */
  listed(total: number): void {
    this.total = total;
    this.options.progress({ processed: 0, total, message: `Found ${total} files` });
  }

  /**
   * Something under the root could not be read: keep its known documents,
   * and record it (a folder as `<path>/`) with the reason.
   */
  protect(entry: UnreadableEntry): void {
    const { kind, relativePath, absolutePath, error } = entry;
    const code = fsErrorCode(error);
    this.unreadable.push(relativePath);
    this.logger.warn('cannot read part of the folder; its documents are kept', { relativePath, code });
    const externalId = kind === 'folder' ? `${relativePath}/` : relativePath;
    this.seen.add(externalId);
    const contentHash = unlistedHash(kind, code);
    if (this.options.known.get(externalId)?.contentHash === contentHash) return;
    this.upserts.push(
      skippedPathDocument({
        kind,
        externalId,
        title: kind === 'folder' ? `${basename(absolutePath)}/` : basename(absolutePath),
        absolutePath,
        contentHash,
        skipReason: kind === 'folder' ? unreadableFolderReason(error) : unreadableReason(error),
        metadata: { path: absolutePath, relativePath, unreadable: kind },
      }),
    );
  }

  /** Returns true when the walk completed (not cut short by `limit`). */
  async *run(groups: AsyncIterable<WalkedFile[]>): AsyncGenerator<SyncBatch, boolean, void> {
    const { signal, limit } = this.options;
    for await (const group of groups) {
      for (const file of group) {
        throwIfCancelled(signal);
        this.examined++;
        this.seen.add(file.relativePath);
        if (!file.special && isMailboxPath(file.relativePath)) {
          for await (const document of this.mail.mailbox(file)) {
            this.upserts.push(document);
            while (this.upserts.length >= this.tuning.batchSize) yield this.takeBatch([]);
          }
          continue;
        }
        this.examine(file);
        if (
          this.pendingReads.length >= this.tuning.readConcurrency ||
          this.pendingReadBytes >= MAX_PENDING_READ_BYTES
        ) {
          await this.readPending();
        }
        if (limit !== undefined && this.yielded + this.upserts.length >= limit) {
          await this.readPending();
          yield { upserts: this.upserts.slice(0, limit - this.yielded), deletions: [] };
          return false;
        }
        while (this.upserts.length >= this.tuning.batchSize) {
          yield this.takeBatch([]);
          throwIfCancelled(signal);
        }
      }
      this.reportProgress(false);
    }
    await this.readPending();
    if (limit !== undefined && this.yielded + this.upserts.length >= limit) {
      yield { upserts: this.upserts.slice(0, limit - this.yielded), deletions: [] };
      return false;
    }
    const deletions = this.deletions();
    this.reportProgress(true);
    // Deletions ride on the last batch; very large ones are split so no batch is huge.
    const chunk = this.tuning.batchSize * 10;
    while (this.upserts.length > this.tuning.batchSize) {
      yield this.takeBatch([]);
      throwIfCancelled(signal);
    }
    if (this.upserts.length > 0 || deletions.length > 0) yield this.takeBatch(deletions.slice(0, chunk));
    for (let i = chunk; i < deletions.length; i += chunk) {
      throwIfCancelled(signal);
      yield { upserts: [], deletions: deletions.slice(i, i + chunk) };
    }
    return true;
  }

  private examine(file: WalkedFile): void {
    const known = this.options.known.get(file.relativePath);
    if (file.special) {
      const hash = specialFileHash(file.special);
      if (known?.contentHash !== hash) {
        this.upserts.push(this.document(file, hash, { skipReason: specialFileReason(file.special) }));
      }
      return;
    }
    if (file.sizeBytes > this.limit.bytes) {
      const hash = overSizeHash(file.sizeBytes, file.mtimeMs);
      if (known?.contentHash === hash) return;
      this.upserts.push(this.document(file, hash, { skipReason: this.limit.reason(file.sizeBytes) }));
      return;
    }
    if (known && !isPlaceholderHash(known.contentHash) && sameSizeAndMtime(known, file.sizeBytes, file.mtimeMs)) {
      this.mail.keepContained(file.relativePath);
      return;
    }
    this.pendingReads.push(file);
    // Large files are streamed in 1 MB pieces, so they count for at most the streaming threshold.
    this.pendingReadBytes += Math.min(file.sizeBytes, STREAM_HASH_THRESHOLD_BYTES);
  }

  private async readPending(): Promise<void> {
    if (this.pendingReads.length === 0) return;
    const files = this.pendingReads.splice(0);
    this.pendingReadBytes = 0;
    const { signal, stats } = this.options;
    const results = await hashBatch(files, {
      keepBytesUpTo: this.tuning.keepBytesUpTo,
      maxBytes: this.limit.bytes,
      tooLarge: this.limit.reason,
      signal,
      cancelMessage: 'The sync was cancelled.',
    });
    const messages: Array<{ file: WalkedFile; contentHash: string; bytes: Uint8Array | undefined }> = [];
    files.forEach((file, index) => {
      const result = results[index]!;
      const known = this.options.known.get(file.relativePath);
      if (result.kind === 'missing') {
        this.seen.delete(file.relativePath);
        return;
      }
      if (result.kind === 'unreadable') {
        const hash = unreadableHash(file.sizeBytes, file.mtimeMs);
        if (known?.contentHash !== hash) {
          this.upserts.push(this.document(file, hash, { skipReason: unreadableReason(result.error) }));
        }
        return;
      }
      stats.bytesTransferred += result.hashed.bytesRead;
      const { contentHash, bytes } = result.hashed;
      // Touched but identical: yield the new stats with the same hash, and no bytes to hold on to.
      const touchedOnly = known?.contentHash === contentHash;
      if (isMessagePath(file.relativePath) && !touchedOnly) {
        messages.push({ file, contentHash, bytes });
        return;
      }
      if (touchedOnly) this.mail.keepContained(file.relativePath);
      this.upserts.push(this.document(file, contentHash, { bytes: touchedOnly ? undefined : bytes }));
    });
    for (const { file, contentHash, bytes } of messages) {
      this.upserts.push(...(await this.mail.message(file, contentHash, bytes)));
    }
  }

  private document(
    file: WalkedFile,
    contentHash: string,
    extra: { skipReason?: string; bytes?: Uint8Array; title?: string },
  ): SourceDocument {
    return fileSourceDocument({
      externalId: file.relativePath,
      title: extra.title,
      absolutePath: file.absolutePath,
      fsPath: file.fsPath,
      maxBytes: this.limit.bytes,
      tooLarge: this.limit.reason,
      contentHash,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
      skipReason: extra.skipReason,
      bytes: extra.bytes,
      metadata: this.metadataOf(file),
    });
  }

  private metadataOf(file: WalkedFile): Record<string, unknown> {
    return {
      path: file.absolutePath,
      relativePath: file.relativePath,
      extension: fileExtension(file.relativePath),
      mtimeMs: file.mtimeMs,
      sizeBytes: file.sizeBytes,
    };
  }

  private deletions(): string[] {
    const only = this.options.onlyExternalIds;
    const ids = only ? [...only, ...this.mail.heldByFilesMet()] : this.options.known.ids();
    const deletions: string[] = [];
    for (const id of ids) {
      if (this.seen.has(id) || this.isProtected(id)) continue;
      if (only && !this.options.known.get(id)) continue;
      deletions.push(id);
    }
    return deletions;
  }

  private isProtected(id: string): boolean {
    return this.unreadable.some((prefix) => id === prefix || id.startsWith(`${prefix}/`));
  }

  /** At most one batch's worth of upserts (reads finish in groups, so more may be waiting). */
  private takeBatch(deletions: string[]): SyncBatch {
    const upserts = this.upserts.splice(0, this.tuning.batchSize);
    this.yielded += upserts.length;
    return { upserts, deletions };
  }

  private reportProgress(done: boolean): void {
    if (!done && this.examined - this.lastReported < PROGRESS_EVERY) return;
    this.lastReported = this.examined;
    const total = done ? this.examined : this.total;
    this.options.progress({
      processed: this.examined,
      ...(total !== null ? { total } : {}),
      message: done
        ? `Scanned ${this.examined} files`
        : total !== null
          ? `Reading ${this.examined} of ${total} files`
          : `Scanning: ${this.examined} files so far`,
    });
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
