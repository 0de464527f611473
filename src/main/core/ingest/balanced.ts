/**
 * Where the delimiter opened at `at` closes, counting nested pairs and
 * skipping backslash escapes (a LaTeX group's `}`, a PDF string's `)`);
 * -1 when it never closes.
 */
export function closingIndex(text: string, at: number, open: string, close: string): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}
