/** One import sync (see LocalImportConnector): content by id, ids by path, unreadable paths. */
import { sep } from 'node:path';
import { AppError } from '../../../../shared/errors';
import type { Logger } from '../../logger';
import type { SyncOptions } from '../types';
import { overSizeHash, specialFileHash, unlistedHash, unreadableHash } from '../fs/change-detection';
import {
  fsErrorCode,
  isAbortError,
  isMissingError,
  throwIfCancelled,
  unreadableFolderReason,
  unreadableReason,
} from '../fs/fs-errors';
import { hashBatch } from '../fs/hash-batch';
import { specialFileReason } from '../fs/open-file';
import { fileSizeLimit, type SizeLimit } from '../fs/size-limit';
import type { UnreadableEntry, WalkedFile } from '../fs/walk';
import { knownImportFiles, type SeenContent } from './import-plan';
import { readLocalFile } from '../fs/file-document';
import { isMailboxPath, isMessagePath } from '../fs/mail/mail-files';
import { DEFAULT_PARSE_LIMITS } from '../../ingest/limits';
import { importMailbox, importMessageAttachments, MAILBOX_PREFIX, type ImportedMailDocument } from './import-mail';
import type { LocalImportSettings } from './settings';
import type { LocalImportConnectorOptions } from './local-import.connector';
import { plural } from '../../../../shared/counted';
import { ProgressThrottle } from '../fs/progress-throttle';

const SHA_PREFIX = 'sha256:';

/** What one import sync found: content by id, ids by path, and paths that could not be read. */
export class ImportScan {
  readonly seen = new Map<string, SeenContent>();
  readonly seenPaths = new Map<string, string>();
  /** Documents read out of mail files in this sync, built once the plan knows their paths. */
  readonly built = new Map<string, ImportedMailDocument['build']>();
  /** Titles other than the file name (an .eml's subject). */
  readonly titles = new Map<string, string>();
  /** Ids held by mail files that did not change (recorded from what is stored, not read). */
  readonly held = new Set<string>();
  private readonly messageFiles: Array<{ file: WalkedFile; contentHash: string }> = [];
  private readonly unreadable: string[] = [];
  private readonly progress = new ProgressThrottle();
  private readonly knownByPath = new Map<string, { externalId: string; sizeBytes: number; mtimeMs: number }>();
  private pending: WalkedFile[] = [];
  private examined = 0;
  readonly limit: SizeLimit;

  constructor(
    settings: LocalImportSettings,
    private readonly tuning: Required<LocalImportConnectorOptions>,
    private readonly options: SyncOptions,
    private readonly logger: Logger,
  ) {
    this.limit = fileSizeLimit(settings.maxFileSizeBytes, 'imports');
    for (const id of options.known.ids()) {
      for (const file of knownImportFiles(options.known.get(id)))
        this.knownByPath.set(file.path, { externalId: id, ...file });
    }
  }

  /**
   * A path that exists but cannot be read: keep what was imported from it,
   * and record it (a folder as `file:<path>/`) with the reason.
   */
  protect(entry: UnreadableEntry): void {
    const { kind, absolutePath, error } = entry;
    const code = fsErrorCode(error);
    this.unreadable.push(absolutePath);
    this.logger.warn('cannot read an imported path; its documents are kept', { path: absolutePath, code });
    const externalId = kind === 'folder' ? `file:${absolutePath}${sep}` : `file:${absolutePath}`;
    const reason = kind === 'folder' ? unreadableFolderReason(error) : unreadableReason(error);
    const at = { absolutePath, fsPath: absolutePath, relativePath: entry.relativePath, sizeBytes: 0, mtimeMs: 0 };
    this.record(externalId, unlistedHash(kind, code), at, reason);
  }

  isProtected(path: string): boolean {
    return this.unreadable.some(
      (prefix) => path === prefix || path.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep),
    );
  }

  async add(group: WalkedFile[]): Promise<void> {
    for (const file of group) {
      throwIfCancelled(this.options.signal);
      // Overlapping imports (a folder and a file inside it) must not count a file twice.
      if (this.seenPaths.has(file.absolutePath) || this.pending.some((p) => p.absolutePath === file.absolutePath))
        continue;
      this.examined++;
      this.reportProgress();
      if (!file.special && isMailboxPath(file.absolutePath)) {
        await this.mailbox(file);
        continue;
      }
      if (file.special) {
        this.record(`file:${file.absolutePath}`, specialFileHash(file.special), file, specialFileReason(file.special));
        continue;
      }
      if (file.sizeBytes > this.limit.bytes) {
        this.record(
          `file:${file.absolutePath}`,
          overSizeHash(file.sizeBytes, file.mtimeMs),
          file,
          this.limit.reason(file.sizeBytes),
        );
        continue;
      }
      const known = this.knownByPath.get(file.absolutePath);
      if (
        known?.externalId.startsWith(SHA_PREFIX) &&
        known.sizeBytes === file.sizeBytes &&
        known.mtimeMs === file.mtimeMs
      ) {
        this.record(known.externalId, known.externalId.slice(SHA_PREFIX.length), file);
        this.keepHeld(file.absolutePath);
        continue;
      }
      this.pending.push(file);
      if (this.pending.length >= this.tuning.readConcurrency) await this.flush();
    }
    this.reportProgress(true);
  }

  /** Progress when due (ProgressThrottle), and always at the end of a folder, which the run's count is taken from. */
  private reportProgress(endOfFolder = false): void {
    if (this.examined > 0 && (this.progress.due(this.examined) || endOfFolder))
      this.options.progress({ processed: this.examined, message: `Scanning: ${plural(this.examined, 'file')} so far` });
  }

  async flush(): Promise<void> {
    const files = this.pending;
    this.pending = [];
    const { signal, stats } = this.options;
    const results = await hashBatch(files, {
      maxBytes: this.limit.bytes,
      tooLarge: this.limit.reason,
      signal,
      cancelMessage: 'The import was cancelled.',
    });
    files.forEach((file, index) => {
      const result = results[index]!;
      if (result.kind === 'hashed') {
        stats.bytesTransferred += result.hashed.bytesRead;
        this.record(SHA_PREFIX + result.hashed.contentHash, result.hashed.contentHash, file);
        if (isMessagePath(file.absolutePath)) this.messageFiles.push({ file, contentHash: result.hashed.contentHash });
      } else if (result.kind === 'unreadable') {
        this.record(
          `file:${file.absolutePath}`,
          unreadableHash(file.sizeBytes, file.mtimeMs),
          file,
          unreadableReason(result.error),
        );
      }
    });
  }

  /** The attachments of the .eml files read in this sync, and their subjects as titles. */
  async readMessages(): Promise<void> {
    for (const { file, contentHash } of this.messageFiles.splice(0)) {
      const limit = { maxBytes: this.limit.bytes, tooLarge: this.limit.reason };
      const parts = await importMessageAttachments({
        absolutePath: file.absolutePath,
        fsPath: file.fsPath,
        contentHash,
        sizeBytes: file.sizeBytes,
        mtimeMs: file.mtimeMs,
        read: async (signal) => Buffer.from(await readLocalFile(file.fsPath, file.absolutePath, limit, signal)),
        limits: DEFAULT_PARSE_LIMITS.mail,
        signal: this.options.signal,
      });
      if (parts.subject) this.titles.set(SHA_PREFIX + contentHash, parts.subject);
      for (const document of parts.documents) this.recordMail(document);
    }
  }

  /** An mbox: unchanged (same size and mtime as its record), or streamed again whole. */
  private async mailbox(file: WalkedFile): Promise<void> {
    const id = `${MAILBOX_PREFIX}${file.absolutePath}`;
    const known = this.knownByPath.get(file.absolutePath);
    if (known?.externalId === id && known.sizeBytes === file.sizeBytes && known.mtimeMs === file.mtimeMs) {
      this.record(id, this.options.known.get(id)?.contentHash ?? '', file);
      this.keepHeld(file.absolutePath);
      return;
    }
    try {
      for await (const document of importMailbox({
        absolutePath: file.absolutePath,
        fsPath: file.fsPath,
        sizeBytes: file.sizeBytes,
        mtimeMs: file.mtimeMs,
        maxMessageBytes: this.limit.bytes,
        tooLarge: this.limit.reason,
        limits: DEFAULT_PARSE_LIMITS.mail,
        signal: this.options.signal,
        onRead: (bytes) => (this.options.stats.bytesTransferred += bytes),
      })) {
        this.recordMail(document);
      }
    } catch (error) {
      if (isAbortError(error)) throw new AppError('CANCELLED', 'The import was cancelled.', { cause: error });
      if (isMissingError(error)) return;
      this.protect({ kind: 'file', relativePath: file.relativePath, absolutePath: file.absolutePath, error });
    }
  }

  private recordMail(document: ImportedMailDocument): void {
    const { file } = document;
    const at = {
      absolutePath: file.path,
      fsPath: file.path,
      relativePath: file.path,
      sizeBytes: file.sizeBytes,
      mtimeMs: file.mtimeMs,
    };
    this.record(document.externalId, document.contentHash, at, document.skipReason);
    this.built.set(document.externalId, document.build);
  }

  /** What an unchanged mail file held is still there: recorded again as stored. */
  private keepHeld(path: string): void {
    if (!isMailboxPath(path) && !isMessagePath(path)) return;
    for (const [held, known] of this.knownByPath) {
      if (!held.startsWith(`${path}#`)) continue;
      const stored = this.options.known.get(known.externalId);
      const at = {
        absolutePath: held,
        fsPath: held,
        relativePath: held,
        sizeBytes: known.sizeBytes,
        mtimeMs: known.mtimeMs,
      };
      this.record(known.externalId, stored?.contentHash ?? '', at);
      this.held.add(known.externalId);
    }
  }

  private record(externalId: string, contentHash: string, file: WalkedFile, skipReason?: string): void {
    const imported = { path: file.absolutePath, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs };
    this.seenPaths.set(file.absolutePath, externalId);
    const existing = this.seen.get(externalId);
    if (existing) existing.files.push(imported);
    else this.seen.set(externalId, { externalId, contentHash, files: [imported], skipReason });
  }
}
