import { Transform, type TransformCallback } from 'node:stream';

/** Token types of rtf-stream-parser's Tokenize (a const enum in its declarations). */
export const GROUP_START = 0;
export const GROUP_END = 1;
export const CONTROL = 2;
export const TEXT = 3;

export interface RtfToken {
  type: number;
  word?: string;
  param?: number;
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
 * Where a heading starts in the converted text: a noncharacter (Unicode
 * keeps U+FDD0-U+FDEF for a program's internal use, so no document holds
 * one) plus the heading's outline level, 0-8.
 */
export const HEADING_MARK = 0xfdd0;
/** Where a table row ends in the converted text, so its rows stay one block of lines. */
export const ROW_MARK = 0xfddf;
/** Outline levels that are headings: Word writes 9 for body text. */
const MAX_OUTLINE_LEVEL = 8;

/** Formatting of the paragraph being read, saved and restored with each group as RTF scopes it. */
interface ParagraphState {
  outlineLevel: number | null;
  inTable: boolean;
}

/** A style of the style sheet being read: its number (`\sN`), outline level and name. */
interface StyleEntry {
  number: number | null;
  outlineLevel: number | null;
  name: string;
}

/**
 * Prepares rtf-stream-parser's tokens for its plain-text converter:
 *
 * - drops SKIPPED_GROUPS, keeping the text of `\info{\title}` aside;
 * - marks each heading paragraph with HEADING_MARK + its level, where the
 *   converter will write it: a paragraph is a heading by its own
 *   `\outlinelevelN` or by its style's (`\sN`), a style being a heading by
 *   its outline level or its name ("heading 2"), as Word, LibreOffice and
 *   pandoc write them;
 * - writes a table as one line per row, cells separated by tabs, each row
 *   marked with ROW_MARK: `\cell` ends a cell and `\row` a row, and neither
 *   writes anything in the converter, so a Word table's cells ran together
 *   ("SIGHUPHang up").
 */
export class RtfStructure extends Transform {
  title = '';
  private depth = 0;
  /** Depth at which the group being dropped started; 0 when none is. */
  private skipFrom = 0;
  private inTitleFrom = 0;
  private groupJustOpened = false;
  private stylesheetFrom = 0;
  private style: StyleEntry | null = null;
  private readonly headingStyles = new Map<number, number>();
  private paragraph: ParagraphState = { outlineLevel: null, inTable: false };
  /** The enclosing groups' states, packed into small integers (packState): a file of a million nested groups is 2 MB. */
  private readonly saved: number[] = [];
  /** Whether the current paragraph has had text yet (its heading mark goes before the first). */
  private paragraphStarted = false;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(token: RtfToken, _encoding: string, done: TransformCallback): void {
    this.onToken(token);
    done();
  }

  private onToken(token: RtfToken): void {
    if (token.type === GROUP_START) {
      this.depth++;
      this.groupJustOpened = true;
      this.saved.push(packState(this.paragraph));
      if (this.stylesheetFrom !== 0 && this.depth === this.stylesheetFrom + 1) {
        this.style = { number: null, outlineLevel: null, name: '' };
      }
      if (this.skipFrom === 0) this.push(token);
      return;
    }
    const firstWord = this.groupJustOpened && token.type === CONTROL ? token.word : undefined;
    this.groupJustOpened = false;
    if (firstWord === 'title' && this.skipFrom !== 0) this.inTitleFrom = this.depth;
    if (firstWord === 'stylesheet' && this.skipFrom === 0) this.stylesheetFrom = this.depth;
    if (firstWord && this.skipFrom === 0 && SKIPPED_GROUPS.has(firstWord)) {
      this.skipFrom = this.depth;
      // The group start was passed on: close it, so the converter sees an empty group.
      this.push({ type: GROUP_END });
    }
    if (token.type === TEXT && this.inTitleFrom !== 0 && token.data) this.title += token.data.toString('latin1');
    if (this.stylesheetFrom !== 0) this.readStyle(token);
    if (token.type === GROUP_END) {
      this.endGroup();
      return;
    }
    if (this.skipFrom !== 0) return;
    if (token.type === CONTROL) this.control(token);
    else {
      if (token.type === TEXT) this.beforeText();
      this.push(token);
    }
  }

  private endGroup(): void {
    if (this.depth === this.inTitleFrom) this.inTitleFrom = 0;
    if (this.depth === this.stylesheetFrom) this.stylesheetFrom = 0;
    const ending = this.depth === this.skipFrom;
    const wasSkipping = this.skipFrom !== 0;
    this.depth--;
    const saved = this.saved.pop();
    this.paragraph = saved === undefined ? { outlineLevel: null, inTable: false } : unpackState(saved);
    if (ending) this.skipFrom = 0;
    else if (!wasSkipping) this.push({ type: GROUP_END });
  }

  /** A control word outside dropped groups: paragraph formatting is noted, table ends rewritten. */
  private control(token: RtfToken): void {
    switch (token.word) {
      case 'pard':
        // Also a paragraph's start: text before it may have been a font table's names, which the converter drops.
        this.paragraph = { outlineLevel: null, inTable: false };
        this.paragraphStarted = false;
        break;
      case 's':
        if (token.param !== undefined) this.paragraph.outlineLevel = this.headingStyles.get(token.param) ?? null;
        break;
      case 'outlinelevel':
        this.paragraph.outlineLevel = headingLevel(token.param);
        break;
      case 'intbl':
        this.paragraph.inTable = true;
        break;
      case 'par':
        this.paragraphStarted = false;
        // A paragraph inside a cell goes on in the cell.
        if (this.paragraph.inTable) {
          this.push({ type: TEXT, data: Buffer.from(' ') });
          return;
        }
        break;
      case 'cell':
      case 'nestcell':
        this.paragraphStarted = false;
        this.push({ type: CONTROL, word: 'tab' });
        return;
      case 'row':
        this.paragraphStarted = false;
        this.mark(ROW_MARK);
        this.push({ type: CONTROL, word: 'par' });
        return;
      case 'nestrow':
        return;
    }
    this.push(token);
  }

  private beforeText(): void {
    if (this.paragraphStarted) return;
    this.paragraphStarted = true;
    const level = this.paragraph.outlineLevel;
    if (level !== null && !this.paragraph.inTable) this.mark(HEADING_MARK + level);
  }

  /** Has the converter write `char` (a noncharacter), in a group of its own: the \uN fallback skip ends with it. */
  private mark(char: number): void {
    this.push({ type: GROUP_START });
    this.push({ type: CONTROL, word: 'u', param: char - 0x10000 });
    this.push({ type: GROUP_END });
  }

  /** Within the style sheet: each `{\sN ... \outlinelevelN ... name;}` entry, noted when it is a heading style. */
  private readStyle(token: RtfToken): void {
    const style = this.style;
    if (!style) return;
    const inEntry = this.depth === this.stylesheetFrom + 1;
    if (token.type === CONTROL && token.word === 's' && token.param !== undefined) style.number = token.param;
    else if (token.type === CONTROL && token.word === 'outlinelevel') style.outlineLevel = headingLevel(token.param);
    else if (token.type === TEXT && token.data && inEntry) style.name += token.data.toString('latin1');
    else if (token.type === GROUP_END && inEntry) {
      // A character style (`{\*\cs10 ...}`) has no `\s` number and is passed over.
      const named = /^\s*heading\s+([1-9])\s*;?\s*$/i.exec(style.name);
      const level = style.outlineLevel ?? (named ? Number(named[1]) - 1 : null);
      if (style.number !== null && level !== null) this.headingStyles.set(style.number, level);
      this.style = null;
    }
  }
}

/** A paragraph state as one small integer: (outline level + 1) * 2, plus 1 in a table. */
function packState({ outlineLevel, inTable }: ParagraphState): number {
  return ((outlineLevel ?? -1) + 1) * 2 + (inTable ? 1 : 0);
}

function unpackState(packed: number): ParagraphState {
  const level = (packed >> 1) - 1;
  return { outlineLevel: level < 0 ? null : level, inTable: (packed & 1) === 1 };
}

/** An `\outlinelevelN` as a heading level (0 is the top), or null for body text and nonsense. */
function headingLevel(param: number | undefined): number | null {
  return param !== undefined && param >= 0 && param <= MAX_OUTLINE_LEVEL ? param : null;
}
