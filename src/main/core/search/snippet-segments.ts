import type { SnippetSegment } from './types';

/**
 * The markers shown text carries (displayText's code, FTS5's highlights) and
 * the segments a result shows, read from text marked with them.
 *
 * Code is kept between private-use markers with a space on each side: the
 * snippet tokenizer (unicode61) counts private-use characters as letters, so
 * a marker touching a word would hide that word from the highlighter.
 */
export const CODE_OPEN = '\uE002';
export const CODE_CLOSE = '\uE003';
/** Highlight markers FTS5's snippet() puts around matched words. */
export const MATCH_OPEN = '\uE000';
export const MATCH_CLOSE = '\uE001';

/** Whether offset `at` of shown text (displayText's) falls inside a code span or block. */
export function insideCode(text: string, at: number): boolean {
  return text.lastIndexOf(CODE_OPEN, at) > text.lastIndexOf(CODE_CLOSE, at);
}

/**
 * Segments of displayed text that may hold match and code markers (in any
 * state: a snippet can start inside a code span, so a closing marker with
 * no opening one means the text before it was code). Whitespace is kept
 * as one space; the padding around code markers is removed.
 */
export function toSegments(marked: string, options: { keepLines?: boolean } = {}): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const firstOpen = marked.indexOf(CODE_OPEN);
  const firstClose = marked.indexOf(CODE_CLOSE);
  let code = firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen);
  let match = false;
  for (const piece of marked.split(/([\uE000-\uE003])/)) {
    if (piece === MATCH_OPEN) match = true;
    else if (piece === MATCH_CLOSE) match = false;
    else if (piece === CODE_OPEN) code = true;
    else if (piece === CODE_CLOSE) code = false;
    else if (piece.length > 0) push(segments, piece, match, code);
  }
  // A window cut just inside a code span leaves it nothing but the ellipsis: that reads as prose ("See …").
  const joined: SnippetSegment[] = [];
  for (const s of segments) push(joined, s.text, s.match, s.code === true && s.text.trim() !== '…');
  return tidy(joined, options.keepLines ?? false);
}

function push(segments: SnippetSegment[], text: string, match: boolean, code: boolean): void {
  const last = segments[segments.length - 1];
  if (last && last.match === match && (last.code ?? false) === code) last.text += text;
  else segments.push(code ? { text, match, code } : { text, match });
}

/**
 * Code segments lose the padding spaces around their markers; runs of
 * whitespace become one space (with `keepLines`, line breaks stay, at most
 * one blank line in a row: the preview shows a passage's lines).
 */
function tidy(segments: SnippetSegment[], keepLines: boolean): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  const squash = (text: string): string =>
    keepLines
      ? text
          .replace(/[^\S\n]+/g, ' ')
          .replace(/ ?\n ?/g, '\n')
          .replace(/\n{3,}/g, '\n\n')
      : text.replace(/\s+/g, ' ');
  segments.forEach((s, i) => {
    let text = s.code ? s.text : squash(s.text);
    if (s.code) {
      if (i === 0 || !segments[i - 1]!.code) text = text.replace(/^ /, '');
      if (i === segments.length - 1 || !segments[i + 1]!.code) text = text.replace(/ $/, '');
    } else {
      // The padding beside code is ours: none before closing punctuation ("`x`."), none after an opening one ("(`x`").
      if (segments[i - 1]?.code) text = text.replace(/^ (?=[.,;:!?)\]}'"\u2019])/, '');
      if (segments[i + 1]?.code) text = text.replace(/(?<=[([{'"\u2018]) $/, '');
    }
    if (text.length > 0) out.push({ ...s, text });
  });
  // Trim the whole snippet's ends.
  if (out.length > 0) {
    out[0]!.text = out[0]!.text.replace(/^\s+/, '');
    out[out.length - 1]!.text = out[out.length - 1]!.text.replace(/\s+$/, '');
  }
  return out.filter((s) => s.text.length > 0);
}
