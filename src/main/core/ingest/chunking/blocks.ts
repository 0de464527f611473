import { frontMatterOf } from '../front-matter';
import { headingText } from '../heading-text';
import type { DeclaredHeading } from '../types';
import { plainHeadings, type PlainHeading } from './plain-headings';

/**
 * Splits text into structural blocks with character offsets, so the chunker
 * can cut between elements instead of through them. Blocks never overlap,
 * are in document order, and exclude the blank lines between them.
 */
export type BlockType = 'heading' | 'paragraph' | 'list' | 'table' | 'code' | 'blockquote';

export interface Block {
  type: BlockType;
  /** Offset of the block's first character. */
  start: number;
  /** Offset just past the block's last non-newline character. */
  end: number;
  /** Heading level 1-6 (headings only). */
  level?: number;
  /** Heading text without Markdown markers (headings only). */
  title?: string;
}

interface Line {
  start: number;
  end: number;
  text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(={2,}|-{2,})[ \t]*$/;
const BLANK = /^[ \t]*$/;
/** The `<h1 align="center">` READMEs open with: a heading in inline HTML. */
const HTML_HEADING_OPEN = /^ {0,3}<h[1-6][\s>]/i;

/** The text's lines (split at "\n") with where each starts and ends. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lines.push({ start, end, text: text.slice(start, end) });
    start = end + 1;
  }
  return lines;
}

/** Markdown (CommonMark's block structure, simplified): headings, fences, lists, tables, quotes, paragraphs. */
export function markdownBlocks(text: string): Block[] {
  const lines = splitLines(text);
  const blocks: Block[] = [];
  let i = 0;
  const frontMatter = frontMatterOf(text);
  if (frontMatter) {
    blocks.push({ type: 'paragraph', start: 0, end: frontMatter.length });
    i = frontMatter.lineCount;
  }
  while (i < lines.length) {
    const line = lines[i] as Line;
    if (BLANK.test(line.text)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line.text);
    if (fence) {
      const marker = fence[1] as string;
      let j = i + 1;
      while (j < lines.length && !isClosingFence((lines[j] as Line).text, marker)) j++;
      const last = lines[Math.min(j, lines.length - 1)] as Line;
      blocks.push({ type: 'code', start: line.start, end: last.end });
      i = j + 1;
      continue;
    }
    const heading = ATX_HEADING.exec(line.text);
    if (heading) {
      // headingText drops the closing run of #s, as it does for every heading.
      const title = headingText(heading[2] ?? '');
      blocks.push({ type: 'heading', start: line.start, end: line.end, level: (heading[1] as string).length, title });
      i++;
      continue;
    }
    const htmlHeading = HTML_HEADING_OPEN.test(line.text) ? consumeHtmlHeading(lines, i, blocks) : i;
    if (htmlHeading > i) {
      i = htmlHeading;
      continue;
    }
    const next = lines[i + 1];
    if (isTableStart(line.text, next?.text)) {
      i = consume(lines, i, blocks, 'table', (l) => l.text.includes('|'));
      continue;
    }
    if (LIST_ITEM.test(line.text)) {
      i = consumeList(lines, i, blocks);
      continue;
    }
    if (/^ {0,3}>/.test(line.text)) {
      i = consume(lines, i, blocks, 'blockquote', (l) => !BLANK.test(l.text));
      continue;
    }
    i = consumeParagraph(lines, i, blocks);
  }
  return blocks;
}

/**
 * Plain text (and PDF text): headings as plain text sets them (plain-headings.ts),
 * or as the format declared them (`declared`: a PDF's larger type), paragraphs
 * separated by blank lines; a paragraph of list items is a list.
 */
export function plainBlocks(text: string, declared?: readonly DeclaredHeading[]): Block[] {
  const lines = splitLines(text);
  const texts = lines.map((l) => l.text);
  const found = declared && declared.length > 0 ? declaredHeadings(texts, declared) : plainHeadings(texts);
  const headings = new Map(found.map((h) => [h.first, h]));
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    if (BLANK.test((lines[i] as Line).text)) {
      i++;
      continue;
    }
    const heading = headings.get(i);
    if (heading) {
      // A Markdown-style "# " and a label's colon are markup around the title.
      const title = headingText(heading.text.replace(/^#{1,6}[ \t]+/, '').replace(/[ \t]*:$/, ''));
      blocks.push({
        type: 'heading',
        start: (lines[i] as Line).start,
        end: (lines[heading.last] as Line).end,
        level: heading.level,
        title,
      });
      i = heading.last + 1;
      continue;
    }
    const first = i;
    while (i < lines.length && !BLANK.test((lines[i] as Line).text) && !headings.has(i)) i++;
    const group = lines.slice(first, i);
    const isList =
      group.every((l) => LIST_ITEM.test(l.text) || /^\s+\S/.test(l.text)) && LIST_ITEM.test(group[0]?.text ?? '');
    blocks.push({
      type: isList ? 'list' : 'paragraph',
      start: (group[0] as Line).start,
      end: (group[group.length - 1] as Line).end,
    });
  }
  return blocks;
}

/**
 * The declared headings found on the text's lines, in order. A heading not
 * found (its page was replaced by OCR text, or the text changed) is passed
 * over; the search for the next one starts after the last found.
 */
function declaredHeadings(lines: readonly string[], declared: readonly DeclaredHeading[]): PlainHeading[] {
  // Where each line text stands, in order: a heading is looked up, never searched for line by line.
  const where = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const key = line.trim();
    if (key === '') return;
    const list = where.get(key);
    if (list) list.push(i);
    else where.set(key, [i]);
  });
  const found: PlainHeading[] = [];
  let from = 0;
  for (const heading of declared) {
    const at = (where.get(heading.lines[0] ?? '') ?? []).find(
      (i) => i >= from && heading.lines.every((w, k) => lines[i + k]?.trim() === w),
    );
    if (at === undefined) continue;
    const last = at + heading.lines.length - 1;
    found.push({ first: at, last, level: heading.level, text: heading.lines.join(' ') });
    from = last + 1;
  }
  return found;
}

/** One paragraph block per non-blank line (transcripts: one speaker turn per line). */
export function lineBlocks(text: string): Block[] {
  return splitLines(text)
    .filter((line) => !BLANK.test(line.text))
    .map((line) => ({ type: 'paragraph', start: line.start, end: line.end }));
}

/**
 * Source code: one block per top-level unit, i.e. text between blank lines
 * that are followed by an unindented line (a new declaration), so a function
 * with blank lines inside stays in one block.
 */
export function codeBlocks(text: string): Block[] {
  const lines = splitLines(text);
  const blocks: Block[] = [];
  let start = -1;
  let end = -1;
  let sawBlank = false;
  for (const line of lines) {
    if (BLANK.test(line.text)) {
      sawBlank = true;
      continue;
    }
    const topLevel = !/^[ \t]/.test(line.text) && !/^[)}\]]/.test(line.text);
    if (start >= 0 && sawBlank && topLevel) {
      blocks.push({ type: 'code', start, end });
      start = -1;
    }
    if (start < 0) start = line.start;
    end = line.end;
    sawBlank = false;
  }
  if (start >= 0) blocks.push({ type: 'code', start, end });
  return blocks;
}

function isClosingFence(text: string, marker: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length < marker.length) return false;
  for (let k = 0; k < trimmed.length; k++) if (trimmed[k] !== marker[0]) return false;
  return true;
}

function isTableStart(text: string, next: string | undefined): boolean {
  if (/^ {0,3}\|/.test(text)) return true;
  return text.includes('|') && next !== undefined && TABLE_DELIMITER.test(next) && next.includes('-');
}

function consume(
  lines: Line[],
  i: number,
  blocks: Block[],
  type: BlockType,
  continues: (line: Line) => boolean,
): number {
  const first = lines[i] as Line;
  let j = i + 1;
  while (j < lines.length && !BLANK.test((lines[j] as Line).text) && continues(lines[j] as Line)) j++;
  blocks.push({ type, start: first.start, end: (lines[j - 1] as Line).end });
  return j;
}

/** A list runs on through blank lines while the next line is another item or an indented continuation. */
function consumeList(lines: Line[], i: number, blocks: Block[]): number {
  const first = lines[i] as Line;
  let last = i;
  let j = i + 1;
  while (j < lines.length) {
    const line = lines[j] as Line;
    if (BLANK.test(line.text)) {
      const next = lines[j + 1];
      if (next && (LIST_ITEM.test(next.text) || /^( {2,}|\t)\S/.test(next.text))) {
        j++;
        continue;
      }
      break;
    }
    if (FENCE.test(line.text) && !/^\s/.test(line.text)) break;
    if (ATX_HEADING.test(line.text)) break;
    last = j;
    j++;
  }
  blocks.push({ type: 'list', start: first.start, end: (lines[last] as Line).end });
  return last + 1;
}

/** Lines up to a blank line or an element that interrupts a paragraph; a setext underline turns it into a heading. */
function consumeParagraph(lines: Line[], i: number, blocks: Block[]): number {
  const first = lines[i] as Line;
  let j = i + 1;
  while (j < lines.length) {
    const text = (lines[j] as Line).text;
    if (SETEXT_UNDERLINE.test(text)) {
      const title = headingText(
        lines
          .slice(i, j)
          .map((l) => l.text.trim())
          .join(' '),
      );
      blocks.push({
        type: 'heading',
        start: first.start,
        end: (lines[j] as Line).end,
        level: text.includes('=') ? 1 : 2,
        title,
      });
      return j + 1;
    }
    if (
      BLANK.test(text) ||
      FENCE.test(text) ||
      ATX_HEADING.test(text) ||
      LIST_ITEM.test(text) ||
      /^ {0,3}[|>]/.test(text)
    )
      break;
    j++;
  }
  blocks.push({ type: 'paragraph', start: first.start, end: (lines[j - 1] as Line).end });
  return j;
}

/**
 * An HTML heading from line `i` to the line that closes it (no blank line
 * between): one heading block, its text without tags, badges or logos.
 * Returns the next line, or `i` when the tag is not closed there.
 */
function consumeHtmlHeading(lines: Line[], i: number, blocks: Block[]): number {
  const level = Number(/<h([1-6])/i.exec((lines[i] as Line).text)![1]);
  const close = new RegExp(`</h${level}\\s*>`, 'i');
  for (let j = i; j < lines.length && !BLANK.test((lines[j] as Line).text); j++) {
    if (!close.test((lines[j] as Line).text)) continue;
    const raw = lines
      .slice(i, j + 1)
      .map((l) => l.text)
      .join(' ');
    blocks.push({
      type: 'heading',
      start: (lines[i] as Line).start,
      end: (lines[j] as Line).end,
      level,
      title: headingText(raw),
    });
    return j + 1;
  }
  return i;
}
