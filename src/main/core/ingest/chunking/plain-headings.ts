import { MONTH_NAMES, WEEKDAY_NAMES } from '../release-headings';

/**
 * Headings in plain text, which has no markup to declare them: the layouts
 * people and formatters use to set a title apart, read from the lines
 * alone. Shared by the chunker (heading paths) and the plain-text title, so
 * the two agree on what a heading is.
 *
 * - Marked: "= Title", "== Section" (AsciiDoc) at the start of a line after
 *   a blank one: the markers' count is the level.
 * - Underlined (reStructuredText / setext): a line of text under a line of
 *   one repeated character of `= - ~ ^ * # +`, at least 3 long and about as
 *   long as the text, with an optional overline. Levels follow the order in
 *   which each style first appears, as reStructuredText assigns them. A
 *   command between two rules is AsciiDoc's one-line listing block, not a
 *   title, and nothing inside a longer listing block is a heading.
 * - Outline: a short unindented line whose next non-blank line is indented
 *   (rendered man pages, many formatted documents), when the document has at
 *   least two (one alone is not a pattern): level 1. Where the bodies under
 *   them sit at one depth, a short line indented less than that depth with
 *   a body at that depth is a subsection (man pages' `.SS`): level 2.
 * - Capitals: a one-line paragraph in capital letters ("INTRODUCTION"):
 *   level 1, or one below the underlined levels when there are any.
 *
 * Nothing else: list items, sentences, code and table rows stay text.
 */

export interface PlainHeading {
  /** Index of the heading's first line (the overline, if any). */
  first: number;
  /** Index of its last line (the underline, if any). */
  last: number;
  level: number;
  /** The heading's text, trimmed; the caller cleans it for display. */
  text: string;
}

/** A line of one repeated adornment character, as reStructuredText allows for section titles. */
const ADORNMENT = /^([=\-~^*#+])\1{2,}[ \t]*$/;
const BLANK = /^[ \t]*$/;
/** A list item: "- x", "* x", "1. x", "2) x". */
const LIST_ITEM = /^[ \t]*(?:[-*+•]|\d{1,9}[.)]|#\.)[ \t]+\S/;
/** "Files: src/x.c", "License: GPL-2": a field of a record (Debian copyright, mail headers), not a section. */
const FIELD = /^[ \t]*[\w-]+:[ \t]+\S/;
export const isFieldLine = (line: string): boolean => FIELD.test(line);
const MONTH = `(?:${MONTH_NAMES})\\.?`;
/**
 * A date or a time first, in figures or with the month spelled out ("2002-06-02 14:17  ann", "[12:00:01] ...",
 * "01/03/2024 ...", "1.3.2024", "18 January 2023: Wouter", "Monday, March 3rd, 2025"), as log lines and changelog
 * entries open; not a section's number ("4.3.12 Options").
 */
const TIMESTAMP = new RegExp(
  '^\\[?(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2}:\\d{2}(?::\\d{2})?\\b|\\d{1,2}/\\d{1,2}/\\d{2,4}\\b|\\d{1,2}\\.\\d{1,2}\\.\\d{4}\\b|' +
    `(?:(?:${WEEKDAY_NAMES}),?\\s+)?(?:\\d{1,2}\\s+${MONTH},?|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?)\\s+\\d{4}\\b)`,
  'i',
);
export const isTimestamped = (text: string): boolean => TIMESTAMP.test(text);
/** A line that only sets a plain-text heading apart ("=====", "-----", "~~~~~"), as the chunker reads them. */
export const isAdornment = (line: string): boolean => ADORNMENT.test(line);

/**
 * Whether `line`, a run of tildes, underlines the text line above it
 * (`previous`), as reStructuredText's and AsciiDoc's titles are underlined
 * ("Release 3.4.1" over "~~~~~~~~~~~~~"), rather than opening a code fence:
 * it is at least 80% as long as that line. A fence right under a line of
 * text is shorter ("Example:" over "~~~"), and most come after a blank
 * line. Read as fences, such underlines had shown a whole section as code.
 * Backticks underline nothing in practice: a run of them is a fence.
 */
export function isFenceLikeUnderline(line: string, previous: string | undefined): boolean {
  const title = previous?.trim() ?? '';
  return (
    /^[ \t]*~{3,}[ \t]*$/.test(line) &&
    title !== '' &&
    !/^[~`]{3,}/.test(title) &&
    line.trim().length >= 0.8 * [...title].length
  );
}

/** Ends like a sentence, a clause or code ("{", "(", "\", "="): text that goes on, not a heading. */
const CONTINUES = /[.,;:{([\\=&|]$/;
const MAX_OUTLINE_CHARS = 60;
const MAX_UNDERLINED_CHARS = 120;

const isBlank = (line: string | undefined): boolean => line === undefined || BLANK.test(line);
const indentOf = (line: string): number => {
  let n = 0;
  while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n += line[n] === '\t' ? 8 : 1;
  return n;
};

/** The underlined heading whose text is line `i`, or undefined. `style` names the adornment ("=", "=/=" with overline). */
export function underlinedHeadingAt(
  lines: readonly string[],
  i: number,
): { first: number; last: number; style: string; text: string } | undefined {
  const line = lines[i];
  const under = lines[i + 1];
  if (line === undefined || under === undefined || isBlank(line) || ADORNMENT.test(line)) return undefined;
  if (indentOf(line) > 3) return undefined;
  const text = line.trim();
  const underline = ADORNMENT.exec(under);
  if (!underline || text.length > MAX_UNDERLINED_CHARS || !/\p{L}/u.test(text) || /^[|+]/.test(text)) return undefined;
  const char = underline[1] as string;
  const long = (adornment: string): boolean => adornment.trimEnd().length >= Math.max(3, Math.ceil(text.length * 0.8));
  if (!long(under)) return undefined;
  const over = lines[i - 1];
  if (over !== undefined && ADORNMENT.test(over)) {
    if (over.trim()[0] !== char || !long(over) || !isBlank(lines[i - 2])) return undefined;
    if (isDelimitedCommand(text, over.trim().length)) return undefined;
    return { first: i - 1, last: i + 1, style: `${char}/${char}`, text };
  }
  if (!isBlank(over)) return undefined;
  return { first: i, last: i + 1, style: char, text };
}

/** A shell prompt ("$ git log", "# apt install", "% make", "> dir") or a command-line option, `=`, `|`, `;`, braces: code. */
const COMMAND_SIGNS = /^[$#%>][ \t]|(?:^|\s)--?[A-Za-z]|[=|;{}]/;

/**
 * Whether a line between two rules is a one-line listing block rather than a
 * title: AsciiDoc fences code with lines of hyphens ("-----" over and under
 * "$ git bisect good"), which is the shape of an over- and underlined
 * reStructuredText title. A title reads as words and its rules are sized to
 * it; a command has prompts, options and operators, and a fence is often far
 * longer than what it holds.
 */
function isDelimitedCommand(text: string, ruleLength: number): boolean {
  return COMMAND_SIGNS.test(text) || ruleLength > 2 * text.length + 4;
}

/**
 * "= Title", "== Section" (AsciiDoc), closing markers allowed: level by
 * count. Not "# Section": in text that is not Markdown such a line is far
 * more often a shell or Python comment.
 */
const MARKED = /^(={1,6})[ \t]+(\S(?:.*\S)?)[ \t]*$/;

/** AsciiDoc's anchor or block attributes over a heading: "[[fixing-mistakes]]", "[preface]". */
const BLOCK_ATTRIBUTES = /^\[\[?[^\]]*\]\]?[ \t]*$/;

/** The heading written with leading markers on line `i` (at column 0, after a blank line, the start or attributes). */
export function markedHeadingAt(lines: readonly string[], i: number): PlainHeading | undefined {
  const match = MARKED.exec(lines[i] ?? '');
  if (!match) return undefined;
  const above = BLOCK_ATTRIBUTES.test(lines[i - 1] ?? '') ? i - 2 : i - 1;
  if (above >= 0 && !isBlank(lines[above])) return undefined;
  const [, markers, raw] = match as unknown as [string, string, string];
  // "== Title ==" closes with the same markers.
  const text = raw.endsWith(` ${markers}`) ? raw.slice(0, -markers.length - 1).trimEnd() : raw;
  if (text.length > MAX_UNDERLINED_CHARS || !/\p{L}/u.test(text) || CONTINUES.test(text)) return undefined;
  return { first: i, last: i, level: markers.length, text };
}

/** A rule of 4 or more hyphens or dots: AsciiDoc's listing and literal block fence. */
const FENCE = /^(-{4,}|\.{4,})[ \t]*$/;
/**
 * What may stand right above a fence that opens a block: the block's title
 * (".Example") or attributes ("[source]"), a list continuation ("+"), or
 * the delimiter of an open, example, sidebar or quote block holding it.
 */
const OPENS_AFTER = /^(?:[[.]|\+[ \t]*$|(?:--|={4,}|\*{4,}|_{4,})[ \t]*$)/;

/**
 * Lines of AsciiDoc listing and literal blocks of two or more lines: a fence
 * after a blank line (or `OPENS_AFTER`), content, and the same fence again.
 * A reStructuredText title never looks like that (its underline follows its
 * text; an over- and underlined one is a single line, which
 * `isDelimitedCommand` judges).
 */
function listingLines(lines: readonly string[]): number[] {
  return listingBlocks(lines).flatMap((block) =>
    Array.from({ length: block.last - block.first + 1 }, (_, k) => block.first + k),
  );
}

/**
 * The AsciiDoc listing and literal blocks of two or more lines (see
 * `listingLines`): each block's fence line, closing line and fence.
 */
export function listingBlocks(lines: readonly string[]): Array<{ first: number; last: number; fence: string }> {
  // Where each fence occurs, in order: finding a block's end is then a lookup, not a scan (linear in the text).
  const fences = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const fence = FENCE.exec(line)?.[1];
    if (!fence) return;
    const at = fences.get(fence);
    if (at) at.push(i);
    else fences.set(fence, [i]);
  });
  const blocks: Array<{ first: number; last: number; fence: string }> = [];
  const next = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]!)?.[1];
    const before = lines[i - 1];
    if (!fence || (before !== undefined && !isBlank(before) && !OPENS_AFTER.test(before))) continue;
    if (isBlank(lines[i + 1])) continue;
    const at = fences.get(fence)!;
    let k = next.get(fence) ?? 0;
    while (k < at.length && at[k]! <= i) k++;
    next.set(fence, k);
    if (k === at.length) continue;
    const close = at[k]!;
    // A one-line block, or a title over- and underlined (`isDelimitedCommand` tells them apart): its
    // second rule closes it, and pairing past it would swallow everything up to the next block.
    if (close > i + 2) blocks.push({ first: i, last: close, fence });
    i = close;
  }
  return blocks;
}

/** All headings of plain text given as lines, in document order. */
export function plainHeadings(lines: readonly string[]): PlainHeading[] {
  const found = new Map<number, PlainHeading>();
  const taken = new Set<number>();
  const mark = (heading: PlainHeading): void => {
    found.set(heading.first, heading);
    for (let k = heading.first; k <= heading.last; k++) taken.add(k);
  };

  // Code fenced by rules holds no headings (its last line over the closing rule looked underlined).
  for (const i of listingLines(lines)) taken.add(i);
  for (let i = 0; i < lines.length; i++) {
    const marked = taken.has(i) ? undefined : markedHeadingAt(lines, i);
    if (marked) mark(marked);
  }

  const styles: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (taken.has(i)) continue;
    const underlined = underlinedHeadingAt(lines, i);
    if (!underlined) continue;
    if (!styles.includes(underlined.style)) styles.push(underlined.style);
    mark({ ...underlined, level: Math.min(6, styles.indexOf(underlined.style) + 1) });
    i = underlined.last;
  }

  const outline = outlineHeadings(lines, taken);
  outline.forEach(mark);

  const capitalsLevel = Math.min(6, styles.length + 1);
  for (let i = 0; i < lines.length; i++) {
    if (!taken.has(i) && isCapitalsHeading(lines, i))
      mark({ first: i, last: i, level: capitalsLevel, text: lines[i]!.trim() });
  }
  return [...found.values()].sort((a, b) => a.first - b.first);
}

/** A short line that could head the indented lines below it: not a list item, sentence, clause or code. */
function isShortLabel(line: string): boolean {
  const text = line.trim();
  return (
    text.length >= 2 &&
    text.length <= MAX_OUTLINE_CHARS &&
    /\p{L}/u.test(text) &&
    !CONTINUES.test(text) &&
    !LIST_ITEM.test(line) &&
    !ADORNMENT.test(line) &&
    !isFieldLine(line) &&
    // A record's stamp: each entry of a GNU ChangeLog ("2002-06-02  Ann  <ann@x.org>" over its indented lines) had been a
    // section of its own, thousands of chunks of a line or two that outranked whole sections for the words they share.
    !isTimestamped(text) &&
    // Columns set apart by runs of spaces ("liblz4-1          1.9.4-1" over "  pulled by: libsystemd0"): a table's row.
    !/\S {3,}\S/.test(text) &&
    // Options, paths and markup ("-a, --all", "/etc/fstab", ".. note::") are entries or directives, not sections.
    !/^[-+/<>|.]/.test(text)
  );
}

/** The next non-blank line after `i`, or undefined. */
function nextText(lines: readonly string[], i: number): string | undefined {
  for (let j = i + 1; j < lines.length; j++) if (!isBlank(lines[j])) return lines[j];
  return undefined;
}

function outlineHeadings(lines: readonly string[], taken: ReadonlySet<number>): PlainHeading[] {
  const level1: PlainHeading[] = [];
  const bodyIndents = new Map<number, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (taken.has(i) || indentOf(line) !== 0 || !isShortLabel(line)) continue;
    // Not the second line of an unindented paragraph (a body above may run right up to it, as in some pages).
    const previous = lines[i - 1];
    if (previous !== undefined && !isBlank(previous) && indentOf(previous) === 0) continue;
    const body = nextText(lines, i);
    if (body === undefined || indentOf(body) < 2) continue;
    level1.push({ first: i, last: i, level: 1, text: line.trim() });
    bodyIndents.set(indentOf(body), (bodyIndents.get(indentOf(body)) ?? 0) + 1);
  }
  // One heading alone is not a pattern; and where a third or more of the unindented lines are prose, an unindented
  // line before an indented one is a sentence introducing an example ("Then run:"), not a section.
  if (level1.length < 2 || level1.length < unindentedLines(lines, taken) * 0.67) return [];

  // Subsections: only where the sections' bodies share one depth, so "less indented than the body" means something.
  const [bodyIndent, count] = [...bodyIndents.entries()].sort((a, b) => b[1] - a[1])[0]!;
  if (count < level1.length * 0.75) return level1;
  const level2: PlainHeading[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = indentOf(line);
    if (indent < 1 || indent > 4 || indent >= bodyIndent || taken.has(i)) continue;
    if (!isBlank(lines[i - 1]) || !isShortLabel(line)) continue;
    const body = nextText(lines, i);
    if (body !== undefined && indentOf(body) === bodyIndent)
      level2.push({ first: i, last: i, level: 2, text: line.trim() });
  }
  return [...level1, ...level2];
}

/**
 * Non-blank lines at column 0, not counting the first and last (a rendered
 * page's header and footer), underlined headings, nor list items (numbered
 * sections, "1. Options", look like them and are neither prose nor counted
 * headings).
 */
function unindentedLines(lines: readonly string[], taken: ReadonlySet<number>): number {
  const filled = lines.flatMap((line, i) => (isBlank(line) ? [] : [i]));
  return filled
    .slice(1, -1)
    .filter(
      (i) => !taken.has(i) && indentOf(lines[i]!) === 0 && !LIST_ITEM.test(lines[i]!) && !ADORNMENT.test(lines[i]!),
    ).length;
}

/** A one-line paragraph in capitals ("INTRODUCTION", "TERMS AND CONDITIONS"), not a code or an identifier. */
function isCapitalsHeading(lines: readonly string[], i: number): boolean {
  const line = lines[i]!;
  if (isBlank(line) || !isBlank(lines[i - 1]) || !isBlank(lines[i + 1]) || indentOf(line) > 3) return false;
  const text = line.trim();
  if (text.length < 2 || text.length > MAX_OUTLINE_CHARS || /\p{Ll}/u.test(text) || LIST_ITEM.test(line)) return false;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  const visible = text.replace(/\s/g, '').length;
  // "POSIXLY_CORRECT", "SKU 12345-XZ", "A1B2C3": identifiers and codes, mostly not letters or joined by underscores.
  return letters >= 3 && letters >= visible * 0.6 && !/[_=]/.test(text) && /\p{Lu}{2}/u.test(text);
}
