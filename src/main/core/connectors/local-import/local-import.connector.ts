import { access, constants, stat } from 'node:fs/promises';
import { basename, sep } from 'node:path';
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
import { overSizeHash, specialFileHash, unlistedHash, unreadableHash } from '../fs/change-detection';
import { fileSourceDocument, skippedPathDocument } from '../fs/file-document';
import { fsPathOf } from '../fs/file-names';
import {
  fsErrorCode,
  isAbortError,
  isMissingError,
  throwIfCancelled,
  unreadableFolderReason,
  unreadableReason,
} from '../fs/fs-errors';
import { hashBatch } from '../fs/hash-batch';
import { fileExtension } from '../fs/mime';
import { specialFileReason, specialKindOf } from '../fs/open-file';
import { createPathFilter, type PathFilter } from '../fs/path-filter';
import { fileSizeLimit, type SizeLimit } from '../fs/size-limit';
import { walkFiles, type UnreadableEntry, type WalkedFile } from '../fs/walk';
import { knownImportFiles, planImport, type PlannedDocument, type SeenContent } from './import-plan';
import { readLocalFile } from '../fs/file-document';
import { isMailboxPath, isMessagePath } from '../fs/mail/mail-files';
import { DEFAULT_PARSE_LIMITS } from '../../ingest/limits';
import { importMailbox, importMessageAttachments, MAILBOX_PREFIX, type ImportedMailDocument } from './import-mail';
import { localImportSettingsSchema, type LocalImportCursor, type LocalImportSettings } from './settings';

export interface LocalImportConnectorOptions {
  /** Upserts per yielded batch. Default 100. */
  batchSize?: number;
  /** Files read and hashed at the same time. Default 32. */
  readConcurrency?: number;
}

const DEFAULTS = { batchSize: 100, readConcurrency: 32 };
const SHA_PREFIX = 'sha256:';

/**
 * The built-in connector behind drag-and-drop and `trove import`. Identical
 * content is stored once: the external id is `sha256:<contentHash>`, and the
 * document lists every path it was found at (metadata.paths; the title is
 * the first one's file name). Files that are not read (over the size limit,
 * unreadable, named pipes, sockets, devices) get `file:<absolute path>`
 * instead, and a folder that cannot be opened `file:<absolute path>/`: every
 * path met is recorded, with a reason when it is not indexed.
 *
 * `incremental` (what a new drop runs) is additive and `full` mirrors the
 * disk; see `planImport` for the exact rules. A file is re-read only when its
 * size or mtime differs from what was stored for that path.
 *
 * Mail files hold several documents, stored by content like the rest (see
 * import-mail.ts): each message of an mbox and each attachment, found at
 * paths under their file (`<path>#<Message-ID>`).
 */
export class LocalImportConnector implements Connector {
  readonly type = 'local_import' as const;
  readonly supportsWebhooks = false;
  private readonly filter: PathFilter;
  private readonly tuning: Required<LocalImportConnectorOptions>;

  constructor(
    readonly settings: LocalImportSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: LocalImportConnectorOptions = {},
  ) {
    this.filter = createPathFilter({ exclude: settings.exclude });
    this.tuning = { ...DEFAULTS, ...options };
  }

  /** Passes when nothing is imported yet or at least one imported path can be read. */
  async testConnection(): Promise<void> {
    const { paths } = this.settings;
    if (paths.length === 0) return;
    const readable = await Promise.all(
      paths.map((path) =>
        access(path, constants.R_OK).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (readable.some(Boolean)) return;
    const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
    throw new AppError(
      'UNAVAILABLE',
      `None of the imported files or folders can be read any more (${shown}). Import them again from where they are now.`,
      {
        details: { paths: paths.length },
      },
    );
  }

  async *sync(options: SyncOptions): AsyncGenerator<SyncBatch, SyncResult, void> {
    const startedAt = this.clock.now();
    const scan = new ImportScan(this.settings, this.tuning, options, this.logger);
    // A new import scans only what was just added; a sync of the connector scans every path.
    const roots = options.roots && options.mode === 'incremental' ? options.roots : this.settings.paths;
    for (const root of roots) {
      throwIfCancelled(options.signal);
      for await (const group of this.filesUnder(root, options.signal, scan)) await scan.add(group);
    }
    await scan.flush();
    await scan.readMessages();

    const plan = planImport({
      mode: options.mode,
      seen: scan.seen,
      seenPaths: scan.seenPaths,
      known: options.known,
      isProtected: (path) => scan.isProtected(path),
    });
    const only = options.onlyExternalIds && new Set(options.onlyExternalIds);
    const toSource = (doc: PlannedDocument): SourceDocument =>
      scan.built.get(doc.externalId)?.(doc.files) ?? toSourceDocument(doc, scan.limit, scan.titles.get(doc.externalId));
    // Something held by an unchanged mail file, whose list of paths changed: only its metadata would change, and
    // without its file read there is nothing to rebuild it from. It keeps what it has.
    const rebuildable = (doc: PlannedDocument): boolean =>
      scan.built.has(doc.externalId) || !scan.held.has(doc.externalId);
    let upserts = (only ? plan.upserts.filter((d) => only.has(d.externalId)) : plan.upserts).filter(rebuildable);
    let deletions = only ? plan.deletions.filter((id) => only.has(id)) : plan.deletions;
    const limited = options.limit !== undefined && upserts.length >= options.limit;
    if (limited) {
      upserts = upserts.slice(0, options.limit);
      deletions = [];
    }
    const { batchSize } = this.tuning;
    for (let i = 0; i < upserts.length; i += batchSize) {
      const last = i + batchSize >= upserts.length;
      yield { upserts: upserts.slice(i, i + batchSize).map(toSource), deletions: last ? deletions : [] };
    }
    if (upserts.length === 0 && deletions.length > 0) yield { upserts: [], deletions };

    const previous = (options.cursor ?? null) as Partial<LocalImportCursor> | null;
    const cursor: LocalImportCursor = {
      lastFullScanAt: options.mode === 'full' && !limited && !only ? startedAt : (previous?.lastFullScanAt ?? null),
    };
    return { cursor };
  }

  async handleWebhook(): Promise<WebhookAction[]> {
    return [{ kind: 'ignore', reason: 'Imported files do not receive webhooks.' }];
  }

  /**
   * A listed file is taken as is (a listed pipe, socket or device is
   * recorded, never opened); a listed folder is walked with the exclusions.
   */
  private async *filesUnder(root: string, signal: AbortSignal, scan: ImportScan): AsyncGenerator<WalkedFile[]> {
    let rootStats;
    try {
      rootStats = await stat(root);
    } catch (error) {
      if (isMissingError(error)) this.logger.warn('an imported path no longer exists', { path: root });
      else scan.protect({ kind: 'file', relativePath: basename(root), absolutePath: root, error });
      return;
    }
    const special = specialKindOf(rootStats);
    if (rootStats.isFile() || special) {
      const listed = { absolutePath: root, fsPath: root, relativePath: basename(root), mtimeMs: rootStats.mtimeMs };
      yield [special ? { ...listed, sizeBytes: 0, special } : { ...listed, sizeBytes: rootStats.size }];
      return;
    }
    if (!rootStats.isDirectory()) return;
    try {
      yield* walkFiles(root, {
        filter: this.filter,
        signal,
        onUnreadable: (entry) => scan.protect(entry),
      });
    } catch (error) {
      // The folder exists but cannot be opened: keep what was imported from it.
      if (AppError.is(error, 'UNAVAILABLE')) {
        scan.protect({ kind: 'folder', relativePath: basename(root), absolutePath: root, error: error.cause ?? error });
      } else throw error;
    }
  }
}

/** What one import sync found: content by id, ids by path, and paths that could not be read. */
class ImportScan {
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
    if (this.examined > 0)
      this.options.progress({ processed: this.examined, message: `Scanning: ${this.examined} files so far` });
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

function toSourceDocument(doc: PlannedDocument, limit: SizeLimit, title?: string): SourceDocument {
  const first = doc.files[0]!;
  const paths = doc.files.map((f) => f.path);
  if (doc.externalId.endsWith(sep) && doc.skipReason) {
    return skippedPathDocument({
      kind: 'folder',
      externalId: doc.externalId,
      title: `${basename(first.path)}/`,
      absolutePath: first.path,
      contentHash: doc.contentHash,
      skipReason: doc.skipReason,
      metadata: { path: first.path, paths, files: doc.files, unreadable: 'folder' },
    });
  }
  return fileSourceDocument({
    externalId: doc.externalId,
    title,
    absolutePath: first.path,
    fsPath: fsPathOf(first.path),
    maxBytes: limit.bytes,
    tooLarge: limit.reason,
    contentHash: doc.contentHash,
    sizeBytes: first.sizeBytes,
    mtimeMs: first.mtimeMs,
    skipReason: doc.skipReason,
    metadata: {
      path: first.path,
      paths,
      files: doc.files,
      extension: fileExtension(first.path),
      mtimeMs: first.mtimeMs,
      sizeBytes: first.sizeBytes,
    },
  });
}

/** Builds a factory with tuning options (tests use small batches). */
export function createLocalImportConnectorFactory(options: LocalImportConnectorOptions = {}): ConnectorFactory {
  return (context: ConnectorContext) => {
    const settings = parseConnectorSettings('local_import', localImportSettingsSchema, context.config.settings);
    return new LocalImportConnector(settings, context.clock, context.logger, options);
  };
}

/** The `local_import` factory for the registry. */
export const localImportConnectorFactory: ConnectorFactory = createLocalImportConnectorFactory();
