import type { DocumentContent } from '../connectors/types';
import { decodeText } from './decode';
import { declaredCharset } from './legacy-encoding';
import { detectType, innerFileName, type DetectedType } from './file-types';
import { DEFAULT_PARSE_LIMITS, formatSize, type ParseLimits } from './limits';
import { zipCutShort } from './bounded-zip';
import { endsEarly } from './cut-short';
import { beforeCutPart } from './zip-local-headers';
import { ParseFailure, unreadableAs } from './parse-failure';
import { parseCode, parseMarkdown, parsePlain } from './parsers/text';
import { parseLatex } from './parsers/latex';
import { parseOrg } from './parsers/org';
import { parsePod } from './parsers/pod';
import type { ParsedDocument } from './types';
import { usableTitle } from './document-title';

/** Files above this size are skipped (`too_large`) unless the caller sets `maxBytes`. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export interface ParseOptions {
  /** Largest input accepted, in bytes (UTF-16 code units for text content). Default 50 MB. */
  maxBytes?: number;
  /** How far a file may expand while it is parsed. Default DEFAULT_PARSE_LIMITS. */
  limits?: ParseLimits;
  /** Called as a long parse moves on (after each PDF page, every 1,000 rows of a workbook), so a watcher can tell slow from stuck. */
  onProgress?: () => void;
}

/** Size used for limits: byte length for bytes, string length for text. */
export function contentSize(content: DocumentContent): number {
  return content.kind === 'bytes' ? content.bytes.byteLength : content.text.length;
}

/**
 * Checks the limits and decides the type, throwing the `ParseFailure`s that
 * need no parser: too large, empty, unsupported type, binary. Cheap (it reads
 * at most the first 8 KB), so the pool runs it before choosing a thread.
 */
export function checkContent(content: DocumentContent, options: ParseOptions = {}): DetectedType {
  const size = contentSize(content);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (size > maxBytes) {
    throw new ParseFailure(
      'too_large',
      `This file is ${formatSize(size)}; Trove reads files up to ${formatSize(maxBytes)}.`,
    );
  }
  if (size === 0) throw emptyFailure();
  const detected = detectType(content);
  if (detected.kind === 'unsupported') {
    throw new ParseFailure('unsupported_type', detected.reason ?? `Trove cannot read ${detected.label} yet.`);
  }
  if (detected.kind === 'generated') throw new ParseFailure('generated', detected.reason);
  if (detected.kind === 'mailbox') {
    throw new ParseFailure(
      'unsupported_type',
      'This is a mailbox (mbox) file. Trove splits mailboxes into their messages in local folders and imports; from this source it cannot read one whole. Add the file from a local folder to index its messages.',
    );
  }
  if (detected.kind === 'binary') {
    throw new ParseFailure('binary', 'This file contains binary data rather than text, so Trove cannot index it.');
  }
  return detected;
}

/** Types whose title is one the author wrote in the text, never a property a tool filled in. */
const WRITTEN_TITLE_KINDS = new Set<DetectedType['kind']>(['markdown', 'org']);

/** Types whose parsing is a decode and a pass over the text: fast enough for the calling thread. */
const LIGHTWEIGHT_KINDS = new Set<DetectedType['kind']>(['markdown', 'plain', 'org', 'latex', 'pod', 'code']);

export function isLightweight(detected: DetectedType): boolean {
  return LIGHTWEIGHT_KINDS.has(detected.kind);
}

/**
 * Parses content into text on the current thread. Heavy parsers (pdfjs,
 * mammoth, turndown) are imported on first use, so a thread that only ever
 * sees Markdown never loads them. Throws `ParseFailure` with a specific reason.
 */
export async function parseContent(content: DocumentContent, options: ParseOptions = {}): Promise<ParsedDocument> {
  const detected = checkContent(content, options);
  const parsed = await parseDetected(content, detected, options);
  // Pages waiting for OCR are text to come, not an empty document.
  if (parsed.text.trim() === '' && !parsed.ocr) throw emptyFailure();
  // One rule for every format: a title is kept only when a person would recognise it.
  const { title: raw, ...rest } = parsed;
  const title = usableTitle(raw, parsed.reader !== undefined && WRITTEN_TITLE_KINDS.has(parsed.reader));
  return title ? { ...rest, title } : rest;
}

/** Parses by the detected type, naming the reader that read the text (a compressed file's or an attachment's own). */
async function parseDetected(
  content: DocumentContent,
  detected: DetectedType,
  options: ParseOptions,
): Promise<ParsedDocument> {
  const parsed = await readDetected(content, detected, options);
  return parsed.reader ? parsed : { ...parsed, reader: detected.kind };
}

async function readDetected(
  content: DocumentContent,
  detected: DetectedType,
  options: ParseOptions,
): Promise<ParsedDocument> {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const text = (): string => {
    if (content.kind === 'text') return content.text;
    return decodeText(content.bytes, detected.kind === 'html' ? declaredCharset(content.bytes) : undefined);
  };
  switch (detected.kind) {
    case 'markdown':
      return parseMarkdown(text());
    case 'plain':
      return parsePlain(text());
    case 'org':
      return parseOrg(text());
    case 'latex':
      return parseLatex(text());
    case 'pod':
      return parsePod(text());
    case 'code':
      return parseCode(text(), detected.language);
    case 'json':
      return (await import('./parsers/json')).parseJson(text(), limits.json);
    case 'notebook':
      return (await import('./parsers/notebook')).parseNotebook(text(), limits.json);
    case 'delimited':
      return (await import('./parsers/delimited')).parseDelimited(text(), detected.delimiter);
    case 'html':
      return (await import('./parsers/html')).parseHtml(text());
    case 'svg':
      return (await import('./parsers/svg')).parseSvg(text(), limits.document);
    case 'pdf':
      return (await import('./parsers/pdf')).parsePdf(requireBytes(content, 'PDF'), {
        limits: limits.pdf,
        onProgress: options.onProgress,
      });
    case 'docx':
      return zipDocument(content, 'docx', limits, async (bytes) =>
        (await import('./parsers/docx')).parseDocx(bytes, limits.zip),
      );
    case 'pptx':
      return zipDocument(content, 'pptx', limits, async (bytes) =>
        (await import('./parsers/pptx')).parsePptx(bytes, limits),
      );
    case 'xlsx':
      return zipDocument(content, 'xlsx', limits, async (bytes) =>
        (await import('./parsers/xlsx')).parseXlsx(bytes, limits, options.onProgress),
      );
    case 'odt':
      return zipDocument(content, 'odt', limits, async (bytes) =>
        (await import('./parsers/odf')).parseOdt(bytes, limits),
      );
    case 'odp':
      return zipDocument(content, 'odp', limits, async (bytes) =>
        (await import('./parsers/odf')).parseOdp(bytes, limits),
      );
    case 'ods':
      return zipDocument(content, 'ods', limits, async (bytes) =>
        (await import('./parsers/odf')).parseOds(bytes, limits, options.onProgress),
      );
    case 'rtf':
      return (await import('./parsers/rtf')).parseRtf(requireBytes(content, 'RTF document'), limits.document);
    case 'epub':
      return zipDocument(content, 'epub', limits, async (bytes) =>
        (await import('./parsers/epub')).parseEpub(bytes, limits),
      );
    case 'mail':
      return parseMailContent(content, options);
    case 'gzip':
      return parseCompressed(content, options);
    case 'image':
      return (await import('./parsers/image')).parseImage(
        requireBytes(content, 'PNG, JPEG or other image'),
        detected.format,
        limits.image,
      );
    case 'binary':
    case 'unsupported':
    case 'generated':
    case 'mailbox':
      // checkContent has already rejected these.
      throw new ParseFailure('unsupported_type', 'Trove cannot read this type of file yet.');
  }
}

/** A message, or one of its attachments parsed as the file it is (never an attachment of that attachment). */
async function parseMailContent(content: DocumentContent, options: ParseOptions): Promise<ParsedDocument> {
  const mail = await import('./parsers/mail');
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const bytes = requireBytes(content, 'e-mail message');
  if (content.kind === 'bytes' && content.part !== undefined) {
    const attachment = await mail.mailAttachment(bytes, content.part, limits.mail);
    return parseContent({ kind: 'bytes', ...attachment }, options);
  }
  return mail.parseMail(bytes, limits.mail);
}

/**
 * A gzip-compressed file parsed as the file it holds, under the same size
 * limit as any file; a compressed file inside it is not opened (a chain of
 * them is a bomb's shape, not a document's).
 */
async function parseCompressed(content: DocumentContent, options: ParseOptions): Promise<ParsedDocument> {
  const { gunzipBounded } = await import('./parsers/gzip');
  const bytes = requireBytes(content, 'gzip-compressed file');
  const fileName = content.kind === 'bytes' ? content.fileName : '';
  const inflated = gunzipBounded(bytes, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const inner: DocumentContent = {
    kind: 'bytes',
    bytes: inflated.bytes,
    fileName: innerFileName(fileName),
    mimeType: '',
  };
  const detected = checkContent(inner, options);
  if (detected.kind === 'gzip') {
    throw new ParseFailure(
      'unsupported_type',
      'This file is compressed twice (gzip inside gzip); Trove reads files compressed once.',
    );
  }
  const parsed = await parseDetected(inner, detected, options);
  // The file inside names its own damage more precisely ("This PDF ends early…") when it found it.
  if (!inflated.cutShort || parsed.damage) return parsed;
  return { ...parsed, damage: `${endsEarly('gzip-compressed file')}: Trove indexed what it still holds.` };
}

/** The formats that are zip archives, as their messages name them. */
const ZIP_DOCUMENTS = {
  docx: 'Word document',
  pptx: 'PowerPoint presentation',
  xlsx: 'Excel workbook',
  odt: 'OpenDocument text',
  odp: 'OpenDocument presentation',
  ods: 'OpenDocument spreadsheet',
  epub: 'EPUB e-book',
} as const;

/**
 * A zip-based document read by `read`. One cut short (an interrupted
 * download or copy, which takes the archive's table of contents first) is
 * read from the parts it still holds (bounded-zip.ts), first with the part
 * the cut went through read up to the cut (the body of a document, when it
 * was the part being written), then without it (a style sheet cut in half
 * can fail a reader that the body alone satisfies); it says so in `damage`,
 * or, when no text is left, fails saying it ends early.
 */
async function zipDocument(
  content: DocumentContent,
  kind: keyof typeof ZIP_DOCUMENTS,
  limits: ParseLimits,
  read: (bytes: Uint8Array) => Promise<ParsedDocument>,
): Promise<ParsedDocument> {
  const what = ZIP_DOCUMENTS[kind];
  const bytes = requireBytes(content, what);
  if (!zipCutShort(bytes)) return read(bytes);
  const cut = endsEarly(what);
  const withoutCutPart = beforeCutPart(bytes, limits.zip.maxEntries);
  let cause: unknown;
  for (const attempt of withoutCutPart ? [bytes, withoutCutPart] : [bytes]) {
    try {
      const parsed = await read(attempt);
      if (parsed.text.trim() !== '' || parsed.ocr)
        return { ...parsed, damage: `${cut}: Trove indexed what it still holds.` };
    } catch (error) {
      // A part cut off is what a person can act on; a limit or a password is not about the cut.
      if (!(error instanceof ParseFailure) || error.reason !== 'corrupt') throw error;
      cause ??= error;
    }
  }
  throw new ParseFailure(
    'corrupt',
    `${cut}, and its text was cut off with it. Download or copy it again to index it.`,
    { cause },
  );
}

function requireBytes(content: DocumentContent, label: string): Uint8Array {
  if (content.kind === 'bytes') return content.bytes;
  throw unreadableAs(label, 'it arrived as text, not as the original bytes.');
}

function emptyFailure(): ParseFailure {
  return new ParseFailure('empty', 'This file is empty (no readable text), so there is nothing to index.');
}
