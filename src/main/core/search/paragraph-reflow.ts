import { isAdornment } from '../ingest/chunking/plain-headings';
import { HEADING, LIST } from './markdown-marks';
import { firstWordOf, indentOf } from './text-lines';

/**
 * Whether `line` continues the paragraph of `previous`, which the writer's
 * editor broke at its width (plain text and Markdown wrapped at 72 or 80
 * columns): the preview then shows one paragraph the pane wraps, not ragged
 * short lines, and sentences are not cut at each line end. An editor breaks
 * a line where the next word would pass the width, so `line`'s first word
 * must not have fitted on `previous` within the width the paragraph was
 * filled to (`width`, 0 when it was not: `paragraphWidths`): a list
 * written one entry per line (a log, a changelog's commit subjects) has
 * room left, and its entries often open with the same word ("PASS:"). A
 * short line ends where its writer ended it (a heading, an address, a
 * verse); lines with columns set by runs of spaces are a table's rows, and
 * a line ending in a brace, a semicolon or a backslash is code.
 */
export function wrapsInto(previous: string, line: string, width: number): boolean {
  const before = previous.trimEnd();
  const firstWord = firstWordOf(line);
  if (
    width === 0 ||
    before.length < MIN_WRAPPED_CHARS ||
    firstWord === '' ||
    before.length + 1 + firstWord.length <= width
  )
    return false;
  // Lines opening alike are entries ("PASS: ...", "FUNC:...", "commit ..."), however long.
  if (before.trim().startsWith(`${firstWord} `)) return false;
  if (indentOf(previous) !== indentOf(line) || /[{};\\]$/.test(before)) return false;
  return !/\S {3,}\S|\t/.test(`${before.trim()}\n${line.trim()}`) && !LIST.test(line) && !HEADING.test(line);
}

/** Shorter lines end where their writer ended them: a heading, a term, an address, a verse. */
const MIN_WRAPPED_CHARS = 40;

/**
 * For each line, the width its paragraph (the lines between `endsParagraph`
 * ones) was filled to, or 0 when it was not filled: its longest line's
 * length, when at least three in four of its long lines but the last broke
 * where the next word would have passed it. A list written one entry per
 * line breaks wherever its entries end.
 */
export function paragraphWidths(lines: readonly string[]): number[] {
  const widths = new Array<number>(lines.length).fill(0);
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !endsParagraph(lines[i]!)) continue;
    const paragraph = lines.slice(start, i).map((l) => l.trimEnd());
    const widest = Math.max(0, ...paragraph.map((l) => l.length));
    // Lines a wrap could have ended: any but the last, long enough (a term or a title may head the paragraph).
    const ends = paragraph.slice(0, -1).map((l, k) => [l, paragraph[k + 1]!] as const);
    const candidates = ends.filter(([l]) => l.length >= MIN_WRAPPED_CHARS);
    const broken = candidates.filter(([l, next]) => l.length + 1 + firstWordOf(next).length > widest);
    if (candidates.length > 0 && broken.length >= candidates.length * 0.75) widths.fill(widest, start, i);
    start = i + 1;
  }
  return widths;
}

/**
 * A blank line, or one that sets a block apart without a blank line around
 * it: a rule, a fence or delimiter of code, AsciiDoc's list continuation.
 */
function endsParagraph(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed === '+' || isAdornment(trimmed) || /^(?:`{3,}|~{3,}|\.{4,})/.test(trimmed);
}
