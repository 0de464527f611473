import type { BlockType } from './blocks';
import type { TextMeasure } from './text-measure';

/** A part of a block that was too large to keep whole. */
export interface Piece {
  start: number;
  end: number;
  /** True when no line, sentence or word boundary was found and the text was cut mid-word. */
  hardCut: boolean;
}

/**
 * A sentence's end: a full stop, question or exclamation mark (and a closing
 * quote or bracket) before a space, or their ideographic forms, which no
 * space follows in Chinese or Japanese.
 */
const SENTENCE_END = /[.!?]["')\]]?(?=\s)|[。！？][」』）”’]?/g;

/** Where a cut is preferred, best first, for each kind of block. */
const SEPARATORS: Record<BlockType, RegExp[]> = {
  code: [/\n[ \t]*\n/g, /\n/g, /[ \t]/g],
  table: [/\n/g, /[ \t]/g],
  list: [/\n(?= {0,3}(?:[-*+]|\d{1,9}[.)])[ \t])/g, /\n/g, SENTENCE_END, /[ \t]/g],
  paragraph: [/\n[ \t]*\n/g, SENTENCE_END, /\n/g, /[ \t]/g],
  blockquote: [/\n/g, SENTENCE_END, /[ \t]/g],
  heading: [/[ \t]/g],
};

/**
 * Cuts `text[start, end)` into pieces no longer than `max` as `measure`
 * counts (the first no longer than `firstMax`), each ending at the last good
 * boundary in the second half of its window: a blank line or line for code
 * and tables, an item for lists, a sentence for prose, then any space, and
 * only then mid-word. Whitespace between pieces belongs to neither.
 */
export function splitOversized(
  text: string,
  start: number,
  end: number,
  type: BlockType,
  measure: TextMeasure,
  max: number,
  firstMax = max,
): Piece[] {
  const pieces: Piece[] = [];
  let position = start;
  let budget = firstMax;
  while (measure.length(position, end) > budget) {
    const windowEnd = Math.max(position + 1, measure.reach(position, budget));
    const windowStart = measure.reach(position, budget / 2);
    const cut = lastBoundary(text, windowStart, windowEnd, SEPARATORS[type]);
    let pieceEnd = cut ?? avoidSplitSurrogate(text, windowEnd);
    const nextStart = skipWhitespace(text, pieceEnd, end);
    while (pieceEnd > position && /\s/.test(text[pieceEnd - 1] as string)) pieceEnd--;
    pieces.push({ start: position, end: pieceEnd, hardCut: cut === undefined });
    position = nextStart;
    budget = max;
  }
  if (position < end) pieces.push({ start: position, end, hardCut: false });
  return pieces;
}

/** Offset just after the last separator match ending within [from, to]; separators earlier in the list win. */
function lastBoundary(text: string, from: number, to: number, separators: RegExp[]): number | undefined {
  const window = text.slice(from, to);
  for (const separator of separators) {
    let found: number | undefined;
    separator.lastIndex = 0;
    for (const match of window.matchAll(separator)) {
      // Newline and space separators cut before themselves; punctuation cuts after itself.
      const cutsAfter = /^[.!?。！？]/.test(match[0]);
      found = from + match.index + (cutsAfter ? match[0].length : 0);
    }
    if (found !== undefined && found > from) return found;
  }
  return undefined;
}

function skipWhitespace(text: string, from: number, end: number): number {
  let position = from;
  while (position < end && /\s/.test(text[position] as string)) position++;
  return position;
}

function avoidSplitSurrogate(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}
