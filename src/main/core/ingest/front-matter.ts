/**
 * A Markdown file's front matter: the block of properties a static site
 * generator or a note app reads before the text. YAML between `---` lines
 * (Jekyll, Docusaurus, Obsidian; a closing `...` too), or TOML between
 * `+++` lines (Hugo). The chunker keeps it as one block, the title is read
 * from it, and results show it as properties (search/front-matter-shown.ts).
 */
export interface FrontMatter {
  syntax: 'yaml' | 'toml';
  /** The lines between the delimiters. */
  body: string[];
  /** Lines the block spans, delimiters included. */
  lineCount: number;
  /** Characters up to the end of the closing delimiter's line, its line break not included. */
  length: number;
}

/** Longest block read as front matter, in lines: a rule far down a note closes nothing. */
const MAX_LINES = 100;

const OPENING = /^(---|\+\+\+)[ \t]*(?:\n|$)/;

/** The front matter `text` opens with, or null. */
export function frontMatterOf(text: string): FrontMatter | null {
  const opening = OPENING.exec(text);
  if (!opening) return null;
  const syntax = opening[1] === '+++' ? 'toml' : 'yaml';
  const closing = syntax === 'toml' ? /^\+\+\+[ \t]*$/ : /^(?:---|\.\.\.)[ \t]*$/;
  const lines = text.split('\n', MAX_LINES + 1);
  const end = lines.findIndex((line, i) => i > 0 && closing.test(line));
  if (end < 1) return null;
  const length = lines.slice(0, end + 1).reduce((sum, line) => sum + line.length + 1, 0) - 1;
  return { syntax, body: lines.slice(1, end), lineCount: end + 1, length };
}

/** `text` without the front matter it opens with. */
export function withoutFrontMatter(text: string): string {
  const block = frontMatterOf(text);
  return block ? text.slice(block.length) : text;
}

/** The `title` the front matter declares, unquoted (`title: Plan`, `title = "Plan"`), or undefined. */
export function frontMatterTitle(text: string): string | undefined {
  const block = frontMatterOf(text);
  if (!block) return undefined;
  const pattern = block.syntax === 'toml' ? /^title[ \t]*=(.*)$/ : /^title:(.*)$/;
  for (const line of block.body) {
    const value = pattern.exec(line)?.[1]?.trim();
    if (value) return unquoted(value) || undefined;
  }
  return undefined;
}

/** A property's value without the quotes around it (`"Plan"`, `'Plan'`) and the spaces outside them. */
export function unquoted(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? quoted[2]! : trimmed;
}
