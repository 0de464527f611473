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
import {
  FOOTNOTE_DEFINITION,
  HEADING,
  HEADING_TAIL,
  LIST,
  MARKDOWN_CODE_SPAN,
  REFERENCE_DEFINITION,
  RULE,
  SETEXT,
  TABLE_RULE,
} from './markdown-marks';
import { paragraphWidths, wrapsInto } from './paragraph-reflow';
import {
  admonitionLabel,
  DirectiveFences,
  literalBlockAt,
  MYST_TARGET,
  RST_HIDDEN_DIRECTIVE,
  RST_SIGNS,
  RST_TABLE_BORDER,
  RST_TARGET,
  rstDirectiveOptionAt,
  rstDirectiveShown,
} from './rst-shown';
import { CODE_CLOSE, CODE_OPEN } from './snippet-segments';
import { indentOf, nextNonBlank } from './text-lines';
import { joinWrappedLinks } from './wrapped-links';

/**
 * Chunk text as a person should read it in a result: Markdown and HTML
 * markup gone, code kept as code, page furniture dropped. Search still runs
 * on the stored text; only what is shown is cleaned.
 *
 * Code (fenced blocks and inline `code`) is kept verbatim, braces and all,
 * between the code markers of snippet-segments.ts. The line-level readers
 * this uses live beside it: Markdown's marks (markdown-marks.ts), Sphinx's
 * directives (rst-shown.ts), AsciiDoc's blocks (asciidoc-blocks.ts),
 * wrapped links (wrapped-links.ts) and paragraphs filled to a width
 * (paragraph-reflow.ts).
 */

/** AsciiDoc's preprocessor lines (`ifdef::git-pull[]`, `include::merge-options.txt[]`): shown as nothing. */
const ASCIIDOC_PREPROCESSOR = /^(?:ifn?def|ifeval|endif|include)::[^\s[]*\[[^\]\n]*\]\s*$/;
/** AsciiDoc's labelled-list term: `--force::`, `apply [--index]::` at column 0 (`:::` and `::::` nest). */
const ASCIIDOC_TERM = /^(\S(?:.*[^:\s])?)(?::{2,4})\s*$/;
/** A lone "+": AsciiDoc's list continuation, which joins the next block to a list item and shows as nothing. */
const LIST_CONTINUATION = /^\s*\+\s*$/;
/**
 * The elements of HTML, whose tags Markdown shows as nothing. Anything else
 * in angle brackets is text: the `<branchname>` and `<file>` of command
 * synopses in AsciiDoc, man pages and plain notes.
 */
const HTML_ELEMENTS =
  'a|abbr|address|article|aside|audio|b|big|blockquote|body|br|button|caption|center|cite|code|col|colgroup|dd|del|details|dfn|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|li|link|main|mark|meta|nav|noscript|ol|option|p|picture|pre|q|s|samp|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|textarea|tfoot|th|thead|time|title|tr|tt|u|ul|var|video|wbr';
const HTML_TAG = new RegExp(`</?(?:${HTML_ELEMENTS})(?=[\\s/>])(?:\\s[^<>]*)?/?>`, 'gi');
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
  const label = admonitionLabel(name) ?? `${name[0]!.toUpperCase()}${name.slice(1)}:`;
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
    if (rst && fence === null && rstDirectiveOptionAt(lines, i)) return;
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
/** Where inline code waits while the rest of its line is cleaned (a private-use character no text holds). */
const CODE_SLOT = '\uE004';
const CODE_SLOTS = /\uE004(\d+)\uE004/g;

/** Characters that can start inline markup: a line without any is shown as it is. */
const INLINE_MARKUP = /[*_~`[\]<>&{}\\=]/;

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
