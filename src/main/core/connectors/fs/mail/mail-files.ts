import type { MailLimits } from '../../../ingest/limits';
import type { SourceDocument } from '../../types';
import { readLocalFile } from '../file-document';
import type { FsPath } from '../file-names';
import { fileExtension } from '../mime';
import { attachmentDocuments } from './mail-documents';
import { outlineMessage } from './message-outline';

/**
 * Files that hold more than one document: an mbox (its messages, and their
 * attachments) and an .eml message (itself, and its attachments). What they
 * hold gets ids under the file's own: `<file id>#<...>`.
 */
const MAILBOX_EXTENSIONS = new Set(['mbox', 'mbx']);

export function isMailboxPath(path: string): boolean {
  return MAILBOX_EXTENSIONS.has(fileExtension(path));
}

export function isMessagePath(path: string): boolean {
  return fileExtension(path) === 'eml';
}

/** Known ids by the file they are under (`inbox.mbox#...` under `inbox.mbox`), built once per sync. */
export class ContainedIds {
  private readonly byContainer = new Map<string, string[]>();

  constructor(ids: Iterable<string>) {
    for (const id of ids) {
      // A file's own name may hold '#': every '#' is a possible split.
      for (let at = id.indexOf('#'); at > 0; at = id.indexOf('#', at + 1)) {
        const container = id.slice(0, at);
        const list = this.byContainer.get(container);
        if (list) list.push(id);
        else this.byContainer.set(container, [id]);
      }
    }
  }

  of(containerId: string): readonly string[] {
    return this.byContainer.get(containerId) ?? [];
  }
}

export interface MessageFileInput {
  externalId: string;
  absolutePath: string;
  fsPath: FsPath;
  contentHash: string;
  mtimeMs: number;
  /** The bytes, when they were kept while hashing. */
  bytes?: Uint8Array;
  maxBytes: number;
  tooLarge(size: number): string;
  limits: MailLimits;
  metadata: Record<string, unknown>;
  signal: AbortSignal;
}

/**
 * What an .eml file holds besides its own text: its subject (the
 * document's title) and one document per attachment. A message whose
 * structure cannot be read has no attachments listed; its parse then
 * fails with the reason.
 */
export async function messageFileParts(
  input: MessageFileInput,
): Promise<{ title?: string; attachments: SourceDocument[] }> {
  const limit = { maxBytes: input.maxBytes, tooLarge: input.tooLarge };
  const read = async (signal: AbortSignal): Promise<Buffer> =>
    Buffer.from(input.bytes ?? (await readLocalFile(input.fsPath, input.absolutePath, limit, signal)));
  let outline;
  try {
    outline = await outlineMessage(await read(input.signal), input.limits);
  } catch {
    return { attachments: [] };
  }
  const attachments = attachmentDocuments({
    absolutePath: input.absolutePath,
    fsPath: input.fsPath,
    externalId: input.externalId,
    hash: input.contentHash,
    modifiedAt: Math.trunc(input.mtimeMs),
    outline,
    read,
    metadata: input.metadata,
  });
  return { ...(outline.subject ? { title: outline.subject } : {}), attachments };
}
