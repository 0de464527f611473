/**
 * AsciiDoc's delimited blocks and block lines, as snippets show them: a
 * listing (`----`) or literal (`....`) block is code, a comment (`////`) or
 * passthrough (`++++`) block is not shown, and an example, sidebar, quote or
 * open block (`====`, `****`, `____`, `--`) is prose without its delimiters.
 * Attribute lines (`[source,shell]`, `[[anchor]]`) are not shown, except an
 * admonition's (`[NOTE]`), which shows as its label.
 *
 * Read only in text known or seen to be AsciiDoc (ingest's `looksLikeAsciidoc`): in
 * Markdown a line of dashes after a blank line is a rule, and two of them
 * hold prose.
 */

export type AsciidocBlockKind = 'code' | 'hidden' | 'prose';

const DELIMITER = /^(-{4,}|\.{4,}|\/{4,}|\+{4,}|={4,}|\*{4,}|_{4,}|--)$/;
const KINDS: ReadonlyArray<[string, AsciidocBlockKind]> = [
  ['-', 'code'],
  ['.', 'code'],
  ['/', 'hidden'],
  ['+', 'hidden'],
];

/** `[source,shell]`, `[verse]`, `[NOTE]`, `[[anchor]]`, `[#id.role]`, `[caption="Rule: "]`: a line that styles the block under it. */
const ATTRIBUTE_LINE = /^\[(?:\[[\w:.-]+(?:,[^\]]*)?\]|[\w#.%-]*(?:,[^\]]*)?|[A-Za-z][\w-]*="[^"]*"(?:,[^\]]*)?)\]$/;
/** ".Example": the title of the block under it, shown without its dot. */
const BLOCK_TITLE = /^\.[\p{L}\d]/u;
/** An open, example, sidebar or quote block's delimiter: a block may open right under it, as under a block title. */
const ENCLOSING = /^(?:--|={4,}|\*{4,}|_{4,})$/;
const ADMONITION = /^\[(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]$/;
/** `== Section`: a section title, marked rather than underlined. */
export const ASCIIDOC_SECTION = /^={1,6}\s+(?=\S)/;
/** `// a comment`: a line not shown (four slashes or more open a comment block instead). */
const LINE_COMMENT = /^\/\/(?!\/\/)/;

/**
 * Whether line `i` opens a delimited block, and which kind: a delimiter
 * after a blank line, a list continuation, an attribute line, a block
 * title, an enclosing block's delimiter or the start of the text, with the
 * block's first line right under it. After a line of text, `----` and
 * `====` underline a title instead. A delimiter with a blank line under it
 * more likely closes a block a chunk boundary cut, and at the very start of
 * the chunk one opens a block only when the chunk holds its closing line
 * too.
 */
export function asciidocBlockAt(
  lines: readonly string[],
  i: number,
): { kind: AsciidocBlockKind; delimiter: string } | undefined {
  const delimiter = DELIMITER.exec((lines[i] as string).trimEnd())?.[1];
  if (!delimiter) return undefined;
  const previous = i > 0 ? (lines[i - 1] as string).trim() : '';
  if (!opensBlockUnder(previous) && !ENCLOSING.test(previous) && !isBlockTitle(lines, i - 1)) return undefined;
  if ((lines[i + 1] ?? '').trim() === '') return undefined;
  if (i === 0 && !lines.some((line, j) => j > 0 && line.trimEnd() === delimiter)) return undefined;
  const kind = KINDS.find(([mark]) => delimiter.startsWith(mark) && delimiter !== '--')?.[1] ?? 'prose';
  return { kind, delimiter };
}

/** A blank line, a list continuation or an attribute line: what a block or its title may stand under. */
function opensBlockUnder(previous: string): boolean {
  return previous === '' || previous === '+' || ATTRIBUTE_LINE.test(previous);
}

/** Whether line `i` is a block title: one opening a block, not a sentence (".gitignore" inside a paragraph is a word). */
function isBlockTitle(lines: readonly string[], i: number): boolean {
  const line = lines[i];
  // At a chunk's start the line may continue a sentence the chunk boundary cut (".git/shallow. This option...").
  if (i < 1 || line === undefined || !BLOCK_TITLE.test(line) || /\.(?:\s|$)/.test(line.trim())) return false;
  return opensBlockUnder((lines[i - 1] as string).trim()) && (lines[i + 1] ?? '').trim() !== '';
}

/** Whether `line` closes the block opened by `delimiter` (the same line). */
export function closesAsciidocBlock(line: string, delimiter: string): boolean {
  return line.trimEnd() === delimiter;
}

/**
 * What an AsciiDoc block line shows: an admonition's label ("Note:"), a
 * block title without its dot, '' for an attribute line, a line comment or
 * a stray delimiter (a prose block's closing one), or undefined for a line
 * read as usual.
 */
export function asciidocLineShown(lines: readonly string[], i: number): string | undefined {
  const trimmed = (lines[i] as string).trim();
  const admonition = ADMONITION.exec(trimmed)?.[1];
  if (admonition) return `${admonition[0]}${admonition.slice(1).toLowerCase()}:`;
  if (ATTRIBUTE_LINE.test(trimmed) || LINE_COMMENT.test(trimmed) || DELIMITER.test(trimmed)) return '';
  if (isBlockTitle(lines, i)) return trimmed.slice(1);
  return undefined;
}
