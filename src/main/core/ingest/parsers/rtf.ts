import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Tokenize } from 'rtf-stream-parser';
// Not re-exported by the package's index, but shipped and stable in 3.x: the
// converter behind its text de-encapsulation (code pages, \uN escapes, font
// charsets). The version is pinned in package.json for this import.
import { ToPlainText } from 'rtf-stream-parser/dist/src/ToPlainText.js';
import { DEFAULT_PARSE_LIMITS, type DocumentLimits } from '../limits';
import { ParseFailure, shortParserReason } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { normaliseText } from './text';

const WHAT = 'RTF document';

/** Token types of rtf-stream-parser's Tokenize (a const enum in its declarations). */
const GROUP_START = 0;
const GROUP_END = 1;
const CONTROL = 2;
const TEXT = 3;

interface RtfToken {
  type: number;
  word?: string;
  data?: Buffer;
}

/**
 * Groups whose content is not the document's text: pictures and embedded
 * objects (hex data), document properties, style and list tables (names of
 * styles), page headers and footers (repeated on every page). The converter
 * already drops `\*` groups and the font and colour tables.
 */
const SKIPPED_GROUPS = new Set([
  'pict',
  'object',
  'info',
  'stylesheet',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'xmlnstbl',
  'header',
  'headerl',
  'headerr',
  'headerf',
  'footer',
  'footerl',
  'footerr',
  'footerf',
]);

/**
 * RTF to plain text with rtf-stream-parser (a maintained tokenizer and
 * converter): each paragraph becomes a paragraph of the text; the title in
 * `\info{\title ...}` becomes the document's title. Groups that hold no text
 * of the document are dropped before conversion (see SKIPPED_GROUPS).
 */
export async function parseRtf(
  bytes: Uint8Array,
  limits: DocumentLimits = DEFAULT_PARSE_LIMITS.document,
): Promise<ParsedDocument> {
  const filter = new GroupFilter();
  const converter = new ToPlainText({ decode: decodeCodepage } as never);
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
    throw new ParseFailure('corrupt', `The file could not be read as an ${WHAT}: ${shortParserReason(error)}`, {
      cause: error,
    });
  }
  const paragraphs = normaliseText(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const parsed: ParsedDocument = { text: paragraphs.join('\n\n'), format: 'plain' };
  const title = filter.title.replace(/\s+/g, ' ').trim();
  return title ? { ...parsed, title } : parsed;
}

/** Drops SKIPPED_GROUPS from the token stream and keeps the text of `\info{\title}` aside. */
class GroupFilter extends Transform {
  title = '';
  private depth = 0;
  /** Depth at which the group being dropped started; 0 when none is. */
  private skipFrom = 0;
  private inTitleFrom = 0;
  private groupJustOpened = false;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(token: RtfToken, _encoding: string, done: TransformCallback): void {
    if (token.type === GROUP_START) {
      this.depth++;
      this.groupJustOpened = true;
      if (this.skipFrom === 0) this.push(token);
      done();
      return;
    }
    const firstWord = this.groupJustOpened && token.type === CONTROL ? token.word : undefined;
    this.groupJustOpened = false;
    if (firstWord === 'title' && this.skipFrom !== 0) this.inTitleFrom = this.depth;
    if (firstWord && this.skipFrom === 0 && SKIPPED_GROUPS.has(firstWord)) {
      this.skipFrom = this.depth;
      // The group start was passed on: close it, so the converter sees an empty group.
      this.push({ type: GROUP_END });
    }
    if (token.type === TEXT && this.inTitleFrom !== 0 && token.data) this.title += token.data.toString('latin1');
    if (token.type === GROUP_END) {
      if (this.depth === this.inTitleFrom) this.inTitleFrom = 0;
      const ending = this.depth === this.skipFrom;
      this.depth--;
      if (ending) {
        this.skipFrom = 0;
        done();
        return;
      }
    }
    if (this.skipFrom === 0) this.push(token);
    done();
  }
}

/** The converter's decoder: code pages by number (`cp1252`), through the ICU decoders Node ships. */
function decodeCodepage(bytes: Buffer, encoding: string): string {
  const label = /^cp\d+$/.test(encoding) ? `windows-${encoding.slice(2)}` : encoding;
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
