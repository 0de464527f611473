import { AppError } from '../../../../shared/errors';
import { DEFAULT_PARSE_LIMITS } from '../../ingest/limits';
import type { Logger } from '../../logger';
import type { SourceDocument, SyncOptions } from '../types';
import { unreadableHash } from '../fs/change-detection';
import { isAbortError, isMissingError, unreadableReason } from '../fs/fs-errors';
import { ContainedIds, isMessagePath, messageFileParts } from '../fs/mail/mail-files';
import { scanMailbox } from '../fs/mail/mailbox-scan';
import type { SizeLimit } from '../fs/size-limit';
import type { WalkedFile } from '../fs/walk';

/** What a folder sync lends its mail handling. */
export interface FolderMailHost {
  options: SyncOptions;
  limit: SizeLimit;
  keepBytesUpTo: number;
  logger: Logger;
  /** The sync's set of ids met: whatever is not in it at the end is deleted. */
  seen: Set<string>;
  /** The document of a file itself. */
  document(
    file: WalkedFile,
    hash: string,
    extra: { skipReason?: string; bytes?: Uint8Array; title?: string },
  ): SourceDocument;
  metadataOf(file: WalkedFile): Record<string, unknown>;
}

/**
 * The part of a local folder sync that deals with mail files, which hold
 * several documents each (see fs/mail/README.md): an .eml's attachments and
 * an mbox's messages, and which of the ids under them still exist.
 */
export class FolderMail {
  /** Known ids under mail files (messages, attachments), indexed on first use. */
  private containedIds: ContainedIds | undefined;
  /** Mail files met in this run: what they held is a deletion candidate even in an `onlyExternalIds` sync. */
  private readonly containers: string[] = [];

  constructor(private readonly host: FolderMailHost) {}

  /** An .eml file that changed: the message itself, titled by its subject, and its new or changed attachments. */
  async message(file: WalkedFile, contentHash: string, bytes: Uint8Array | undefined): Promise<SourceDocument[]> {
    const { options, limit } = this.host;
    this.containers.push(file.relativePath);
    const parts = await messageFileParts({
      externalId: file.relativePath,
      absolutePath: file.absolutePath,
      fsPath: file.fsPath,
      contentHash,
      mtimeMs: file.mtimeMs,
      bytes,
      maxBytes: limit.bytes,
      tooLarge: limit.reason,
      limits: DEFAULT_PARSE_LIMITS.mail,
      metadata: this.host.metadataOf(file),
      signal: options.signal,
    });
    const documents = [this.host.document(file, contentHash, { bytes, title: parts.title })];
    for (const attachment of parts.attachments) {
      this.host.seen.add(attachment.externalId);
      if (options.known.get(attachment.externalId)?.contentHash !== attachment.contentHash) documents.push(attachment);
    }
    return documents;
  }

  /**
   * An mbox: streamed into its new and changed documents (see
   * fs/mail/mailbox-scan.ts). A mailbox that cannot be read keeps what was
   * indexed from it and is recorded with the reason.
   */
  async *mailbox(file: WalkedFile): AsyncGenerator<SourceDocument, void, void> {
    const { options, limit, seen } = this.host;
    this.containers.push(file.relativePath);
    const children = this.contained().of(file.relativePath);
    const scan = scanMailbox(
      { ...file, externalId: file.relativePath },
      {
        mode: options.mode,
        known: options.known,
        children,
        maxMessageBytes: limit.bytes,
        tooLarge: limit.reason,
        keepBytesUpTo: this.host.keepBytesUpTo,
        limits: DEFAULT_PARSE_LIMITS.mail,
        metadata: this.host.metadataOf(file),
        seen: (id) => seen.add(id),
        onRead: (bytes) => (options.stats.bytesTransferred += bytes),
        signal: options.signal,
      },
    );
    try {
      let step = await scan.next();
      for (; !step.done; step = await scan.next()) yield step.value;
      if (step.value) yield step.value;
    } catch (error) {
      if (isAbortError(error)) throw new AppError('CANCELLED', 'The sync was cancelled.', { cause: error });
      if (isMissingError(error)) {
        seen.delete(file.relativePath);
        return;
      }
      children.forEach((id) => seen.add(id));
      this.host.logger.warn('cannot read a mailbox; its messages are kept', { relativePath: file.relativePath });
      const hash = unreadableHash(file.sizeBytes, file.mtimeMs);
      if (options.known.get(file.relativePath)?.contentHash !== hash) {
        yield this.host.document(file, hash, { skipReason: unreadableReason(error) });
      }
    }
  }

  /** An .eml file that did not change: its attachments are still there. */
  keepContained(id: string): void {
    if (!isMessagePath(id)) return;
    for (const child of this.contained().of(id)) this.host.seen.add(child);
  }

  /** The known ids under the mail files this run met. */
  heldByFilesMet(): string[] {
    return this.containers.flatMap((id) => this.contained().of(id));
  }

  private contained(): ContainedIds {
    this.containedIds ??= new ContainedIds(this.host.options.known.ids());
    return this.containedIds;
  }
}
