import { looksLikeAsciidoc } from '../asciidoc-signs';
import type { ChunkDraft } from '../types';
import { splitLines } from './blocks';
import { isFenceLikeUnderline, listingBlocks } from './plain-headings';

/** A quote's marks (`> `, nested `> > `): inside them a fence is one too, here and in snippets (search/snippet-text.ts). */
export const QUOTE_MARKS = /^(?:\s{0,3}>\s?)+/;

/**
 * The marks of a code fence opening or closing a block on `line`, else
 * null: up to three spaces in, with any info string (```` ```js {1,3} ````);
 * further in (under a list item's text, as turndown writes it) only bare or
 * with a language's name, since a deeply indented run of tildes is more
 * often a table's rule or a traceback's marks (`~~~~^^^^`).
 */
export function fenceMarks(line: string): string | null {
  const fence = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(line);
  if (!fence) return null;
  const [, indent, marks, info] = fence as unknown as [string, string, string, string];
  if (marks[0] === '`' && info.includes('`')) return null;
  if (indent.length > 3 && !/^[ \t]*[\w+#.-]*[ \t]*$/.test(info)) return null;
  return marks;
}

/**
 * Marks the chunks that begin inside a fenced code block whose opening
 * line is in an earlier chunk (an oversized block cut into pieces, or a
 * list item cut between its lines) with that fence (`openFence`): shown on
 * its own, such a chunk would read its code as prose and the first fence it
 * meets, the closing one, as an opening, turning the prose after it into
 * code. One pass over the text's lines. In plain text that shows it is
 * AsciiDoc, a listing or literal block (`----`, `....`) is such a block too,
 * marked with its delimiter: Git's manuals cut long examples into pieces.
 */
export function markOpenFences(text: string, chunks: ChunkDraft[], format: 'markdown' | 'plain' | 'table'): void {
  const spans =
    format === 'plain' && looksLikeAsciidoc(text)
      ? [...fencedSpans(text), ...listingSpans(text)].sort((a, b) => a.start - b.start)
      : fencedSpans(text);
  let span = 0;
  for (const chunk of chunks) {
    // A chunk that starts at a closing fence is inside too: on its own, that fence would open a block.
    while (span < spans.length && spans[span]!.end < chunk.charStart) span++;
    const inside = spans[span];
    if (inside && inside.start <= chunk.charStart) chunk.openFence = inside.marks;
  }
}

/** Where code is inside each fenced block (after its opening line, up to its closing line's start), in order. */
function fencedSpans(text: string): Array<{ start: number; end: number; marks: string }> {
  const spans: Array<{ start: number; end: number; marks: string }> = [];
  let open: { start: number; marks: string } | null = null;
  let lineStart = 0;
  let previous: string | undefined;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, Math.min(lineEnd, lineStart + 200));
    const marks: string | null =
      open === null && isFenceLikeUnderline(line, previous) ? null : fenceMarks(line.replace(QUOTE_MARKS, ''));
    previous = line;
    if (marks !== null) {
      if (open === null) open = { start: lineEnd + 1, marks };
      else if (marks[0] === open.marks[0] && marks.length >= open.marks.length) {
        spans.push({ start: open.start, end: lineStart, marks: open.marks });
        open = null;
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  // A block the text never closes runs to its end.
  if (open !== null) spans.push({ start: open.start, end: text.length + 1, marks: open.marks });
  return spans;
}

/** Where code is inside each AsciiDoc listing or literal block, as `fencedSpans` gives it. */
function listingSpans(text: string): Array<{ start: number; end: number; marks: string }> {
  const lines = splitLines(text);
  return listingBlocks(lines.map((line) => line.text)).map((block) => ({
    start: lines[block.first + 1]!.start,
    end: lines[block.last]!.start,
    marks: block.fence,
  }));
}
