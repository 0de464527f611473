import { AppError } from '../../../../shared/errors';
import type { Logger } from '../../logger';
import type { SourceDocument, SyncBatch, SyncOptions, SyncResult } from '../types';
import type { DriveApi, DriveFile } from './drive-api';
import { FOLDER_MIME, toSourceDocument } from './drive-documents';
import { DriveScope } from './drive-scope';
import type { DriveCursor, GoogleDriveSettings } from './settings';

/** Deletions are reported in slices so one batch never grows without bound. */
const DELETION_BATCH = 500;

export interface DriveRunContext {
  api: DriveApi;
  settings: GoogleDriveSettings;
  options: SyncOptions;
  logger: Logger;
}

/**
 * Full listing. The start page token is taken BEFORE listing, so anything
 * that changes while the listing runs shows up in the next incremental sync.
 * Known ids that were not listed are reported as deletions.
 */
export async function* fullDriveSync(run: DriveRunContext): AsyncGenerator<SyncBatch, SyncResult, void> {
  const { api, options } = run;
  const startPageToken = await api.getStartPageToken();
  const scope = new DriveScope(api, run.settings);
  const seen = new Set<string>();
  let processed = 0;
  let upserted = 0;
  for await (const files of listInScope(api, scope)) {
    const upserts: SourceDocument[] = [];
    for (const file of files) {
      if (seen.has(file.id) || !scope.matchesType(file)) continue;
      seen.add(file.id);
      upserts.push(toSourceDocument(file, run.settings, api));
    }
    processed += files.length;
    const room = options.limit === undefined ? upserts.length : Math.max(0, options.limit - upserted);
    const slice = upserts.slice(0, room);
    upserted += slice.length;
    options.progress({ processed, message: 'Listing Google Drive' });
    if (slice.length > 0) yield { upserts: slice, deletions: [] };
    if (options.limit !== undefined && upserted >= options.limit) {
      // A preview is not a complete listing: keep the old cursor and delete nothing.
      return { cursor: options.cursor };
    }
  }
  yield* deletionBatches([...options.known.ids()].filter((id) => !seen.has(id)));
  return { cursor: { startPageToken } satisfies DriveCursor };
}

/**
 * Incremental sync from the Changes API: follows nextPageToken until Drive
 * hands out newStartPageToken, which becomes the cursor. Removed, trashed,
 * no-longer-shared and moved-out-of-scope files become deletions.
 */
export async function* incrementalDriveSync(
  run: DriveRunContext,
  cursor: DriveCursor,
): AsyncGenerator<SyncBatch, SyncResult, void> {
  const { api, options } = run;
  const scope = new DriveScope(api, run.settings);
  let pageToken = cursor.startPageToken;
  let processed = 0;
  for (;;) {
    let page;
    try {
      page = await api.listChanges(pageToken);
    } catch (error) {
      // An expired or unknown page token: the only safe recovery is a full listing.
      if (
        pageToken === cursor.startPageToken &&
        AppError.is(error) &&
        [400, 404, 410].includes(Number(error.details?.status))
      ) {
        run.logger.warn('drive page token rejected, running a full sync', { status: error.details?.status });
        return yield* fullDriveSync(run);
      }
      throw error;
    }
    const upserts = new Map<string, SourceDocument>();
    const deletions = new Set<string>();
    for (const change of page.changes ?? []) {
      if (change.changeType === 'drive') continue;
      const fileId = change.fileId ?? change.file?.id;
      if (!fileId) continue;
      const file = change.file;
      const gone = change.removed === true || !file || file.trashed === true;
      const known = options.known.get(fileId);
      if (!gone && (await scope.includes(file))) {
        deletions.delete(fileId);
        upserts.set(fileId, toSourceDocument(file, run.settings, api));
        // A folder that just came into view (moved into scope, newly shared) brings its
        // contents along, and Drive reports no change for those files.
        if (file.mimeType === FOLDER_MIME && !known) {
          for await (const files of listSubtree(api, scope, [file.id])) {
            for (const child of files) {
              if (scope.matchesType(child)) upserts.set(child.id, toSourceDocument(child, run.settings, api));
            }
          }
        }
      } else if (known) {
        upserts.delete(fileId);
        deletions.add(fileId);
        // A folder that left the view takes everything Trove knows under it along.
        if (known.metadata.driveMimeType === FOLDER_MIME) {
          for (const id of knownDescendants(options, fileId)) deletions.add(id);
        }
      }
    }
    processed += page.changes?.length ?? 0;
    options.progress({ processed, message: 'Reading Google Drive changes' });
    if (upserts.size > 0 || deletions.size > 0) yield { upserts: [...upserts.values()], deletions: [...deletions] };
    if (page.newStartPageToken) return { cursor: { startPageToken: page.newStartPageToken } satisfies DriveCursor };
    if (!page.nextPageToken) {
      throw new AppError(
        'INTERNAL',
        'Google Drive ended the change list without a new page token. The sync will be retried.',
      );
    }
    pageToken = page.nextPageToken;
  }
}

/** Re-reads just these files (a webhook or a "sync this file" request). The cursor is unchanged. */
export async function* driveSyncByIds(
  run: DriveRunContext,
  ids: string[],
): AsyncGenerator<SyncBatch, SyncResult, void> {
  const { api, options } = run;
  const scope = new DriveScope(api, run.settings);
  const upserts: SourceDocument[] = [];
  const deletions: string[] = [];
  for (const id of new Set(ids)) {
    const file = await api.getFile(id);
    if (file && !file.trashed && (await scope.includes(file))) upserts.push(toSourceDocument(file, run.settings, api));
    else if (options.known.get(id)) deletions.push(id);
  }
  if (upserts.length > 0 || deletions.length > 0) yield { upserts, deletions };
  return { cursor: options.cursor };
}

/** Pages of files in scope: everything, or a breadth-first walk down from the chosen folders. */
async function* listInScope(api: DriveApi, scope: DriveScope): AsyncGenerator<DriveFile[], void, void> {
  if (!scope.hasFolderFilter) {
    yield* paginate(api, 'trashed = false');
    return;
  }
  yield* listSubtree(api, scope, scope.rootFolderIds);
}

/** Everything below these folders, breadth first; each folder reached is in scope. */
async function* listSubtree(
  api: DriveApi,
  scope: DriveScope,
  rootIds: string[],
): AsyncGenerator<DriveFile[], void, void> {
  const queue = [...rootIds];
  const visited = new Set(queue);
  while (queue.length > 0) {
    const folderId = queue.shift()!;
    scope.markFolderIncluded(folderId);
    for await (const files of paginate(api, `'${escapeQueryValue(folderId)}' in parents and trashed = false`)) {
      for (const file of files) {
        if (file.mimeType === FOLDER_MIME && !visited.has(file.id)) {
          visited.add(file.id);
          queue.push(file.id);
        }
      }
      yield files;
    }
  }
}

async function* paginate(api: DriveApi, q: string): AsyncGenerator<DriveFile[], void, void> {
  let pageToken: string | undefined;
  do {
    const page = await api.listFiles(q, pageToken);
    yield page.files ?? [];
    pageToken = page.nextPageToken;
  } while (pageToken);
}

/** Known documents under a folder, at any depth, from the parents recorded in their metadata. */
function knownDescendants(options: SyncOptions, folderId: string): string[] {
  const docs = [...options.known.ids()].flatMap((id) => {
    const doc = options.known.get(id);
    return doc ? [doc] : [];
  });
  const folders = new Set([folderId]);
  const found = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const doc of docs) {
      if (found.has(doc.externalId) || doc.externalId === folderId) continue;
      const parents = Array.isArray(doc.metadata.parents) ? (doc.metadata.parents as unknown[]) : [];
      if (!parents.some((parent) => typeof parent === 'string' && folders.has(parent))) continue;
      found.add(doc.externalId);
      if (doc.metadata.driveMimeType === FOLDER_MIME) folders.add(doc.externalId);
      grew = true;
    }
  }
  return [...found];
}

function* deletionBatches(ids: string[]): Generator<SyncBatch, void, void> {
  for (let i = 0; i < ids.length; i += DELETION_BATCH) {
    yield { upserts: [], deletions: ids.slice(i, i + DELETION_BATCH) };
  }
}

/** Drive query strings quote with single quotes; escape backslashes and quotes in ids. */
function escapeQueryValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}
