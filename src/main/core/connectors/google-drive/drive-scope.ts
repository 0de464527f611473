import type { DriveApi, DriveFile } from './drive-api';
import { FOLDER_MIME } from './drive-documents';
import type { GoogleDriveSettings } from './settings';

/** Folder chains deeper than this are treated as outside the included folders. */
const MAX_DEPTH = 64;

/**
 * Answers "is this file inside the folders the person chose, and of a wanted
 * type?". Folder membership is resolved by walking `parents` upward, with
 * every folder's answer cached for the run, so a change feed of N files
 * costs at most one metadata call per distinct unknown folder.
 */
export class DriveScope {
  private readonly roots: Set<string> | undefined;
  private readonly folderAnswers = new Map<string, Promise<boolean>>();

  constructor(
    private readonly api: DriveApi,
    private readonly settings: GoogleDriveSettings,
  ) {
    this.roots = settings.folderIds && settings.folderIds.length > 0 ? new Set(settings.folderIds) : undefined;
  }

  get hasFolderFilter(): boolean {
    return this.roots !== undefined;
  }

  /** The folder roots to walk on a full listing (empty when everything is in scope). */
  get rootFolderIds(): string[] {
    return this.roots ? [...this.roots] : [];
  }

  /** Records that a folder reached by walking down from a root is in scope. */
  markFolderIncluded(folderId: string): void {
    this.folderAnswers.set(folderId, Promise.resolve(true));
  }

  matchesType(file: DriveFile): boolean {
    const wanted = this.settings.mimeTypes;
    if (!wanted || wanted.length === 0) return true;
    return wanted.includes(file.mimeType);
  }

  async includes(file: DriveFile): Promise<boolean> {
    if (!this.matchesType(file)) return false;
    if (!this.roots) return true;
    if (this.roots.has(file.id) && file.mimeType === FOLDER_MIME) return true;
    return this.anyParentIncluded(file.parents ?? [], 0);
  }

  private async anyParentIncluded(parents: string[], depth: number): Promise<boolean> {
    for (const parent of parents) {
      if (await this.folderIncluded(parent, depth)) return true;
    }
    return false;
  }

  private folderIncluded(folderId: string, depth: number): Promise<boolean> {
    if (this.roots?.has(folderId)) return Promise.resolve(true);
    if (depth >= MAX_DEPTH) return Promise.resolve(false);
    let answer = this.folderAnswers.get(folderId);
    if (!answer) {
      answer = this.api
        .getFile(folderId, 'id,parents,trashed')
        .then((folder) =>
          folder && !folder.trashed ? this.anyParentIncluded(folder.parents ?? [], depth + 1) : false,
        );
      this.folderAnswers.set(folderId, answer);
    }
    return answer;
  }
}
