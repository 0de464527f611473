import { fenceMarks } from '../ingest/chunking/open-fences';
import { MARKDOWN_CODE_SPAN } from './markdown-marks';

/** Lines a link's text may wrap over: a longer run is not a link. */
const MAX_LINK_LINES = 3;

/**
 * A link (or a role) whose text wraps onto the next line ("[Posix character"
 * / "classes](https://…)") becomes one line, so it reads as its text like
 * any other link; so does a code span that a paragraph's line break runs
 * through ("`npm" / "init <package-spec>` commands", as CommonMark allows):
 * each half had shown its backtick. Lines in fenced code are left as they are.
 */
export function joinWrappedLinks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let fence = false;
  let joined = 0;
  for (const line of lines) {
    const previous = out[out.length - 1];
    const isFence = fenceMarks(line) !== null;
    if (
      !fence &&
      !isFence &&
      previous !== undefined &&
      joined < MAX_LINK_LINES - 1 &&
      line.trim() !== '' &&
      (opensLink(previous) || closesCodeSpan(line, openCodeSpan(previous)))
    ) {
      out[out.length - 1] = `${previous} ${line.trim()}`;
      joined++;
      continue;
    }
    if (isFence) fence = !fence;
    out.push(line);

    joined = 0;
  }
  return out;
}

/** The backtick run of a code span the line opens and does not close, or null. */
function openCodeSpan(line: string): string | null {
  if (!line.includes('`')) return null;
  const open = /(?<![\\`])(`+)(?!`)(.*)$/.exec(line.replace(MARKDOWN_CODE_SPAN, ''));
  // GNU's plain-text quotes open with a backtick and close with an apostrophe ("run `configure' first"):
  // no code span is open there, and joining it to the next line would make code of both.
  if (!open || open[2]!.includes("'")) return null;
  return open[1]!;
}

/** Whether the line closes a code span opened with `ticks` on the line before. */
function closesCodeSpan(line: string, ticks: string | null): boolean {
  return ticks !== null && new RegExp(`(?<!\`)\`{${ticks.length}}(?!\`)`).test(line);
}

/**
 * The line's last `[` is still open: a link's text goes on in the next line.
 * So does a reStructuredText role's (":ref:`conversion table" /
 * "<py-to-json-table>`"), which is read as a link's.
 */
function opensLink(line: string): boolean {
  const open = line.lastIndexOf('[');
  return (open >= 0 && !line.includes(']', open) && !line.includes('`', open)) || OPEN_ROLE.test(line);
}

/** A role whose backquoted text is not closed on its line. */
const OPEN_ROLE = /:[\w.+-]+:`[^`]*$/;
