/** One sync run of a local folder (see LocalFolderConnector): what was seen, read and hashed. */
import { basename } from 'node:path';
import type { Logger } from '../../logger';
import type { SourceDocument, SyncBatch, SyncOptions } from '../types';
import {
  isPlaceholderHash,
  overSizeHash,
  sameSizeAndMtime,
  specialFileHash,
  unlistedHash,
  unreadableHash,
} from '../fs/change-detection';
import { fileSourceDocument, skippedPathDocument } from '../fs/file-document';
import { fsErrorCode, throwIfCancelled, unreadableFolderReason, unreadableReason } from '../fs/fs-errors';
import { STREAM_HASH_THRESHOLD_BYTES } from '../fs/hash';
import { hashBatch } from '../fs/hash-batch';
import { fileExtension } from '../fs/mime';
import { specialFileReason } from '../fs/open-file';
import { fileSizeLimit, type SizeLimit } from '../fs/size-limit';
import { isMailboxPath, isMessagePath } from '../fs/mail/mail-files';
import { FolderMail } from './folder-mail';
import type { UnreadableEntry, WalkedFile } from '../fs/walk';
import type { LocalFolderSettings } from './settings';
import type { LocalFolderConnectorOptions } from './local-folder.connector';
import { formatCount, plural } from '../../../../shared/counted';
import { ProgressThrottle } from '../fs/progress-throttle';

/** Bytes read at once are capped too: 64 files of 8 MB must not all sit in memory together. */
const MAX_PENDING_READ_BYTES = 64 * 1024 * 1024;

/** The state of one sync run: what was seen, what is waiting to be hashed, the batch being filled. */
export class FolderScan {
  private readonly seen = new Set<string>();
  private readonly unreadable: string[] = [];
  private readonly pendingReads: WalkedFile[] = [];
  private pendingReadBytes = 0;
  private readonly upserts: SourceDocument[] = [];
  private readonly limit: SizeLimit;
  private readonly mail: FolderMail;
  private yielded = 0;
  private examined = 0;
  private readonly progress = new ProgressThrottle();
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
    this.options.progress({ processed: 0, total, message: `Found ${plural(total, 'file')}` });
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
        this.reportProgress(false);
      }
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
    if (!this.progress.due(this.examined) && !done) return;
    const total = done ? this.examined : this.total;
    this.options.progress({
      processed: this.examined,
      ...(total !== null ? { total } : {}),
      message: done
        ? `Scanned ${plural(this.examined, 'file')}`
        : total !== null
          ? `Reading ${formatCount(this.examined)} of ${plural(total, 'file')}`
          : `Scanning: ${plural(this.examined, 'file')} so far`,
    });
  }
}
