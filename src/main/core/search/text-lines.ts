/** Small questions about a text's lines that several readers of shown text ask. */

/** Characters of whitespace a line starts with. */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The index of the first non-blank line after line `i` (`lines.length` when there is none). */
export function nextNonBlank(lines: readonly string[], i: number): number {
  let next = i + 1;
  while (next < lines.length && (lines[next] as string).trim() === '') next++;
  return next;
}

/** A line's first word (empty for a blank line). */
export function firstWordOf(line: string): string {
  return line.trim().split(/\s/, 1)[0] ?? '';
}
