import mammoth from 'mammoth';
import { BoundedZip } from '../bounded-zip';
import { DEFAULT_PARSE_LIMITS, type ZipLimits } from '../limits';
import { ParseFailure, shortParserReason } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { htmlToMarkdown } from './html';
import { textsOf } from './xml-reader';
import { firstMarkdownHeading, usableTitle } from '../document-title';

/**
 * The archive interface mammoth reads parts through. mammoth accepts it as
 * `{ file }` (lib/unzip.js) although its type declarations only list
 * `path`, `buffer` and `arrayBuffer`; handing it our BoundedZip instead of
 * the bytes is what keeps mammoth from inflating a part past the limits.
 */
interface MammothArchive {
  exists(name: string): boolean;
  read(name: string, encoding?: string): Promise<string | Uint8Array>;
}
type ConvertArchive = (
  input: { file: MammothArchive },
  options?: Parameters<typeof mammoth.convertToHtml>[1],
) => ReturnType<typeof mammoth.convertToHtml>;
const convertArchiveToHtml = mammoth.convertToHtml as unknown as ConvertArchive;

/**
 * DOCX through mammoth to semantic HTML (Heading 1..6 styles become h1..h6,
 * lists and tables survive), then to Markdown like any HTML page. Parts are
 * unzipped through BoundedZip, within `limits`; pictures are never unzipped.
 */
export async function parseDocx(
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_PARSE_LIMITS.zip,
): Promise<ParsedDocument> {
  let html: string;
  let declared: string | undefined;
  try {
    const zip = BoundedZip.open(bytes, 'Word document', limits);
    declared = coreTitle(zip);
    const result = await convertArchiveToHtml(
      { file: mammothArchive(zip) },
      // Pictures would arrive as base64 data URIs: drop them (unread), keep alt text.
      { convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })) },
    );
    html = result.value;
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    throw new ParseFailure('corrupt', `The file could not be read as a Word document: ${shortParserReason(error)}`, {
      cause: error,
    });
  }
  const text = htmlToMarkdown(html);
  // The title set in the file's properties, unless it is junk; else the first heading.
  const title = usableTitle(declared) ?? firstMarkdownHeading(text, true);
  return title ? { text, format: 'markdown', title } : { text, format: 'markdown' };
}

/** `dc:title` of docProps/core.xml (read within the zip limits), or undefined. */
function coreTitle(zip: BoundedZip): string | undefined {
  const part = 'docProps/core.xml';
  if (!zip.has(part)) return undefined;
  const xml = new TextDecoder('utf-8').decode(zip.read(part));
  return textsOf(xml, 'Word document', DEFAULT_PARSE_LIMITS.document.maxXmlDepth, 'dc:title')[0];
}

function mammothArchive(zip: BoundedZip): MammothArchive {
  return {
    exists: (name) => zip.has(name),
    read: async (name, encoding) => {
      const bytes = zip.read(name);
      if (encoding === 'base64') return bytes.toString('base64');
      return encoding ? new TextDecoder(encoding).decode(bytes) : new Uint8Array(bytes);
    },
  };
}
