import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MailLimits } from '../../../ingest/limits';
import type { SourceDocument, SyncOptions } from '../../types';
import { fileUrl, type FsPath } from '../file-names';
import { attachmentDocuments, messageDocument, readMboxMessage, type MailSource } from './mail-documents';
import { readMbox, type MboxMessage } from './mbox-reader';
import { outlineMessage, type MessageOutline } from './message-outline';
import { plural } from '../../../../../shared/counted';

/** An mbox file met by a sync. */
export interface MailboxFile {
  /** The mailbox's own document id; its messages' ids start with `<externalId>#`. */
  externalId: string;
  absolutePath: string;
  fsPath: FsPath;
  sizeBytes: number;
  mtimeMs: number;
}

export interface MailboxScanOptions {
  mode: SyncOptions['mode'];
  known: SyncOptions['known'];
  /** Known ids of this mailbox's messages and their attachments. */
  children: readonly string[];
  /** A message larger than this is recorded as skipped with `tooLarge`'s reason, never held. */
  maxMessageBytes: number;
  tooLarge(size: number): string;
  /** Messages up to this size keep their bytes for `load`; larger ones are read again from the file. */
  keepBytesUpTo: number;
  limits: MailLimits;
  /** Metadata every document of the mailbox carries (its path, relative path). */
  metadata: Record<string, unknown>;
  /** Called for every id that exists after this scan, changed or not: the rest are deletions. */
  seen(id: string): void;
  /** Counts the bytes of the mailbox read (the sync's `bytesTransferred`). */
  onRead(bytes: number): void;
  signal: AbortSignal;
}

/**
 * Where the last scan of a mailbox stopped, kept in the mailbox document's
 * metadata (`mailbox`). The next scan resumes at `resumeAt` (the start of
 * the last message, which may have been cut short by a writer still
 * appending) when the file only grew: its size is at least `resumeAt` and
 * the 4 KB before it are unchanged (`check`). Anything else (a mailbox
 * compacted, a message removed) reads it again from the start, and messages
 * whose bytes did not change are recognised by their hash.
 */
export interface MailboxState {
  sizeBytes: number;
  mtimeMs: number;
  resumeAt: number;
  check: string;
  /** Messages before `resumeAt`. */
  messagesBefore: number;
  /** Ids found at or after `resumeAt` (the last message and its attachments): met again, or deleted, by the next scan. */
  tailIds: string[];
  firstDate?: string;
  lastDate?: string;
}

const CHECK_BYTES = 4096;
export const MAILBOX_MIME_TYPE = 'application/mbox';

/**
 * Lists the documents of one mbox: yields every message (and attachment)
 * that is new or changed, marks every one that still exists as seen, and
 * returns the mailbox's own document (its state and a short summary), or
 * undefined when the file is unchanged. Streams the file (see readMbox):
 * memory stays at one message however large the mailbox is. A `full` sync
 * always reads the whole file, which also retries messages that failed.
 */
export async function* scanMailbox(
  file: MailboxFile,
  options: MailboxScanOptions,
): AsyncGenerator<SourceDocument, SourceDocument | undefined, void> {
  const previous = readState(options.known.get(file.externalId)?.metadata.mailbox);
  if (
    previous &&
    previous.sizeBytes === file.sizeBytes &&
    previous.mtimeMs === file.mtimeMs &&
    options.mode !== 'full'
  ) {
    options.children.forEach((id) => options.seen(id));
    return undefined;
  }
  const resume = previous && options.mode !== 'full' ? await resumePoint(file, previous) : undefined;
  const taken = new Set<string>();
  let messages = 0;
  let dates: { first?: string; last?: string } = {};
  if (resume && previous) {
    const tail = new Set(previous.tailIds);
    for (const id of options.children) {
      if (tail.has(id)) continue;
      options.seen(id);
      taken.add(id);
    }
    messages = previous.messagesBefore;
    dates = { first: previous.firstDate, last: previous.lastDate };
  }
  let last: { offset: number; ids: string[] } | undefined;
  for await (const found of readMbox(file.fsPath, {
    from: resume ?? 0,
    to: file.sizeBytes,
    maxMessageBytes: options.maxMessageBytes,
    signal: options.signal,
  })) {
    messages++;
    options.onRead(found.length);
    const outline = found.message ? await outlineOrEmpty(found.message, options.limits) : { attachments: [] };
    if (outline.date) {
      if (!dates.first || outline.date < dates.first) dates.first = outline.date;
      if (!dates.last || outline.date > dates.last) dates.last = outline.date;
    }
    const id = uniqueId(`${file.externalId}#${outline.messageId ?? `sha256:${found.hash.slice(0, 16)}`}`, taken);
    const source = mailSource(file, id, found, outline, options);
    const documents = found.message
      ? [messageDocument(source, found.length), ...attachmentDocuments(source)]
      : [messageDocument(source, found.length, options.tooLarge(found.length))];
    for (const document of documents) {
      options.seen(document.externalId);
      if (options.known.get(document.externalId)?.contentHash !== document.contentHash) yield document;
    }
    last = { offset: found.offset, ids: documents.map((document) => document.externalId) };
  }
  const state: MailboxState = {
    sizeBytes: file.sizeBytes,
    mtimeMs: file.mtimeMs,
    resumeAt: last?.offset ?? 0,
    check: last ? await checkBefore(file.fsPath, last.offset) : '',
    messagesBefore: Math.max(0, messages - (last ? 1 : 0)),
    tailIds: last?.ids ?? [],
    ...(dates.first ? { firstDate: dates.first } : {}),
    ...(dates.last ? { lastDate: dates.last } : {}),
  };
  return mailboxDocument(file, state, messages, options.metadata);
}

/** The mailbox's own document: its scan state in metadata, and a one-paragraph summary as its text. */
function mailboxDocument(
  file: MailboxFile,
  state: MailboxState,
  messages: number,
  metadata: Record<string, unknown>,
): SourceDocument {
  const name = basename(file.absolutePath);
  const span =
    state.firstDate && state.lastDate ? `, from ${state.firstDate.slice(0, 10)} to ${state.lastDate.slice(0, 10)}` : '';
  const summary = `Mailbox ${name}: ${plural(messages, 'message')}${span}, each indexed as its own document.`;
  return {
    externalId: file.externalId,
    title: name,
    mimeType: MAILBOX_MIME_TYPE,
    sourceUrl: fileUrl(file.fsPath),
    contentHash: `mailbox:${file.sizeBytes}:${file.mtimeMs}:${messages}`,
    sizeBytes: file.sizeBytes,
    modifiedAt: Math.trunc(file.mtimeMs),
    metadata: { ...metadata, messages, mailbox: state },
    load: () => Promise.resolve({ kind: 'text', text: summary, mimeType: 'text/plain' }),
  };
}

function mailSource(
  file: MailboxFile,
  externalId: string,
  found: MboxMessage,
  outline: MessageOutline,
  options: MailboxScanOptions,
): MailSource {
  const kept = found.message && found.length <= options.keepBytesUpTo ? found.message : undefined;
  const at = { offset: found.offset, length: found.length, hash: found.hash };
  return {
    absolutePath: file.absolutePath,
    fsPath: file.fsPath,
    externalId,
    hash: found.hash,
    modifiedAt: Math.trunc(file.mtimeMs),
    outline,
    read: () => (kept ? Promise.resolve(kept) : readMboxMessage(file.fsPath, at, file.absolutePath)),
    metadata: { ...options.metadata, mailbox: file.externalId, offset: found.offset, length: found.length },
  };
}

/** A message whose structure cannot be outlined is still listed; its parse then fails with the reason. */
async function outlineOrEmpty(message: Buffer, limits: MailLimits): Promise<MessageOutline> {
  try {
    return await outlineMessage(message, limits);
  } catch {
    return { attachments: [] };
  }
}

/** Message ids repeat in real mailboxes (a message filed twice): later copies get `~2`, `~3`. */
function uniqueId(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}~${n}`;
  taken.add(candidate);
  return candidate;
}

/** The offset to resume from when the file only grew since `state`, else undefined (read it all). */
async function resumePoint(file: MailboxFile, state: MailboxState): Promise<number | undefined> {
  if (state.resumeAt <= 0 || file.sizeBytes < state.resumeAt) return undefined;
  return (await checkBefore(file.fsPath, state.resumeAt)) === state.check ? state.resumeAt : undefined;
}

async function checkBefore(path: FsPath, offset: number): Promise<string> {
  const start = Math.max(0, offset - CHECK_BYTES);
  const bytes = Buffer.alloc(offset - start);
  const handle = await open(path, 'r');
  try {
    await handle.read(bytes, 0, bytes.length, start);
  } finally {
    await handle.close();
  }
  return createHash('sha256').update(bytes).digest('hex');
}

function readState(value: unknown): MailboxState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const state = value as Partial<MailboxState>;
  return typeof state.resumeAt === 'number' &&
    typeof state.sizeBytes === 'number' &&
    typeof state.mtimeMs === 'number' &&
    typeof state.check === 'string' &&
    typeof state.messagesBefore === 'number' &&
    Array.isArray(state.tailIds)
    ? (state as MailboxState)
    : undefined;
}
