import type { DeclaredHeading } from '../types';

/**
 * A PDF's headings, read from its type sizes: the lines set clearly larger
 * than the body text. A PDF has no heading markup, and the guesses made for
 * plain text (a line in capitals is a heading) go wrong on it: a manual's
 * code listing puts `BEGIN` and `END` on lines of their own, and numbered
 * sections ("2.1 ASN.1 syntax") are neither capitals nor underlined. The
 * sizes say what the author set apart, and how far: the largest size is
 * level 1, the next level 2, and so on.
 *
 * - The body size is the height carrying the most characters.
 * - A heading line is at least HEADING_SCALE times that, 2 to 120
 *   characters long, with two letters in a row, and not a table of
 *   contents entry (a dot leader: "Utilities . . . . 8").
 * - Consecutive heading lines of one size are one heading broken over lines
 *   (at most three).
 * - Sizes within 3% of each other are one level (rounding, and fonts of one
 *   size drawing a little differently).
 * - Fewer than two headings are no pattern: the caller falls back to the
 *   plain-text rules.
 */

/** A PDF text line with the height of its largest glyphs. */
export interface SizedTextLine {
  text: string;
  height: number;
}

const HEADING_SCALE = 1.15;
const MAX_HEADING_CHARS = 120;
const MAX_HEADING_LINES = 3;
const SAME_SIZE = 0.97;
const MAX_LEVEL = 6;
/** Headings kept per document: enough for any book's outline, bounded for the stored metadata. */
export const MAX_DECLARED_HEADINGS = 2000;
const DOT_LEADER = /(?:\.\s?){4,}\s*\S{0,6}\s*$/;

/** Collects a PDF's lines page by page and names its headings at the end. */
export class PdfHeadingFinder {
  private readonly charsByHeight = new Map<number, number>();
  /** Short lines only (a heading is short), with the line before's index to tell consecutive ones. */
  private readonly candidates: Array<{ text: string; height: number; line: number }> = [];
  private lineCount = 0;

  addPage(lines: readonly SizedTextLine[]): void {
    for (const line of lines) {
      const text = line.text.trim();
      const height = Math.round(line.height * 10) / 10;
      this.charsByHeight.set(height, (this.charsByHeight.get(height) ?? 0) + text.length);
      if (text.length <= MAX_HEADING_CHARS && text !== '') this.candidates.push({ text, height, line: this.lineCount });
      this.lineCount++;
    }
    // Pages do not run into each other: a heading never spans a page break.
    this.lineCount++;
  }

  /** The height of the body text: the one carrying the most characters; undefined before any text. */
  bodyHeight(): number | undefined {
    const body = [...this.charsByHeight].sort((a, b) => b[1] - a[1])[0]?.[0];
    return body !== undefined && body > 0 ? body : undefined;
  }

  headings(): DeclaredHeading[] {
    const body = this.bodyHeight();
    if (body === undefined) return [];
    const groups: Array<{ lines: string[]; height: number; line: number }> = [];
    for (const candidate of this.candidates) {
      if (candidate.height < body * HEADING_SCALE || !isHeadingText(candidate.text)) continue;
      const last = groups[groups.length - 1];
      const continues =
        last !== undefined &&
        last.line + last.lines.length === candidate.line &&
        sameSize(last.height, candidate.height) &&
        last.lines.length < MAX_HEADING_LINES;
      if (continues) last.lines.push(candidate.text);
      else groups.push({ lines: [candidate.text], height: candidate.height, line: candidate.line });
    }
    if (groups.length < 2) return [];
    const levelOf = sizeLevels(groups.map((g) => g.height));
    return groups.slice(0, MAX_DECLARED_HEADINGS).map((g) => ({ lines: g.lines, level: levelOf(g.height) }));
  }
}

function isHeadingText(text: string): boolean {
  return /\p{L}{2}/u.test(text) && !DOT_LEADER.test(text);
}

const sameSize = (a: number, b: number): boolean => Math.min(a, b) / Math.max(a, b) >= SAME_SIZE;

/** Heading sizes, largest first, grouped where within 3% of the group's largest: level 1, 2, … */
function sizeLevels(heights: readonly number[]): (height: number) => number {
  const distinct = [...new Set(heights)].sort((a, b) => b - a);
  const levels = new Map<number, number>();
  let level = 0;
  let groupTop = Infinity;
  for (const height of distinct) {
    if (!sameSize(groupTop, height)) {
      level = Math.min(MAX_LEVEL, level + 1);
      groupTop = height;
    }
    levels.set(height, level);
  }
  return (height) => levels.get(height) ?? MAX_LEVEL;
}
