import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { DEFAULT_PARSE_LIMITS, type MailLimits } from '../limits';
import { ParseFailure, shortParserReason, unreadableAs } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { htmlToMarkdown } from './html';
import { normaliseText } from './text';

/**
 * E-mail messages (RFC 822 / MIME, as in .eml files and each message of an
 * mbox) with mailparser: the subject is the title; sender, recipients and
 * date go to metadata and to a short header at the top of the text (so a
 * search for a sender finds the message); the body is the plain-text part,
 * or the HTML part converted to Markdown when there is no plain one.
 * Attachments are documents of their own (see `mailAttachment`); the
 * message's text lists their names.
 */
export async function parseMail(
  bytes: Uint8Array,
  limits: MailLimits = DEFAULT_PARSE_LIMITS.mail,
): Promise<ParsedDocument> {
  const mail = await readMail(bytes, limits);
  const from = addresses(mail.from);
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined;
  const attachments = indexedAttachments(mail).map((attachment) => attachmentName(attachment));
  const header = [
    mail.subject ? `Subject: ${mail.subject}` : '',
    from.length ? `From: ${from.join(', ')}` : '',
    to.length ? `To: ${to.join(', ')}` : '',
    cc.length ? `Cc: ${cc.join(', ')}` : '',
    date ? `Date: ${date}` : '',
    attachments.length ? `Attachments: ${attachments.join(', ')}` : '',
  ].filter((line) => line !== '');
  const plain = typeof mail.text === 'string' && mail.text.trim() !== '' ? normaliseText(mail.text) : undefined;
  const body = plain ?? (typeof mail.html === 'string' ? htmlToMarkdown(mail.html) : '');
  const metadata: Record<string, string | string[]> = {};
  if (from.length) metadata.from = from;
  if (to.length) metadata.to = to;
  if (cc.length) metadata.cc = cc;
  if (date) metadata.date = date;
  if (mail.messageId) metadata.messageId = mail.messageId;
  if (attachments.length) metadata.attachments = attachments;
  return {
    text: `${header.join('\n')}\n\n${body.trim()}`.trim(),
    format: plain === undefined && body !== '' ? 'markdown' : 'plain',
    ...(mail.subject?.trim() ? { title: mail.subject.trim() } : {}),
    metadata,
  };
}

/** An attachment's own content, to be parsed as the file it is. */
export interface MailAttachmentContent {
  bytes: Uint8Array;
  fileName: string;
  mimeType: string;
}

/**
 * The attachment at MIME part `partId` (e.g. `2`, `1.3`) of a message.
 * Throws ParseFailure `corrupt` when the message has no such attachment
 * (it changed since it was listed).
 */
export async function mailAttachment(
  bytes: Uint8Array,
  partId: string,
  limits: MailLimits = DEFAULT_PARSE_LIMITS.mail,
): Promise<MailAttachmentContent> {
  const mail = await readMail(bytes, limits);
  const attachment = mail.attachments.find((candidate) => candidate.partId === partId);
  if (!attachment) {
    throw new ParseFailure(
      'corrupt',
      `The message no longer has the attachment at part ${partId}; sync again to update the index.`,
    );
  }
  return { bytes: attachment.content, fileName: attachmentName(attachment), mimeType: attachment.contentType };
}

/**
 * The attachments indexed as documents of their own: every attachment but
 * the pictures a formatted message shows inline (`cid:` images in
 * multipart/related, such as a logo in a signature).
 */
export function isIndexedAttachment(attachment: Pick<Attachment, 'related'>): boolean {
  return !attachment.related;
}

/** The attachment's file name, or one made from its part number when it has none. */
export function attachmentName(attachment: Pick<Attachment, 'filename' | 'partId'>): string {
  return attachment.filename?.trim() || `attachment ${attachment.partId ?? '1'}`;
}

function indexedAttachments(mail: ParsedMail): Attachment[] {
  return mail.attachments.filter((attachment) => isIndexedAttachment(attachment));
}

async function readMail(bytes: Uint8Array, limits: MailLimits): Promise<ParsedMail> {
  if (!looksLikeMessage(bytes)) {
    throw unreadableAs('e-mail message', 'it has no message headers.');
  }
  try {
    return await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
      maxChildNodes: limits.maxParts,
    });
  } catch (error) {
    const message = shortParserReason(error);
    if (/child nodes|max.*nodes/i.test(message)) {
      throw new ParseFailure(
        'exceeds_limits',
        `This e-mail message has more than ${limits.maxParts.toLocaleString('en')} MIME parts; Trove stops there, so it was not read.`,
        { cause: error },
      );
    }
    throw unreadableAs('e-mail message', message, error);
  }
}

/**
 * A message starts with header lines (`Name: value`), after an optional
 * mbox `From ` line. mailparser takes any bytes as a message with no
 * headers and the whole input as its body, which would index a binary file
 * named .eml as text.
 */
function looksLikeMessage(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const firstLines = head.replace(/^From .*\r?\n/, '').split(/\r?\n/, 3);
  return /^[!-9;-~]+:/.test(firstLines[0] ?? '');
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list
    .flatMap((object) =>
      object.value.map((entry) =>
        entry.name && entry.address ? `${entry.name} <${entry.address}>` : (entry.address ?? entry.name ?? ''),
      ),
    )
    .filter((text) => text !== '');
}
