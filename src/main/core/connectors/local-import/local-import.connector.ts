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
import { fileSourceDocument, skippedPathDocument } from '../fs/file-document';
import { fsPathOf } from '../fs/file-names';
import { isMissingError, throwIfCancelled } from '../fs/fs-errors';
import { fileExtension } from '../fs/mime';
import { specialKindOf } from '../fs/open-file';
import { createPathFilter, type PathFilter } from '../fs/path-filter';
import type { SizeLimit } from '../fs/size-limit';
import { walkFiles, type WalkedFile } from '../fs/walk';
import { planImport, type PlannedDocument } from './import-plan';
import { ImportScan } from './import-scan';
import { localImportSettingsSchema, type LocalImportCursor, type LocalImportSettings } from './settings';

export interface LocalImportConnectorOptions {
  /** Upserts per yielded batch. Default 100. */
  batchSize?: number;
  /** Files read and hashed at the same time. Default 32. */
  readConcurrency?: number;
}

const DEFAULTS = { batchSize: 100, readConcurrency: 32 };

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
        // A dropped project folder brings its build output and dependencies otherwise; there is no setting to ask.
        respectGitignore: true,
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
