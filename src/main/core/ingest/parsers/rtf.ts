import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Tokenize } from 'rtf-stream-parser';
// Not re-exported by the package's index, but shipped and stable in 3.x: the
// converter behind its text de-encapsulation (code pages, \uN escapes, font
// charsets). The version is pinned in package.json for this import.
import { ToPlainText } from 'rtf-stream-parser/dist/src/ToPlainText.js';
import { DEFAULT_PARSE_LIMITS, type DocumentLimits } from '../limits';
import { ParseFailure, shortParserReason, unreadableAs } from '../parse-failure';
import type { DeclaredHeading, ParsedDocument } from '../types';
import { HEADING_MARK, ROW_MARK, RtfStructure } from './rtf-tokens';
import { normaliseText } from './text';
import { decodeAs } from '../decode';
import { ownEntry } from '../../../../shared/own-entry';

const WHAT = 'RTF document';

/**
 * RTF to plain text with rtf-stream-parser (a maintained tokenizer and
 * converter): each paragraph becomes a paragraph of the text, each table
 * row a line of tab-separated cells; headings (by outline level or heading
 * style) are declared for the chunker. The title is `\info{\title ...}`,
 * else the first heading. Groups that hold no text of the document are
 * dropped before conversion (rtf-tokens.ts).
 */
export async function parseRtf(
  bytes: Uint8Array,
  limits: DocumentLimits = DEFAULT_PARSE_LIMITS.document,
): Promise<ParsedDocument> {
  const filter = new RtfStructure();
  // The converter warns on the console about damage it reads past (braces
  // that do not balance, a destination out of place): in the app that was a
  // line in the log for each such file, and what could not be read is
  // already missing from the text.
  const converter = new ToPlainText({ decode: decodeCodepage, warn: () => undefined } as never);
  let text = '';
  converter.on('data', (chunk: Buffer | string) => {
    text += String(chunk);
    if (text.length > limits.maxTextChars) {
      converter.destroy(
        new ParseFailure(
          'exceeds_limits',
          `This ${WHAT} holds more than ${limits.maxTextChars.toLocaleString('en')} characters of text; Trove indexes up to that much from one document, so it was not indexed.`,
        ),
      );
    }
  });
  try {
    await pipeline(Readable.from([Buffer.from(bytes)]), new Tokenize(), filter, converter);
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    throw unreadableAs(WHAT, shortParserReason(error), error);
  }
  const headings: DeclaredHeading[] = [];
  const lines: Array<{ text: string; row: boolean }> = [];
  for (const line of normaliseText(text).split('\n')) {
    const mark = HEADING_MARKS.exec(line);
    const unmarked = line
      .replace(MARKS, '')
      .replace(/[ \t]*\t[ \t]*/g, '\t')
      .trimEnd();
    if (unmarked.trim() === '') continue;
    if (mark) headings.push({ lines: [unmarked.trim()], level: (mark[0].codePointAt(0) as number) - HEADING_MARK + 1 });
    lines.push({ text: unmarked, row: line.includes(ROW) });
  }
  // Paragraphs apart; the rows of a table together, one block of lines.
  const body = lines.map((line, i) => (i > 0 && line.row && lines[i - 1]?.row ? '\n' : '\n\n') + line.text).join('');
  const parsed: ParsedDocument = { text: body.trimStart(), format: 'plain' };
  const title = filter.title.replace(/\s+/g, ' ').trim() || headings[0]?.lines[0];
  return { ...parsed, ...(headings.length > 0 ? { headings } : {}), ...(title ? { title } : {}) };
}

/** The marks rtf-tokens.ts has the converter write: headings (levels 0-8) and the ends of table rows. */
const HEADING_MARKS = /[\ufdd0-\ufdd8]/;
const ROW = String.fromCodePoint(ROW_MARK);
const MARKS = /[\ufdd0-\ufdd8\ufddf]/g;

/**
 * The converter's decoder: code pages by number (`cp1252`, `cp932`) as the
 * Encoding standard names them, decoded through the ICU decoders Node
 * ships; an unknown one as Windows-1252.
 */
function decodeCodepage(bytes: Buffer, encoding: string): string {
  const number = /^cp(\d+)$/.exec(encoding)?.[1];
  const label = number ? (ownEntry(CODE_PAGES, number) ?? `windows-${number}`) : encoding;
  try {
    return decodeAs(bytes, label);
  } catch {
    return decodeAs(bytes, 'windows-1252');
  }
}

/** Code pages whose Windows number is not a label of the Encoding standard: East Asian Word documents and Mac Roman. */
const CODE_PAGES: Record<string, string> = {
  '932': 'shift_jis',
  '936': 'gbk',
  '949': 'euc-kr',
  '950': 'big5',
  '10000': 'macintosh',
};
