import { basename } from 'node:path';
import type { MailLimits } from '../../ingest/limits';
import type { SourceDocument } from '../types';
import { fileUrl, type FsPath } from '../fs/file-names';
import { attachmentDocuments, messageDocument, readMboxMessage, type MailSource } from '../fs/mail/mail-documents';
import { MAILBOX_MIME_TYPE } from '../fs/mail/mailbox-scan';
import { readMbox } from '../fs/mail/mbox-reader';
import { outlineMessage, type MessageOutline } from '../fs/mail/message-outline';
import type { ImportedFile } from './import-plan';
import { plural } from '../../../../shared/counted';

/**
 * Mail in imports. Like every import, what a mail file holds is stored by
 * content: a message is `sha256:<hash of its bytes>` (so the same message
 * in two mailboxes is one document), its attachments
 * `sha256:<hash>#attachment:<part>`, and each is "found at" a path under its
 * file (`<mbox path>#<Message-ID>`, `<eml path>#attachment:<part>`), which
 * the import plan uses as it uses file paths: additive for a new drop,
 * mirroring for a full sync. A mailbox also gets a record of its own,
 * `mailbox:<path>`, whose size and mtime tell the next sync it is unchanged.
 * A mailbox that changed is read again whole (streamed); unchanged messages
 * keep their ids, so only new ones are processed.
 */
export interface ImportedMailDocument {
  externalId: string;
  contentHash: string;
  file: ImportedFile;
  /** Builds the document once the plan knows every path it is at. */
  build(files: ImportedFile[]): SourceDocument;
  skipReason?: string;
}

export const MAILBOX_PREFIX = 'mailbox:';

export interface MailboxImportInput {
  absolutePath: string;
  fsPath: FsPath;
  sizeBytes: number;
  mtimeMs: number;
  maxMessageBytes: number;
  tooLarge(size: number): string;
  limits: MailLimits;
  signal: AbortSignal;
  onRead(bytes: number): void;
}

/** Every message of an mbox (and their attachments), then the mailbox's own record. Streams the file. */
export async function* importMailbox(input: MailboxImportInput): AsyncGenerator<ImportedMailDocument, void, void> {
  const { absolutePath, fsPath, mtimeMs } = input;
  const taken = new Set<string>();
  let messages = 0;
  for await (const found of readMbox(fsPath, {
    from: 0,
    to: input.sizeBytes,
    maxMessageBytes: input.maxMessageBytes,
    signal: input.signal,
  })) {
    messages++;
    input.onRead(found.length);
    let outline: MessageOutline = { attachments: [] };
    if (found.message) outline = await outlineMessage(found.message, input.limits).catch(() => outline);
    let key = outline.messageId ?? `sha256:${found.hash.slice(0, 16)}`;
    for (let n = 2; taken.has(key); n++) key = `${outline.messageId}~${n}`;
    taken.add(key);
    const at = { offset: found.offset, length: found.length, hash: found.hash };
    const source: MailSource = {
      absolutePath,
      fsPath,
      externalId: `sha256:${found.hash}`,
      hash: found.hash,
      modifiedAt: Math.trunc(mtimeMs),
      outline,
      read: () => readMboxMessage(fsPath, at, absolutePath),
      metadata: { mailbox: absolutePath, offset: found.offset, length: found.length },
    };
    const file = { path: `${absolutePath}#${key}`, sizeBytes: found.length, mtimeMs };
    const skipReason = found.message ? undefined : input.tooLarge(found.length);
    yield {
      externalId: source.externalId,
      contentHash: found.hash,
      file,
      skipReason,
      build: (files) => withFiles(messageDocument(source, found.length, skipReason), files),
    };
    if (found.message) yield* attachmentsOf(source, file);
  }
  const summary = `Mailbox ${basename(absolutePath)}: ${plural(messages, 'message')}, each indexed as its own document.`;
  const file = { path: absolutePath, sizeBytes: input.sizeBytes, mtimeMs };
  yield {
    externalId: `${MAILBOX_PREFIX}${absolutePath}`,
    contentHash: `mailbox:${input.sizeBytes}:${mtimeMs}:${messages}`,
    file,
    build: (files) => ({
      externalId: `${MAILBOX_PREFIX}${absolutePath}`,
      title: basename(absolutePath),
      mimeType: MAILBOX_MIME_TYPE,
      sourceUrl: fileUrl(fsPath),
      contentHash: `mailbox:${input.sizeBytes}:${mtimeMs}:${messages}`,
      sizeBytes: input.sizeBytes,
      modifiedAt: Math.trunc(mtimeMs),
      metadata: { path: absolutePath, messages, ...filesMetadata(files) },
      load: () => Promise.resolve({ kind: 'text', text: summary, mimeType: 'text/plain' }),
    }),
  };
}

/** The attachments of an imported .eml file (its message is the file itself). */
export async function importMessageAttachments(input: {
  absolutePath: string;
  fsPath: FsPath;
  contentHash: string;
  sizeBytes: number;
  mtimeMs: number;
  read(signal: AbortSignal): Promise<Buffer>;
  limits: MailLimits;
  signal: AbortSignal;
}): Promise<{ subject?: string; documents: ImportedMailDocument[] }> {
  let outline: MessageOutline;
  try {
    outline = await outlineMessage(await input.read(input.signal), input.limits);
  } catch {
    return { documents: [] };
  }
  const source: MailSource = {
    absolutePath: input.absolutePath,
    fsPath: input.fsPath,
    externalId: `sha256:${input.contentHash}`,
    hash: input.contentHash,
    modifiedAt: Math.trunc(input.mtimeMs),
    outline,
    read: input.read,
    metadata: {},
  };
  const file = { path: input.absolutePath, sizeBytes: input.sizeBytes, mtimeMs: input.mtimeMs };
  return { ...(outline.subject ? { subject: outline.subject } : {}), documents: [...attachmentsOf(source, file)] };
}

function* attachmentsOf(source: MailSource, message: ImportedFile): Generator<ImportedMailDocument> {
  for (const document of attachmentDocuments(source)) {
    const partId = String(document.metadata.partId);
    yield {
      externalId: document.externalId,
      contentHash: document.contentHash,
      file: { ...message, path: `${message.path}#attachment:${partId}` },
      build: (files) => withFiles(document, files),
    };
  }
}

function withFiles(document: SourceDocument, files: ImportedFile[]): SourceDocument {
  return { ...document, metadata: { ...document.metadata, ...filesMetadata(files) } };
}

/** What the import plan reads back next time (metadata.files), and the paths shown. */
function filesMetadata(files: ImportedFile[]): Record<string, unknown> {
  return { path: files[0]?.path, paths: files.map((f) => f.path), files };
}
