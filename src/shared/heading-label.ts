/**
 * The headings a passage's label shows: its heading path without a first
 * heading that is one of the document's titles (the result, or the
 * preview's header, shows the title itself). The renderer labels passages
 * with it, and the preview's passages leave out the headings it shows
 * (search/chunk-context.ts), so the two must agree.
 */
export function labelHeadings(path: readonly string[], titles: readonly string[]): string[] {
  const first = path[0]?.trim().toLowerCase();
  const known = titles.map((title) => title.trim().toLowerCase());
  return first !== undefined && known.includes(first) ? path.slice(1) : [...path];
}
