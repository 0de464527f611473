import { access, constants, stat } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';
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
import { overSizeHash, unreadableHash } from '../fs/change-detection';
import { fileSourceDocument } from '../fs/file-document';
import { fsErrorCode, isAbortError, isMissingError, throwIfCancelled, unreadableReason } from '../fs/fs-errors';
import { hashFile } from '../fs/hash';
import { fileExtension } from '../fs/mime';
import { createPathFilter, type PathFilter } from '../fs/path-filter';
import { overSizeReason } from '../fs/size';
import { walkFiles, type WalkedFile } from '../fs/walk';
import { knownImportFiles, planImport, type PlannedDocument, type SeenContent } from './import-plan';
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
 * unreadable) get `file:<absolute path>` instead.
 *
 * `incremental` (what a new drop runs) is additive and `full` mirrors the
 * disk; see `planImport` for the exact rules. A file is re-read only when its
 * size or mtime differs from what was stored for that path.
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

    const plan = planImport({
      mode: options.mode,
      seen: scan.seen,
      seenPaths: scan.seenPaths,
      known: options.known,
      isProtected: (path) => scan.isProtected(path),
    });
    const only = options.onlyExternalIds && new Set(options.onlyExternalIds);
    let upserts = only ? plan.upserts.filter((d) => only.has(d.externalId)) : plan.upserts;
    let deletions = only ? plan.deletions.filter((id) => only.has(id)) : plan.deletions;
    const limited = options.limit !== undefined && upserts.length >= options.limit;
    if (limited) {
      upserts = upserts.slice(0, options.limit);
      deletions = [];
    }
    const { batchSize } = this.tuning;
    for (let i = 0; i < upserts.length; i += batchSize) {
      const last = i + batchSize >= upserts.length;
      yield { upserts: upserts.slice(i, i + batchSize).map(toSourceDocument), deletions: last ? deletions : [] };
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

  /** A listed file is taken as is; a listed folder is walked with the exclusions. */
  private async *filesUnder(root: string, signal: AbortSignal, scan: ImportScan): AsyncGenerator<WalkedFile[]> {
    let rootStats;
    try {
      rootStats = await stat(root);
    } catch (error) {
      if (isMissingError(error)) this.logger.warn('an imported path no longer exists', { path: root });
      else scan.protect(root, error);
      return;
    }
    if (rootStats.isFile()) {
      yield [
        { absolutePath: root, relativePath: basename(root), sizeBytes: rootStats.size, mtimeMs: rootStats.mtimeMs },
      ];
      return;
    }
    if (!rootStats.isDirectory()) return;
    try {
      yield* walkFiles(root, {
        filter: this.filter,
        signal,
        onUnreadable: (relativePath, error) => scan.protect(join(root, ...relativePath.split('/')), error),
      });
    } catch (error) {
      // The folder exists but cannot be opened: keep what was imported from it.
      if (AppError.is(error, 'UNAVAILABLE')) scan.protect(root, error);
      else throw error;
    }
  }
}

/** What one import sync found: content by id, ids by path, and paths that could not be read. */
class ImportScan {
  readonly seen = new Map<string, SeenContent>();
  readonly seenPaths = new Map<string, string>();
  private readonly unreadable: string[] = [];
  private readonly knownByPath = new Map<string, { externalId: string; sizeBytes: number; mtimeMs: number }>();
  private pending: WalkedFile[] = [];
  private examined = 0;

  constructor(
    private readonly settings: LocalImportSettings,
    private readonly tuning: Required<LocalImportConnectorOptions>,
    private readonly options: SyncOptions,
    private readonly logger: Logger,
  ) {
    for (const id of options.known.ids()) {
      for (const file of knownImportFiles(options.known.get(id)))
        this.knownByPath.set(file.path, { externalId: id, ...file });
    }
  }

  protect(path: string, error: unknown): void {
    this.unreadable.push(path);
    this.logger.warn('cannot read an imported path; its documents are kept', { path, code: fsErrorCode(error) });
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
      if (file.sizeBytes > this.settings.maxFileSizeBytes) {
        this.record(
          `file:${file.absolutePath}`,
          overSizeHash(file.sizeBytes, file.mtimeMs),
          file,
          overSizeReason(file.sizeBytes, this.settings.maxFileSizeBytes, 'imports'),
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
    const results = await Promise.all(
      files.map((file) =>
        hashFile(file.absolutePath, file.sizeBytes, { signal }).then(
          (hashed) => ({ ok: true as const, hashed }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      ),
    );
    throwIfCancelled(signal);
    files.forEach((file, index) => {
      const result = results[index]!;
      if (result.ok) {
        stats.bytesTransferred += result.hashed.bytesRead;
        this.record(SHA_PREFIX + result.hashed.contentHash, result.hashed.contentHash, file);
      } else if (isAbortError(result.error)) {
        throw new AppError('CANCELLED', 'The import was cancelled.', { cause: result.error });
      } else if (!isMissingError(result.error)) {
        this.record(
          `file:${file.absolutePath}`,
          unreadableHash(file.sizeBytes, file.mtimeMs),
          file,
          unreadableReason(result.error),
        );
      }
    });
  }

  private record(externalId: string, contentHash: string, file: WalkedFile, skipReason?: string): void {
    const imported = { path: file.absolutePath, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs };
    this.seenPaths.set(file.absolutePath, externalId);
    const existing = this.seen.get(externalId);
    if (existing) existing.files.push(imported);
    else this.seen.set(externalId, { externalId, contentHash, files: [imported], skipReason });
  }
}

function toSourceDocument(doc: PlannedDocument): SourceDocument {
  const first = doc.files[0]!;
  const paths = doc.files.map((f) => f.path);
  return fileSourceDocument({
    externalId: doc.externalId,
    absolutePath: first.path,
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
