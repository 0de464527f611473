import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../../../../shared/errors';
import type { DocumentContent, SourceDocument } from '../../types';
import { fileUrl, type FsPath } from '../file-names';
import type { MessageOutline } from './message-outline';
import { withoutFromLine } from './mbox-reader';

/**
 * Documents for what a mail file holds: a message of an mbox, and the
 * attachments of any message (of an mbox, or an .eml file). Each is its
 * own document, with an id under its file's (`inbox.mbox#<message-id>`,
 * `<message id>#attachment:<part>`) and `metadata.parentExternalId` naming
 * the document it belongs to. Attachments are loaded as their message's
 * bytes with `part` set: the parser thread reads the attachment out of the
 * message and parses it as the file it is.
 */
export interface MailSource {
  /** The mail file, as shown and as opened. */
  absolutePath: string;
  fsPath: FsPath;
  /** The message document's id (for an .eml file, the file's own id). */
  externalId: string;
  /** Content hash of the message: an attachment's hash derives from it. */
  hash: string;
  /** Epoch ms of the file's last change. */
  modifiedAt: number;
  outline: MessageOutline;
  /** The message's bytes (read again from the file when they were not kept). */
  read(signal: AbortSignal): Promise<Buffer>;
  /** Metadata every document of this message carries (path, mailbox...). */
  metadata: Record<string, unknown>;
}

export const MESSAGE_MIME_TYPE = 'message/rfc822';

/** A message of an mbox, titled by its subject. */
export function messageDocument(source: MailSource, sizeBytes: number, skipReason?: string): SourceDocument {
  const { outline } = source;
  const title = outline.subject ?? '(no subject)';
  return {
    externalId: source.externalId,
    title,
    mimeType: MESSAGE_MIME_TYPE,
    sourceUrl: fileUrl(source.fsPath),
    contentHash: source.hash,
    sizeBytes,
    modifiedAt: source.modifiedAt,
    metadata: {
      ...source.metadata,
      ...(outline.messageId ? { messageId: outline.messageId } : {}),
      ...(outline.date ? { date: outline.date } : {}),
      attachments: outline.attachments.map((a) => a.fileName),
    },
    skipReason,
    load: async (signal) => ({
      kind: 'bytes',
      bytes: await source.read(signal),
      mimeType: MESSAGE_MIME_TYPE,
      fileName: `${basename(title)}.eml`,
    }),
  };
}

/** One document per attachment of the message, linked to it by `metadata.parentExternalId`. */
export function attachmentDocuments(source: MailSource): SourceDocument[] {
  return source.outline.attachments.map((attachment) => ({
    externalId: attachmentId(source.externalId, attachment.partId),
    title: attachment.fileName,
    mimeType: attachment.contentType,
    sourceUrl: fileUrl(source.fsPath),
    contentHash: `${source.hash}#${attachment.partId}`,
    modifiedAt: source.modifiedAt,
    metadata: {
      ...source.metadata,
      parentExternalId: source.externalId,
      partId: attachment.partId,
      fileName: attachment.fileName,
      ...(source.outline.subject ? { messageSubject: source.outline.subject } : {}),
    },
    load: async (signal): Promise<DocumentContent> => ({
      kind: 'bytes',
      bytes: await source.read(signal),
      mimeType: MESSAGE_MIME_TYPE,
      fileName: attachment.fileName,
      part: attachment.partId,
    }),
  }));
}

export function attachmentId(messageId: string, partId: string): string {
  return `${messageId}#attachment:${partId}`;
}

/**
 * Reads one message of an mbox back from the file, checking it is still the
 * message that was listed (same hash): a mailbox rewritten since (compacted,
 * a message deleted) fails this document only, and the next sync lists it anew.
 */
export async function readMboxMessage(
  fsPath: FsPath,
  at: { offset: number; length: number; hash: string },
  shownPath: string,
): Promise<Buffer> {
  const handle = await open(fsPath, 'r').catch((error: unknown) => {
    throw new AppError('UNAVAILABLE', `Trove could not open ${shownPath} to read a message from it.`, { cause: error });
  });
  try {
    const record = Buffer.alloc(at.length);
    const { bytesRead } = await handle.read(record, 0, at.length, at.offset);
    if (bytesRead !== at.length || createHash('sha256').update(record).digest('hex') !== at.hash) {
      throw new AppError(
        'CONFLICT',
        `The mailbox ${shownPath} changed while it was being indexed; the next sync reads this message again.`,
      );
    }
    return withoutFromLine(record);
  } finally {
    await handle.close();
  }
}
