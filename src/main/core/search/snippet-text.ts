import { looksLikeAsciidoc } from '../ingest/asciidoc-signs';
import { fenceMarks, QUOTE_MARKS } from '../ingest/chunking/open-fences';
import {
  ASCIIDOC_SECTION,
  asciidocBlockAt,
  asciidocLineShown,
  closesAsciidocBlock,
  type AsciidocBlockKind,
} from './asciidoc-blocks';
import type { MarkupDialect } from './markup-dialect';
import { isAdornment, isFenceLikeUnderline } from '../ingest/chunking/plain-headings';
import {
  decodeEntities,
  LINKED_IMAGE,
  linksAsText,
  MARKDOWN_IMAGE,
  rstRolesAsText,
  unescapeMarkdown,
  withoutEmphasis,
} from '../ingest/markdown-inline';
import { withoutSharedIndent } from '../ingest/parsers/fenced-code';
import { withLeadersShortened } from './dot-leaders';
import { withFrontMatterShown } from './front-matter-shown';
import type { SnippetSegment } from './types';
import { ownEntry } from '../../../shared/own-entry';

/**
 * Chunk text as a person should read it in a result: Markdown and HTML
 * markup gone, code kept as code, page furniture dropped. Search still runs
 * on the stored text; only what is shown is cleaned.
 *
 * Code (fenced blocks and inline `code`) is kept verbatim, braces and all,
 * between private-use markers with a space on each side: the snippet
 * tokenizer (unicode61) counts private-use characters as letters, so a
 * marker touching a word would hide that word from the highlighter.
 */
export const CODE_OPEN = '\uE002';
export const CODE_CLOSE = '\uE003';
/** Highlight markers FTS5's snippet() puts around matched words. */
export const MATCH_OPEN = '\uE000';
export const MATCH_CLOSE = '\uE001';

const HEADING = /^\s{0,3}#{1,6}(?:\s+|$)/;
const HEADING_TAIL = /\s+#+\s*$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const LIST = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const REFERENCE_DEFINITION = /^\s{0,3}\[(?!\^)[^\]]+\]:\s+\S+/;
/** A footnote's text, `[^1]: The source.`: shown without its label, as the note under the page reads. */
const FOOTNOTE_DEFINITION = /^\s{0,3}\[\^[^\]]+\]:[ \t]*/;
/** AsciiDoc's preprocessor lines (`ifdef::git-pull[]`, `include::merge-options.txt[]`): shown as nothing. */
const ASCIIDOC_PREPROCESSOR = /^(?:ifn?def|ifeval|endif|include)::[^\s[]*\[[^\]\n]*\]\s*$/;
/** AsciiDoc's labelled-list term: `--force::`, `apply [--index]::` at column 0 (`:::` and `::::` nest). */
const ASCIIDOC_TERM = /^(\S(?:.*[^:\s])?)(?::{2,4})\s*$/;
/** A lone "+": AsciiDoc's list continuation, which joins the next block to a list item and shows as nothing. */
const LIST_CONTINUATION = /^\s*\+\s*$/;
/** A reStructuredText table's border: `+-----+------+` (grid) or `===== ======` (simple). */
const RST_TABLE_BORDER = /^\s*(?:\+(?:[-=]+\+)+|=+(?:\s+=+)+)\s*$/;
/**
 * The elements of HTML, whose tags Markdown shows as nothing. Anything else
 * in angle brackets is text: the `<branchname>` and `<file>` of command
 * synopses in AsciiDoc, man pages and plain notes.
 */
const HTML_ELEMENTS =
  'a|abbr|address|article|aside|audio|b|big|blockquote|body|br|button|caption|center|cite|code|col|colgroup|dd|del|details|dfn|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|li|link|main|mark|meta|nav|noscript|ol|option|p|picture|pre|q|s|samp|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|textarea|tfoot|th|thead|time|title|tr|tt|u|ul|var|video|wbr';
const HTML_TAG = new RegExp(`</?(?:${HTML_ELEMENTS})(?=[\\s/>])(?:\\s[^<>]*)?/?>`, 'gi');
/** reStructuredText markup lines: a hyperlink target (`.. _label:`) or substitution (`.. |name| image::`), shown as nothing. */
const RST_TARGET = /^\s*\.\.\s+(?:_[^:]*:|\|[^|]+\|)/;
/** A reStructuredText directive (`.. method:: writerow(row)`, `.. note::`): its argument is what shows. */
const RST_DIRECTIVE = /^(\s*)\.\.\s+([\w:.-]+)::\s*/;
/**
 * Directives for the build, not the reader: index entries (`single: (?P<; in
 * regular expressions`), an included file's path, the code language, a table
 * of contents' file names, authors, doctest set-up. They and the lines
 * indented under them show as nothing, as Sphinx renders them.
 */
const HIDDEN_DIRECTIVES =
  'index|include|highlight|toctree|sectionauthor|moduleauthor|codeauthor|currentmodule|default-role|testsetup|testcleanup';
const RST_HIDDEN_DIRECTIVE = new RegExp(`^\\s*\\.\\.\\s+(?:${HIDDEN_DIRECTIVES})::`);
/**
 * MyST, the Markdown Sphinx and Jupyter Book read, writes a directive as a
 * fence named in braces (```{note}, :::{warning}, ````{toctree}), its
 * argument after the name; the same directives as reStructuredText's.
 */
const MYST_DIRECTIVE = /^\s{0,3}(`{3,}|~{3,}|:{3,})\{([\w:.-]+)\}[ \t]*(.*)$/;
const MYST_HIDDEN = new RegExp(`^(?:${HIDDEN_DIRECTIVES})$`);
/** A MyST target above a heading, `(install-guide)=`: a label for links, shown as nothing. */
const MYST_TARGET = /^\s{0,3}\([^()\s]+\)=\s*$/;
/**
 * A colon fence: MyST's (`:::{note}`) or a Pandoc and Quarto fenced div
 * (`::: {.callout-warning}`, `::: note`, a bare `:::` closing one). It
 * holds prose; the fence shows as its admonition's label, if any.
 */
const COLON_FENCE = /^\s{0,3}(:{3,})\s*(?:\{\.?(?:callout-)?([\w-]+)[^}]*\}|([\w-]+))?.*$/;
/** A directive's option line under its fence (`:maxdepth: 2`, `:class: tip`). */
const DIRECTIVE_OPTION = /^\s*:[\w-]+:(?:\s.*)?$/;
/** The label Sphinx writes before a version note's version or an admonition's text. */
const RST_LABELS: Readonly<Record<string, string>> = {
  versionadded: 'New in version',
  versionchanged: 'Changed in version',
  deprecated: 'Deprecated since version',
  'deprecated-removed': 'Deprecated since version',
  seealso: 'See also:',
  note: 'Note:',
  tip: 'Tip:',
  hint: 'Hint:',
  important: 'Important:',
  warning: 'Warning:',
  caution: 'Caution:',
  attention: 'Attention:',
  danger: 'Danger:',
  error: 'Error:',
};
/**
 * Obsidian's comment, `%%hidden%%`, not shown when a note is read; one over
 * several lines opens and closes with a line that is only `%%`. Its text
 * must start and end the marks, so "print %% for a percent sign" stays.
 */
const OBSIDIAN_COMMENT = /%%(?=[^\s%])[^%\n]*?(?<=[^\s%])%%/g;
/** An Obsidian or GitHub callout's first line, in a quote: `> [!note] Title`, `> [!warning]- Folded`. */
const CALLOUT = /^(\s*)\[!([\w-]+)\][+-]?[ \t]*(.*)$/;

/** A callout's first line as it reads: its kind as a label ("Note:", "Warning:"), then its title. */
function calloutShown(_: string, indent: string, kind: string, title: string): string {
  const name = kind.toLowerCase();
  const label = ownEntry(RST_LABELS, name) ?? `${name[0]!.toUpperCase()}${name.slice(1)}:`;
  return `${indent}${label.endsWith(':') ? label : `${label}:`}${title ? ` ${title}` : ''}`;
}

/** A line that is only a page number: "12", "- 12 -", "Page 3", "3 of 10", "page 3 of 10", "xiv". */
const PAGE_NUMBER =
  /^\s*(?:[-–—]\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|\/)\s*\d{1,4})?(?:\s*[-–—])?\s*$/i;

/**
 * `raw` without the heading lines it opens with when each repeats a heading
 * the result already shows (its title or heading path): the snippet then
 * starts with what the section says instead of "Growing tomatoes Water the
 * beds…". Plain text has no heading markers, so there a line that is
 * exactly a shown heading counts ("NAME" under the heading path NAME, a
 * note's first line that is its title), with the rule of `=` or `-` under
 * or over it. A heading the result does not show is kept, and so is the
 * last line of a chunk that is nothing but shown headings.
 */
export function withoutShownHeadings(raw: string, shown: readonly string[]): string {
  const known = new Set(shown.map((h) => h.trim().toLowerCase()).filter((h) => h !== ''));
  if (known.size === 0) return raw;
  const lines = raw.split('\n');
  let i = 0;
  let lastShown = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    // A heading's rule, as the chunker recognised it, indented by up to three spaces.
    if (line.trim() === '' || isAdornment(line.replace(/^\s{0,3}/, '').trimEnd())) {
      i++;
      continue;
    }
    const heading = (HEADING.test(line) ? displayText(line) : line).trim().toLowerCase();
    if (!known.has(heading)) break;
    lastShown = i++;
  }
  const rest = lines.slice(i).join('\n');
  // Nothing but shown headings ("NAME" over a summary that is also the title): keep the last of them.
  return rest.trim() === '' ? lines.slice(lastShown).join('\n') : rest;
}

/**
 * A source file's text as one fenced block, so it shows as code: verbatim,
 * never read as Markdown (a template literal's backticks are not inline code,
 * a `#` comment is not a heading). The fence is longer than any run of
 * backticks inside.
 */
export function asCodeBlock(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

/**
 * A chunk's text with the fence it begins inside (ingest's chunking/open-fences.ts) put back in
 * front, so its code shows as code and the prose after the block's end as prose; without it the
 * closing fence read as an opening one. An AsciiDoc listing or literal block's delimiter (`----`,
 * `....`, which the chunker records only in AsciiDoc) turns the code up to its closing line into
 * a fenced block: a delimiter alone at a chunk's start opens nothing (asciidoc-blocks.ts).
 * Anything else is ignored.
 */
export function withOpenFence(text: string, openFence: string | null | undefined): string {
  if (!openFence) return text;
  if (/^(?:`{3,}|~{3,})$/.test(openFence)) return `${openFence}\n${text}`;
  if (!/^(?:-{4,}|\.{4,})$/.test(openFence)) return text;
  const lines = text.split('\n');
  const close = lines.findIndex((line) => line.trimEnd() === openFence);
  if (close < 0) return asCodeBlock(text);
  const code = close > 0 ? [asCodeBlock(lines.slice(0, close).join('\n'))] : [];
  return [...code, ...lines.slice(close + 1)].join('\n');
}

/**
 * A chunk's stored text as a result or the preview reads it: a source
 * file's as the code it is; others with their front matter as one line of
 * properties (front-matter-shown.ts) and without the opening headings the caller
 * shows above it anyway (`shownHeadings`: a result's titles and heading
 * path, the preview's label), and with the fence a chunk begun inside a
 * code block needs.
 */
export function chunkSourceText(
  chunk: { text: string; openFence: string | null },
  doc: { format: string | null | undefined; shownHeadings: readonly string[] },
): string {
  if (doc.format === 'code') return asCodeBlock(chunk.text);
  const text = withFrontMatterShown(chunk.text, doc.shownHeadings);
  return withOpenFence(withoutShownHeadings(text, doc.shownHeadings), chunk.openFence);
}

/** The text to show for a chunk (see the module comment); code is wrapped in CODE_OPEN / CODE_CLOSE. */
export function displayText(raw: string, dialect?: MarkupDialect): string {
  // A document's own private-use characters would pass for our markers.
  const lines = joinWrappedLinks(
    raw
      .replace(/[\uE000-\uE004]/g, '')
      .replace(/\r\n?/g, '\n')
      .split('\n'),
  );
  const repeated = repeatedShortLines(lines);
  const out: string[] = [];
  let fence: string | null = null;
  let fenceInQuote = false;
  let codeLines: string[] = [];
  // Inside a comment that runs over several lines (an HTML one: Node.js's docs keep YAML in them; an
  // Obsidian one): hidden when the Markdown is shown, so not shown here. The marker that ends it, or null.
  let comment: string | null = null;
  // Inside a reStructuredText literal block: the indent its lines go deeper than, or null. Only in text that
  // shows it is reStructuredText: AsciiDoc writes a labelled list ("apply [--index]::", a blank line, its
  // text indented) just as a literal block is written.
  const rst = dialect === 'rst' || (dialect !== 'asciidoc' && RST_SIGNS.test(raw));
  let literal: number | null = null;
  // AsciiDoc's blocks, read only where the document or the chunk says it is AsciiDoc (asciidoc-blocks.ts).
  const asciidoc = dialect === 'asciidoc' || (dialect === undefined && !rst && looksLikeAsciidoc(lines.join('\n')));
  // Inside an AsciiDoc listing, literal, comment or passthrough block: how it opened, or null.
  let asciidocBlock: { kind: AsciidocBlockKind; delimiter: string } | null = null;
  // Inside a directive shown as nothing (RST_HIDDEN_DIRECTIVE): the indent its lines go deeper than, or null.
  let hidden: number | null = null;
  const directiveFences = new DirectiveFences();
  const flushCode = (): void => {
    if (codeLines.length > 0) out.push(` ${CODE_OPEN} ${codeLines.join('\n')} ${CODE_CLOSE} `);
    codeLines = [];
  };
  // The last line pushed as it was written (no heading, list or quote marks): the next may continue it (`wrapsInto`).
  let lastProse = -1;
  const widths = paragraphWidths(lines);
  lines.forEach((whole, i) => {
    let line = whole;
    if (literal !== null) {
      if (line.trim() === '' || indentOf(line) > literal) {
        if (line.trim() !== '') codeLines.push(line);
        return;
      }
      literal = null;
      flushCode();
    }
    if (hidden !== null) {
      if (line.trim() === '' || indentOf(line) > hidden) return;
      hidden = null;
    }
    if (asciidocBlock !== null) {
      if (!closesAsciidocBlock(line, asciidocBlock.delimiter)) {
        if (asciidocBlock.kind === 'code') codeLines.push(line);
        return;
      }
      if (asciidocBlock.kind === 'code') flushCode();
      asciidocBlock = null;
      return;
    }
    // A fenced block is code whatever it says, reStructuredText samples included.
    if (rst && fence === null && RST_HIDDEN_DIRECTIVE.test(line)) {
      hidden = indentOf(line);
      return;
    }
    const opensLiteral = rst && fence === null ? literalBlockAt(lines, i) : undefined;
    if (opensLiteral) {
      literal = indentOf(line);
      line = opensLiteral.text;
    }
    if (fence === null) {
      if (comment !== null) {
        const end = line.indexOf(comment);
        if (end < 0) return;
        line = line.slice(end + comment.length);
        comment = null;
      }
      line = line.replace(OBSIDIAN_COMMENT, ' ');
      const open = line.lastIndexOf('<!--');
      if (open >= 0 && !line.includes('-->', open)) {
        comment = '-->';
        line = line.slice(0, open);
      } else if (line.trim() === '%%') {
        comment = '%%';
        return;
      }
    }
    // A fence in a quote ("> ```") is one too, and the quote's marks are not part of its code.
    const quote = fence === null || fenceInQuote ? (QUOTE_MARKS.exec(line)?.[0] ?? '') : '';
    // Indented too: turndown indents a list item's fenced block under its text (Python's and Git's pages).
    const fenceMatch = fenceMarks(line.slice(quote.length));
    if (fence !== null) {
      if (fenceMatch && fenceMatch[0] === fence[0] && fenceMatch.length >= fence.length) {
        fence = null;
        flushCode();
      } else {
        codeLines.push(line.slice(quote.length));
      }
      return;
    }
    if (asciidoc) {
      const block = asciidocBlockAt(lines, i);
      if (block) {
        // A prose block's delimiters show as nothing; its lines are read as usual.
        if (block.kind !== 'prose') asciidocBlock = block;
        return;
      }
      const shownLine = asciidocLineShown(lines, i);
      if (shownLine === '') return;
      if (shownLine !== undefined) {
        out.push(shownLine);
        return;
      }
    }
    const fenced = directiveFences.read(line);
    if (fenced !== null) {
      if (fenced !== '') out.push(fenced);
      return;
    }
    // A title's underline of tildes ("Release 3.4.1" over "~~~~~~~~~~~~~") sets the title apart; it opens nothing.
    if (fenceMatch && isFenceLikeUnderline(line, lines[i - 1])) return;
    if (fenceMatch) {
      fence = fenceMatch;
      fenceInQuote = quote !== '';
      return;
    }
    if (
      RULE.test(line) ||
      TABLE_RULE.test(line) ||
      REFERENCE_DEFINITION.test(line) ||
      RST_TARGET.test(line) ||
      MYST_TARGET.test(line) ||
      RST_TABLE_BORDER.test(line) ||
      LIST_CONTINUATION.test(line) ||
      ASCIIDOC_PREPROCESSOR.test(line)
    ) {
      return;
    }
    if (SETEXT.test(line) && i > 0 && lines[i - 1]!.trim() !== '') return;
    if (PAGE_NUMBER.test(line) || repeated.has(furnitureKey(line))) return;
    let text = rstDirectiveShown(line.replace(QUOTE_MARKS, ''));
    if (QUOTE_MARKS.test(line)) text = text.replace(CALLOUT, calloutShown);
    // In AsciiDoc a term's text may also follow at the left edge; elsewhere "C++ has std::" must stay.
    if (asciidoc ? ASCIIDOC_TERM.test(line) : !rst && isAsciidocTerm(lines, i)) text = text.replace(/:{2,4}\s*$/, ':');
    if (asciidoc) text = text.replace(ASCIIDOC_SECTION, '');
    if (HEADING.test(text)) text = text.replace(HEADING, '').replace(HEADING_TAIL, '');
    text = text.replace(LIST, '').replace(FOOTNOTE_DEFINITION, '');
    if (/^\s*\|.*\|\s*$/.test(text))
      text = text
        .trim()
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim())
        .join(' · ');
    const shown = withLeadersShortened(inline(text));
    const asWritten = text === line;
    if (asWritten && i > 0 && lastProse === i - 1 && wrapsInto(lines[i - 1]!, line, widths[i]!))
      out[out.length - 1] += ` ${shown}`;
    else out.push(shown);
    lastProse = asWritten ? i : -1;
  });
  flushCode(); // a fence the chunk cut off: what follows it is still code
  // Prose has its whitespace collapsed; code keeps its indentation (the preview shows its lines), less what all
  // its lines share (a literal block indented under its paragraph).
  return out
    .join('\n')
    .split(CODE_SPANS)
    .map((piece, i) =>
      i % 2 === 1
        ? dedent(piece)
        : piece
            .replace(/[ \t]+/g, ' ')
            .replace(/ *\n */g, '\n')
            .replace(/\n{3,}/g, '\n\n'),
    )
    .join('')
    .trim();
}

/**
 * Whether `line` continues the paragraph of `previous`, which the writer's
 * editor broke at its width (plain text and Markdown wrapped at 72 or 80
 * columns): the preview then shows one paragraph the pane wraps, not ragged
 * short lines, and sentences are not cut at each line end. An editor breaks
 * a line where the next word would pass the width, so `line`'s first word
 * must not have fitted on `previous` within the width the paragraph was
 * filled to (`width`, 0 when it was not: `paragraphWidths`): a list
 * written one entry per line (a log, a changelog's commit subjects) has
 * room left, and its entries often open with the same word ("PASS:"). A
 * short line ends where its writer ended it (a heading, an address, a
 * verse); lines with columns set by runs of spaces are a table's rows, and
 * a line ending in a brace, a semicolon or a backslash is code.
 */
function wrapsInto(previous: string, line: string, width: number): boolean {
  const before = previous.trimEnd();
  const firstWord = firstWordOf(line);
  if (
    width === 0 ||
    before.length < MIN_WRAPPED_CHARS ||
    firstWord === '' ||
    before.length + 1 + firstWord.length <= width
  )
    return false;
  // Lines opening alike are entries ("PASS: ...", "FUNC:...", "commit ..."), however long.
  if (before.trim().startsWith(`${firstWord} `)) return false;
  if (indentOf(previous) !== indentOf(line) || /[{};\\]$/.test(before)) return false;
  return !/\S {3,}\S|\t/.test(`${before.trim()}\n${line.trim()}`) && !LIST.test(line) && !HEADING.test(line);
}

/** Shorter lines end where their writer ended them: a heading, a term, an address, a verse. */
const MIN_WRAPPED_CHARS = 40;

/**
 * For each line, the width its paragraph (the lines between `endsParagraph`
 * ones) was filled to, or 0 when it was not filled: its longest line's
 * length, when at least three in four of its long lines but the last broke
 * where the next word would have passed it. A list written one entry per
 * line breaks wherever its entries end.
 */
function paragraphWidths(lines: readonly string[]): number[] {
  const widths = new Array<number>(lines.length).fill(0);
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !endsParagraph(lines[i]!)) continue;
    const paragraph = lines.slice(start, i).map((l) => l.trimEnd());
    const widest = Math.max(0, ...paragraph.map((l) => l.length));
    // Lines a wrap could have ended: any but the last, long enough (a term or a title may head the paragraph).
    const ends = paragraph.slice(0, -1).map((l, k) => [l, paragraph[k + 1]!] as const);
    const candidates = ends.filter(([l]) => l.length >= MIN_WRAPPED_CHARS);
    const broken = candidates.filter(([l, next]) => l.length + 1 + firstWordOf(next).length > widest);
    if (candidates.length > 0 && broken.length >= candidates.length * 0.75) widths.fill(widest, start, i);
    start = i + 1;
  }
  return widths;
}

/**
 * A blank line, or one that sets a block apart without a blank line around
 * it: a rule, a fence or delimiter of code, AsciiDoc's list continuation.
 */
function endsParagraph(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed === '+' || isAdornment(trimmed) || /^(?:`{3,}|~{3,}|\.{4,})/.test(trimmed);
}

function firstWordOf(line: string): string {
  return line.trim().split(/\s/, 1)[0] ?? '';
}

/** A code span or block, markers included, as displayText writes them. */
const CODE_SPANS = /(\uE002[^\uE003]*\uE003)/;

/** A code span or block (markers and their padding kept) without the indentation its lines all share, trailing spaces and blank runs. */
function dedent(span: string): string {
  const body = span.slice(1, -1).replace(/^ /, '').replace(/ $/, '');
  const lines = body
    .replace(/^\n+|\n+$/g, '')
    .split('\n')
    .map((line) => line.trimEnd());
  const code = withoutSharedIndent(lines).replace(/\n{3,}/g, '\n\n');
  return `${CODE_OPEN} ${code} ${CODE_CLOSE}`;
}

/** A role (`:func:`), a directive (`.. note::`) or a target (`.. _label:`): text written in reStructuredText. */
const RST_SIGNS = /:[\w.+-]+:`|^\s*\.\.\s+(?:[\w:.-]+::|_[^:\n]*:)/m;
/** Directives whose indented body is code (the rest, `.. note::`, hold prose). */
const CODE_DIRECTIVE = /^\s*\.\.\s+(?:code-block|code|sourcecode|literalinclude|doctest|productionlist)::/;
/**
 * Whether line `i` is a term of an AsciiDoc labelled list, shown as "term:":
 * its description follows indented, perhaps after a blank line, or another
 * term of the same entry does (`-q::` then `--quiet::`). "C++ has std::"
 * followed by prose at column 0 is left as written.
 */
function isAsciidocTerm(lines: readonly string[], i: number): boolean {
  if (!ASCIIDOC_TERM.test(lines[i] as string)) return false;
  const following = lines[nextNonBlank(lines, i)];
  return following !== undefined && (indentOf(following) > 0 || ASCIIDOC_TERM.test(following));
}

/** The index of the first non-blank line after line `i` (`lines.length` when there is none). */
function nextNonBlank(lines: readonly string[], i: number): number {
  let next = i + 1;
  while (next < lines.length && (lines[next] as string).trim() === '') next++;
  return next;
}

/** "See this example::" or a lone "::": reStructuredText's start of a literal block. */
const LITERAL_MARK = /(^|[^:\s])?(\s*)::\s*$/;

/**
 * Whether line `i` opens a reStructuredText literal block (the next
 * non-blank line is indented deeper), and its text as shown: "example::"
 * reads "example:", a lone "::" and a code directive nothing.
 */
function literalBlockAt(lines: readonly string[], i: number): { text: string } | undefined {
  const line = lines[i] as string;
  const isDirective = CODE_DIRECTIVE.test(line);
  const mark = isDirective ? null : LITERAL_MARK.exec(line);
  if (!isDirective && (!mark || /^\s*\.\./.test(line))) return undefined;
  // A blank line comes first, as reStructuredText requires: AsciiDoc's "--force::" has its text right under it.
  const next = nextNonBlank(lines, i);
  if (next === i + 1 || next >= lines.length || indentOf(lines[next] as string) <= indentOf(line)) return undefined;
  // A code directive's argument is the language's name: nothing to read.
  if (isDirective) return { text: '' };
  // "word::" shows one colon; "word ::" and a lone "::" show none (as docutils renders them).
  return { text: mark?.[1] && (mark[2] ?? '') === '' ? line.replace(/::\s*$/, ':') : line.replace(/\s*::\s*$/, '') };
}

/** A directive line as Sphinx shows it: "Changed in version 3.11:", "Note: Mind the gap", a signature as it is. */
function rstDirectiveShown(line: string): string {
  const directive = RST_DIRECTIVE.exec(line);
  if (!directive) return line;
  const [prefix, indent, name] = directive as unknown as [string, string, string];
  return directiveShown(indent, name, line.slice(prefix.length));
}

/** A directive named `name` with the text after it, as Sphinx shows it (see rstDirectiveShown). */
function directiveShown(indent: string, name: string, rest: string): string {
  const label = ownEntry(RST_LABELS, name);
  if (!label) return `${indent}${rest}`;
  if (label.endsWith(':')) return `${indent}${label} ${rest}`;
  // A version note: its version, then the text under it.
  return `${indent}${label}${rest.trim() === '' ? '' : ` ${rest.trim()}`}:`;
}

/**
 * MyST directive fences and fenced divs (MYST_DIRECTIVE, COLON_FENCE), met
 * line by line outside code: which are open around prose, innermost last,
 * and the one whose lines show as nothing.
 */
class DirectiveFences {
  private readonly prose: string[] = [];
  private hidden: string | null = null;
  /** Just under a directive's fence, where its option lines are. */
  private options = false;

  /**
   * What `line` shows when it is such a fence, an option under one, or a
   * line of one shown as nothing ('' for nothing); null for any other line,
   * which the caller reads as usual.
   */
  read(line: string): string | null {
    if (this.hidden !== null) {
      if (closesFence(line, this.hidden)) this.hidden = null;
      return '';
    }
    const innermost = this.prose[this.prose.length - 1];
    if (innermost !== undefined && closesFence(line, innermost)) {
      this.prose.pop();
      return '';
    }
    if (this.options && DIRECTIVE_OPTION.test(line)) return '';
    this.options = false;
    const myst = MYST_DIRECTIVE.exec(line);
    if (myst) {
      const [, marks, name, argument] = myst as unknown as [string, string, string, string];
      if (MYST_HIDDEN.test(name)) {
        this.hidden = marks;
        return '';
      }
      // A backtick fence named otherwise may be code: R Markdown's ```{r}, a ```{code-block}.
      if (marks[0] !== ':' && !ownEntry(RST_LABELS, name) && name !== 'admonition') return null;
      this.prose.push(marks);
      this.options = true;
      return directiveShown('', name, argument);
    }
    const div = COLON_FENCE.exec(line);
    if (!div) return null;
    this.prose.push(div[1]!);
    const name = div[2] ?? div[3] ?? '';
    return ownEntry(RST_LABELS, name) ? directiveShown('', name, '') : '';
  }
}

/** Whether `line` is a bare fence that closes one opened with `marks`: the same character, at least as many. */
function closesFence(line: string, marks: string): boolean {
  const bare = /^\s{0,3}(`{3,}|~{3,}|:{3,})\s*$/.exec(line);
  return bare !== null && bare[1]![0] === marks[0] && bare[1]!.length >= marks.length;
}

/** Characters of whitespace a line starts with. */
function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Whether offset `at` of shown text (displayText's) falls inside a code span or block. */
export function insideCode(text: string, at: number): boolean {
  return text.lastIndexOf(CODE_OPEN, at) > text.lastIndexOf(CODE_CLOSE, at);
}

/** Lines a link's text may wrap over: a longer run is not a link. */
const MAX_LINK_LINES = 3;

/**
 * A link (or a role) whose text wraps onto the next line ("[Posix character"
 * / "classes](https://…)") becomes one line, so it reads as its text like
 * any other link; so does a code span that a paragraph's line break runs
 * through ("`npm" / "init <package-spec>` commands", as CommonMark allows):
 * each half had shown its backtick. Lines in fenced code are left as they are.
 */
function joinWrappedLinks(lines: readonly string[]): string[] {
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

/** Where inline code waits while the rest of its line is cleaned (a private-use character no text holds). */
const CODE_SLOT = '\uE004';
const CODE_SLOTS = /\uE004(\d+)\uE004/g;

/** Characters that can start inline markup: a line without any is shown as it is. */
const INLINE_MARKUP = /[*_~`[\]<>&{}\\=]/;

/** A code span on one line: its backtick run, its code, the same run closing it. */
const MARKDOWN_CODE_SPAN = /(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)/g;

/** Inline markup of one line outside code blocks. */
function inline(raw: string): string {
  if (!INLINE_MARKUP.test(raw)) return raw;
  const codes: string[] = [];
  const line = rstRolesAsText(raw);
  // Inline code first, so nothing inside it is touched; it comes back at the end. A backtick escaped
  // with a backslash (turndown writes a template literal's as \`) is a backtick, not a code span's start.
  let text = line.replace(MARKDOWN_CODE_SPAN, (_, _ticks: string, code: string) => {
    codes.push(code.trim());
    return `${CODE_SLOT}${codes.length - 1}${CODE_SLOT}`;
  });
  text = text
    .replace(/<!--.*?-->/g, ' ')
    .replace(LINKED_IMAGE, ' ')
    .replace(MARKDOWN_IMAGE, '$1')
    .replace(/\[\^[^\]]+\]/g, '');
  text = linksAsText(text)
    .replace(HTML_TAG, ' ')
    .replace(/\{\{.*?\}\}/g, ' ');
  text = unescapeMarkdown(withoutEmphasis(decodeEntities(text)));
  return text.replace(CODE_SLOTS, (_, n: string) => ` ${CODE_OPEN} ${codes[Number(n)]} ${CODE_CLOSE} `);
}

/** A line's text with its digits blanked: a running header differs from page to page only by its number. */
function furnitureKey(line: string): string {
  return line.trim().toLowerCase().replace(/\d+/g, '#');
}

/**
 * Short lines that occur more than once in one chunk: running headers and
 * footers of the pages a PDF chunk spans ("Annual report 2024 · 12").
 */
function repeatedShortLines(lines: readonly string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const key = furnitureKey(line);
    if (key.length < 4 || key.length > 80 || !/\p{L}/u.test(key)) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n > 1).map(([key]) => key));
}

/**
 * Segments of displayed text that may hold match and code markers (in any
 * state: a snippet can start inside a code span, so a closing marker with
 * no opening one means the text before it was code). Whitespace is kept
 * as one space; the padding around code markers is removed.
 */
export function toSegments(marked: string, options: { keepLines?: boolean } = {}): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const firstOpen = marked.indexOf(CODE_OPEN);
  const firstClose = marked.indexOf(CODE_CLOSE);
  let code = firstClose >= 0 && (firstOpen < 0 || firstClose < firstOpen);
  let match = false;
  for (const piece of marked.split(/([\uE000-\uE003])/)) {
    if (piece === MATCH_OPEN) match = true;
    else if (piece === MATCH_CLOSE) match = false;
    else if (piece === CODE_OPEN) code = true;
    else if (piece === CODE_CLOSE) code = false;
    else if (piece.length > 0) push(segments, piece, match, code);
  }
  // A window cut just inside a code span leaves it nothing but the ellipsis: that reads as prose ("See …").
  const joined: SnippetSegment[] = [];
  for (const s of segments) push(joined, s.text, s.match, s.code === true && s.text.trim() !== '…');
  return tidy(joined, options.keepLines ?? false);
}

function push(segments: SnippetSegment[], text: string, match: boolean, code: boolean): void {
  const last = segments[segments.length - 1];
  if (last && last.match === match && (last.code ?? false) === code) last.text += text;
  else segments.push(code ? { text, match, code } : { text, match });
}

/**
 * Code segments lose the padding spaces around their markers; runs of
 * whitespace become one space (with `keepLines`, line breaks stay, at most
 * one blank line in a row: the preview shows a passage's lines).
 */
function tidy(segments: SnippetSegment[], keepLines: boolean): SnippetSegment[] {
  const out: SnippetSegment[] = [];
  const squash = (text: string): string =>
    keepLines
      ? text
          .replace(/[^\S\n]+/g, ' ')
          .replace(/ ?\n ?/g, '\n')
          .replace(/\n{3,}/g, '\n\n')
      : text.replace(/\s+/g, ' ');
  segments.forEach((s, i) => {
    let text = s.code ? s.text : squash(s.text);
    if (s.code) {
      if (i === 0 || !segments[i - 1]!.code) text = text.replace(/^ /, '');
      if (i === segments.length - 1 || !segments[i + 1]!.code) text = text.replace(/ $/, '');
    } else {
      // The padding beside code is ours: none before closing punctuation ("`x`."), none after an opening one ("(`x`").
      if (segments[i - 1]?.code) text = text.replace(/^ (?=[.,;:!?)\]}'"\u2019])/, '');
      if (segments[i + 1]?.code) text = text.replace(/(?<=[([{'"\u2018]) $/, '');
    }
    if (text.length > 0) out.push({ ...s, text });
  });
  // Trim the whole snippet's ends.
  if (out.length > 0) {
    out[0]!.text = out[0]!.text.replace(/^\s+/, '');
    out[out.length - 1]!.text = out[out.length - 1]!.text.replace(/\s+$/, '');
  }
  return out.filter((s) => s.text.length > 0);
}
