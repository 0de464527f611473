/**
 * The markup a document is written in, when more than its text can tell.
 * Snippets are cut from one chunk, and a chunk does not always show its
 * markup: a reStructuredText literal block (`Example::` over an indented
 * block) in a chunk with no role or directive, or an AsciiDoc listing block
 * (between `----` lines), which Markdown would read as two rules.
 *
 * - `markdown`: the parser wrote Markdown (Markdown files, HTML, Word…).
 * - `rst`, `asciidoc`: plain text in a file named so (`.rst`, Sphinx's
 *   `.rst.txt` sources, `.adoc`).
 * - undefined: anything else (`notes.txt`, Git's AsciiDoc `.txt` manuals),
 *   where the chunk's own signs decide (snippet-text.ts).
 */
export type MarkupDialect = 'markdown' | 'rst' | 'asciidoc';

const RST_NAME = /\.(?:rst|rest)(?:\.txt)?(?:\.gz)?$/i;
const ASCIIDOC_NAME = /\.(?:adoc|asciidoc)(?:\.txt)?(?:\.gz)?$/i;

/** A document's dialect from its parse format (`metadata.parse.format`) and its file name (the `title` column). */
export function markupDialect(
  format: string | null | undefined,
  fileName: string | null | undefined,
): MarkupDialect | undefined {
  if (format === 'markdown') return 'markdown';
  if (format !== 'plain' || !fileName) return undefined;
  if (RST_NAME.test(fileName)) return 'rst';
  if (ASCIIDOC_NAME.test(fileName)) return 'asciidoc';
  return undefined;
}
