import type { KnownDocument, SyncOptions } from '../types';

/** One place a piece of content was found, with the stats that tell whether it changed. */
export interface ImportedFile {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
}

/** Content found during this sync: one document, possibly at several paths. */
export interface SeenContent {
  /** `sha256:<hash>` for hashed content, `file:<path>` for a file that was not read (too large, unreadable). */
  externalId: string;
  contentHash: string;
  files: ImportedFile[];
  skipReason?: string;
}

/** What the import sync must report. */
export interface PlannedDocument {
  externalId: string;
  contentHash: string;
  /** Every path the content is at, the first one giving the title. */
  files: ImportedFile[];
  skipReason?: string;
}

/** Ids of records whose content was never read (see SeenContent.externalId). */
const UNREAD_PREFIX = 'file:';

export interface ImportPlan {
  upserts: PlannedDocument[];
  deletions: string[];
}

export interface PlanInput {
  mode: 'full' | 'incremental';
  /** By external id, in the order first met. */
  seen: Map<string, SeenContent>;
  /** Every path met in this sync, with the id of the content found there. */
  seenPaths: Map<string, string>;
  known: SyncOptions['known'];
  /** A path under a file or folder that exists but could not be read: never a reason to delete. */
  isProtected(path: string): boolean;
}

/** The files a stored import document was last seen at (metadata.files), read defensively. */
export function knownImportFiles(doc: KnownDocument | undefined): ImportedFile[] {
  const files = doc?.metadata.files;
  if (!Array.isArray(files)) return [];
  return files.filter(
    (f): f is ImportedFile =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as ImportedFile).path === 'string' &&
      typeof (f as ImportedFile).sizeBytes === 'number' &&
      typeof (f as ImportedFile).mtimeMs === 'number',
  );
}

/**
 * Decides what an import sync reports, once every listed path has been
 * walked and hashed.
 *
 * - Content met for the first time, or met at a different set of paths (or
 *   with new size/mtime), is an upsert; the same hash means the handler only
 *   updates metadata.
 * - `incremental` (the default: every new drop) is additive: a document keeps
 *   the paths that have vanished, because a file moved after it was imported
 *   should stay searchable. A path that now holds other content is dropped
 *   from the old document, and a document whose every path now holds other
 *   content (edited in place) is deleted: the old version exists nowhere.
 * - `full` mirrors the disk: content no longer present at any listed path is
 *   a deletion, and paths list only where it is now.
 * - A record of something that was never read (`file:` ids: over the size
 *   limit, unreadable, a pipe or socket, a folder that cannot be opened) that
 *   is not met again is deleted in both modes: it holds no content worth
 *   keeping, and what it described is gone or is now read (and recorded by
 *   its content).
 * - Nothing is deleted when one of its paths could not be read.
 */
export function planImport(input: PlanInput): ImportPlan {
  const { mode, seen, seenPaths, known } = input;
  const upserts: PlannedDocument[] = [];
  const deletions: string[] = [];

  for (const content of seen.values()) {
    const knownDoc = known.get(content.externalId);
    const before = knownImportFiles(knownDoc);
    const kept = mode === 'incremental' ? before.filter((f) => !seenPaths.has(f.path)) : [];
    const files = orderLikeBefore(before, [...content.files, ...kept]);
    if (knownDoc && knownDoc.contentHash === content.contentHash && sameFiles(before, files)) continue;
    upserts.push({ ...content, files });
  }

  for (const id of known.ids()) {
    if (seen.has(id)) continue;
    const doc = known.get(id);
    const before = knownImportFiles(doc);
    if (before.some((f) => input.isProtected(f.path))) continue;
    if (mode === 'full' || id.startsWith(UNREAD_PREFIX)) {
      deletions.push(id);
      continue;
    }
    const remaining = before.filter((f) => !seenPaths.has(f.path));
    if (before.length > 0 && remaining.length === 0) deletions.push(id);
    else if (remaining.length < before.length && doc?.contentHash) {
      upserts.push({ externalId: id, contentHash: doc.contentHash, files: remaining });
    }
  }
  return { upserts, deletions };
}

/** Paths known before keep their place (and so the title stays put); new ones follow in walk order. */
function orderLikeBefore(before: ImportedFile[], files: ImportedFile[]): ImportedFile[] {
  const rank = new Map(before.map((f, i) => [f.path, i]));
  return files
    .map((file, index) => ({ file, key: rank.get(file.path) ?? before.length + index }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.file);
}

function sameFiles(a: ImportedFile[], b: ImportedFile[]): boolean {
  return (
    a.length === b.length &&
    a.every((f, i) => f.path === b[i]!.path && f.sizeBytes === b[i]!.sizeBytes && f.mtimeMs === b[i]!.mtimeMs)
  );
}
