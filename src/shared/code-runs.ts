/** The part of a snippet segment that says how to show it (contract SnippetSegment, core search types). */
interface Segment {
  text: string;
  match: boolean;
  code?: boolean;
}

/**
 * A snippet's segments in runs of code and of prose. A highlight splits
 * code into several segments; shown one by one, a passage of code fell
 * apart into pieces (one box per piece on screen, one pair of backticks per
 * piece in a terminal). Runs keep it whole.
 */
export function codeRuns<S extends Segment>(segments: readonly S[]): Array<{ code: boolean; segments: S[] }> {
  const runs: Array<{ code: boolean; segments: S[] }> = [];
  for (const segment of segments) {
    const code = segment.code === true;
    const last = runs[runs.length - 1];
    if (last && last.code === code) last.segments.push(segment);
    else runs.push({ code, segments: [segment] });
  }
  return runs;
}
