/**
 * A manual page rendered to text (`man ls | col -b > ls.txt`) opens with a
 * running header, "LS(1)   User Commands   LS(1)", and ends with a footer,
 * "GNU coreutils 9.1   September 2022   LS(1)"; paginated renderings
 * (`nroff -man`) repeat both at every page break. They are page furniture,
 * like a PDF's running heads: searched, the header put "Git Manual" in every
 * Git page and showed as a snippet of its own for the page's name; it is
 * dropped from the text, and plain-title.ts still reads it to know the text
 * is a manual page.
 */

/**
 * "SEQ(1)   User Commands   SEQ(1)", "git-log(1)  Git Manual  git-log(1)":
 * a page name with its section, repeated at the end. The section may be
 * empty ("GIT-UPDATE-SERVER()") and a long middle may run into the repeat
 * ("AGENT(1) systemd-tty-ask-password-agentSYSTEMD-TTY-ASK-PASSWORD-AGENT(1)").
 */
const MAN_HEADER = /^\s*(\S+\(\w*\))\s.*\1\s*$/;
/** Longer than any header a terminal renders: a longer first line (a whole file on one line) is no header, and is not matched at all. */
const MAX_HEADER_CHARS = 400;

/** The page's name with its section ("SEQ(1)") when `line` is a manual page's running header. */
export function manPageHeader(line: string): string | undefined {
  return line.length > MAX_HEADER_CHARS ? undefined : MAN_HEADER.exec(line)?.[1];
}

/** Leading spaces from which a line holding only the page's name is right-aligned furniture, not body text (indented 7 or 14). */
const RIGHT_ALIGNED = 20;

/** The text without its running header and footer lines when it is a rendered manual page; otherwise the text as it is. */
export function withoutManPageFurniture(text: string): string {
  // Most texts are no manual page: their first line says so without splitting the rest.
  const opening = /^(?:[ \t]*\n)*([^\n]*)/.exec(text)?.[1] ?? '';
  const name = manPageHeader(opening);
  if (name === undefined) return text;
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '');
  const heading = (lines[first] as string).trim();
  const isFooter = (line: string): boolean => {
    if (!line.trimEnd().endsWith(name) || line.trim() === heading) return false;
    const before = line.trimEnd().slice(0, -name.length);
    // "Git 2.39.5   10/07/2025   GIT-LOG(1)": fields set apart by wide gaps; or the name alone at the right margin.
    return /\S {3,}$/.test(before) || (before.trim() === '' && before.length >= RIGHT_ALIGNED);
  };
  const dropped = new Set<number>();
  const previousText = (i: number): number => {
    let j = i - 1;
    while (j >= 0 && (lines[j] as string).trim() === '') j--;
    return j;
  };
  for (let i = first; i < lines.length; i++) {
    if ((lines[i] as string).trim() !== heading) continue;
    dropped.add(i);
    const footer = previousText(i);
    if (footer >= 0 && isFooter(lines[footer] as string)) dropped.add(footer);
  }
  const last = previousText(lines.length);
  if (last > first && isFooter(lines[last] as string)) dropped.add(last);

  // The blank lines that set furniture apart go with it.
  for (const i of [...dropped])
    for (let j = i + 1; j < lines.length && (lines[j] as string).trim() === ''; j++) dropped.add(j);
  const kept = lines.filter((_, i) => !dropped.has(i) && i >= first);
  while (kept.length > 0 && (kept[kept.length - 1] as string).trim() === '') kept.pop();
  return kept.join('\n') + (text.endsWith('\n') ? '\n' : '');
}
