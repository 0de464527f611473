import { Splitter } from '@zone-eu/mailsplit';
import type { SplitterChunk } from '@zone-eu/mailsplit/lib/types';
import libmime from 'libmime';
import type { MailLimits } from '../../../ingest/limits';

/** An attachment of a message, as listed before anything is decoded. */
export interface AttachmentOutline {
  /** IMAP-style MIME part number (`2`, `1.3`): how the parser finds it again (mailparser's `partId`). */
  partId: string;
  fileName: string;
  contentType: string;
}

/** What a connector needs to know of a message to list it and its attachments as documents. */
export interface MessageOutline {
  /** The Message-ID without angle brackets, when the message has one. */
  messageId?: string;
  subject?: string;
  /** ISO date from the Date header, when it parses. */
  date?: string;
  attachments: AttachmentOutline[];
}

/**
 * Outlines a message with mailsplit (mailparser's own MIME splitter), which
 * reads the part structure and headers without decoding any body, about
 * four times faster than a full parse: cheap enough for the connector's
 * thread while a large mailbox is walked. The attachments are chosen by
 * mailparser's rule (see isAttachment), so the parser thread finds each one
 * again by its part number; a message with more than `maxAttachments`
 * lists only the first ones.
 */
export async function outlineMessage(message: Buffer, limits: MailLimits): Promise<MessageOutline> {
  const splitter = new Splitter({ maxChildNodes: limits.maxParts });
  const outline: MessageOutline = { attachments: [] };
  splitter.on('data', (chunk: SplitterChunk) => {
    if (chunk.type !== 'node') return;
    const data = chunk as unknown as SplitNode;
    if (data.root) readRootHeaders(data, outline);
    if (data.multipart) return;
    if (!isAttachment(data) || outline.attachments.length >= limits.maxAttachments) return;
    // Pictures shown inside a formatted message (cid: images) are not documents of their own.
    if (data.headers.get('content-id').length > 0 && insideRelated(data)) return;
    const partId = partIdOf(data);
    if (!partId) return;
    outline.attachments.push({
      partId,
      fileName: (typeof data.filename === 'string' && data.filename.trim()) || `attachment ${partId}`,
      contentType: data.contentType || 'application/octet-stream',
    });
  });
  // mailsplit declares only its 'data' event; it is a Transform stream and ends like one.
  const stream = splitter as unknown as NodeJS.ReadWriteStream;
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.end(message);
  });
  return outline;
}

/** The parts of mailsplit's MimeNode read here. */
interface SplitNode {
  type: string;
  root: boolean;
  multipart: string | false;
  contentType: string | false;
  disposition: string | false;
  filename: string | false;
  messageNode?: boolean;
  partNr: Array<number | string> | false;
  _parentBoundary: unknown;
  parentNode: SplitNode | false;
  headers: { get(key: string): string[] };
}

const TEXT_TYPES = new Set(['text/plain', 'text/html', 'message/delivery-status']);

/**
 * mailparser's rule (MailParser.createNode): a leaf part is an attachment
 * when it is not text (plain, HTML, delivery status) or not shown inline;
 * an embedded message it parses (`messageNode`) is read through, not attached.
 */
function isAttachment(node: SplitNode): boolean {
  const contentType = node.contentType || (node.root ? 'text/plain' : '');
  if (contentType === 'message/rfc822' && node.messageNode) return false;
  let disposition = node.disposition || '';
  if (disposition && disposition !== 'attachment' && disposition !== 'inline') disposition = 'attachment';
  if (!disposition) disposition = TEXT_TYPES.has(contentType) ? 'inline' : 'attachment';
  return !TEXT_TYPES.has(contentType) || disposition !== 'inline';
}

function insideRelated(node: SplitNode): boolean {
  for (let parent = node.parentNode; parent; parent = parent.parentNode) {
    if (parent.contentType === 'multipart/related') return true;
  }
  return false;
}

/** mailparser's partId: the numeric parts of mailsplit's part number, only for parts inside a multipart. */
function partIdOf(node: SplitNode): string | undefined {
  if (!node._parentBoundary || !node.partNr) return undefined;
  const id = node.partNr.filter((nr) => typeof nr === 'number').join('.');
  return id || undefined;
}

function readRootHeaders(node: SplitNode, outline: MessageOutline): void {
  const value = (key: string): string | undefined => {
    const line = node.headers.get(key)[0];
    if (!line) return undefined;
    const decoded = libmime.decodeWords(libmime.decodeHeader(line).value).replace(/\s+/g, ' ').trim();
    return decoded || undefined;
  };
  const messageId = value('message-id')?.replace(/^<|>$/g, '').trim();
  if (messageId) outline.messageId = messageId;
  const subject = value('subject');
  if (subject) outline.subject = subject;
  const date = value('date');
  const time = date ? Date.parse(date) : NaN;
  if (!Number.isNaN(time)) outline.date = new Date(time).toISOString();
}
