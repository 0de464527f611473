import { withoutFrontMatter } from './front-matter';
import { headingText, headingWords } from './heading-text';
import { headsNewestRelease } from './release-headings';

/**
 * The title a document gives itself, cleaned for display, or nothing when
 * what it declares is not a title a person would recognise. Producers of
 * office files and PDFs fill the title property with junk more often than
 * not: "Untitled", "Microsoft Word - report.doc", the file name, a job
 * number. A junk title shown instead of the file name is worse than the
 * file name, so only a plausible one is kept.
 */

/** Longest title kept; a longer "title" is a paragraph that lost its line breaks. */
const MAX_TITLE_CHARS = 200;

/** Placeholders that office suites and PDF printers write when nobody set a title. */
const PLACEHOLDERS =
  /^(untitled|untitled document|new document|document|document\d*|title|no title|presentation\d*|powerpoint presentation|book\d*|slide \d+|page \d+|noname|unknown|none|null|undefined|default|pdf|word|docx?)$/i;

/** "Microsoft Word - report.doc", "Microsoft PowerPoint - deck.pptx": a printer's prefix before the file name. */
const PRINTER_PREFIX = /^(microsoft\s+(word|excel|powerpoint|office\s+\w+)|word|excel|powerpoint)\s*-\s*/i;

/** A file name or path: ends in a document's extension, or is a path ("C:\\", "/home/", "~/"). */
const FILE_NAME =
  /\.(pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|txt|md|markdown|html?|csv|tsv|json|xml|epub|eml|png|jpe?g|tiff?|gif|ps|indd|pages|key|numbers|tex|dvi|qxd|wpd)$|^[a-z]:\\|^~?\/|\\/i;

/**
 * `raw` as a title to show, or undefined when it is missing or junk.
 * `written`: the author typed it into the text (a Markdown heading or front
 * matter, an Org `#+TITLE`), where a file's name is meant ("# package.json"
 * over the page documenting that file) rather than left behind by a tool.
 */
export function usableTitle(raw: string | undefined | null, written = false): string | undefined {
  if (typeof raw !== 'string') return undefined;
  // Control characters (PDF producers leave NULs and BOMs in properties) become spaces.
  const title = headingText(raw.replace(/\p{Cc}|\ufeff/gu, ' '));
  if (title.length < 2 || title.length > MAX_TITLE_CHARS) return undefined;
  if (PLACEHOLDERS.test(title)) return undefined;
  const unprefixed = title.replace(PRINTER_PREFIX, '');
  if (unprefixed !== title && (unprefixed === '' || FILE_NAME.test(unprefixed))) return undefined;
  if (!written && FILE_NAME.test(title)) return undefined;
  // Digits, punctuation and lone letters only ("17", "2024-03-01", "A-3"): a job number or a date stamp.
  if (!/\p{L}{2}/u.test(title)) return undefined;
  return unprefixed;
}

/** How far into a document its title heading is looked for. */
const TITLE_SEARCH_CHARS = 4000;

/**
 * The first heading of Markdown text, near the top, as written in any of
 * Markdown's ways: `# Title`, a line underlined with `===`, or the
 * `<h1 align="center">` READMEs open with. The first level-1 heading when
 * there is one, else the first heading of any level when it opens the
 * document (`### esutils` over its badges) or when `anyLevel` (a Word
 * document whose author used Heading 2 for its title). Headings in fenced
 * code or front matter are not headings; a heading with no words (only a
 * badge) is passed over. A changelog's newest release is no title
 * (release-headings.ts).
 */
export function firstMarkdownHeading(text: string, anyLevel = false): string | undefined {
  const head = withoutFrontMatter(text)
    .slice(0, TITLE_SEARCH_CHARS)
    .replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
  const headings = markdownHeadings(head).filter((h) => headingText(h.raw) !== '');
  const first = headings.find((h) => h.level === 1) ?? headings[0];
  if (!first) return undefined;
  // A lower heading is the title when it opens the document (after badges and logos at most).
  const opens = headingWords(head.slice(0, first.at)) === '';
  if (!(first.level === 1 || anyLevel || opens)) return undefined;
  const later = headings.filter((h) => h.level === first.level && h.at > first.at).map((h) => headingText(h.raw));
  return headsNewestRelease(headingText(first.raw), later) ? undefined : headingText(first.raw);
}

interface RawHeading {
  at: number;
  level: number;
  raw: string;
}

const ATX = /^ {0,3}(#{1,6})[ \t]+(.+)$/gm;
/** A paragraph's lines (none of them blank or a block marker) underlined with `=` (level 1) or `-` (level 2). */
const SETEXT = /(?:^|\n\n)((?:[ \t]{0,3}[^\s#>*+\-|<`~][^\n]*\n)+) {0,3}(=+|-+)[ \t]*$/gm;
const HTML_HEADING = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi;

/** Every heading of `text` in the three notations, in the order they stand. */
function markdownHeadings(text: string): RawHeading[] {
  const found: RawHeading[] = [];
  for (const m of text.matchAll(ATX)) found.push({ at: m.index!, level: m[1]!.length, raw: m[2]! });
  for (const m of text.matchAll(SETEXT)) {
    found.push({ at: m.index!, level: m[2]!.startsWith('=') ? 1 : 2, raw: m[1]!.replace(/\n/g, ' ') });
  }
  for (const m of text.matchAll(HTML_HEADING)) found.push({ at: m.index!, level: Number(m[1]), raw: m[2]! });
  return found.sort((a, b) => a.at - b.at);
}

/** A text line with the height of its largest glyphs, as the PDF parser reads a page. */
export interface SizedLine {
  text: string;
  height: number;
}

/**
 * The largest heading of a PDF's first page: the line(s) set in the largest
 * type, when that type is clearly larger than the body text (1.3x) and the
 * words read like a title. Consecutive lines of the same size are one title
 * broken over lines. The body text's height is the document's (`bodyHeight`,
 * from all its pages) when known, else the page's median: a cover page of
 * title, subtitle and author has no body text of its own, and against its
 * median the title (bzip2's manual: "bzip2 and libbzip2, version 1.0.8")
 * stood out from nothing.
 */
export function largestHeading(lines: readonly SizedLine[], bodyHeight?: number): string | undefined {
  const withText = lines.filter((line) => line.text.trim() !== '' && line.height > 0);
  if (withText.length < (bodyHeight === undefined ? 2 : 1)) return undefined;
  const heights = withText.map((line) => line.height).sort((a, b) => a - b);
  const body = bodyHeight ?? heights[Math.floor(heights.length / 2)]!;
  const largest = heights[heights.length - 1]!;
  if (largest < body * 1.3) return undefined;
  const start = withText.findIndex((line) => line.height >= largest * 0.95);
  const parts: string[] = [];
  for (let i = start; i < withText.length && withText[i]!.height >= largest * 0.95 && parts.length < 3; i++) {
    parts.push(withText[i]!.text.trim());
  }
  return usableTitle(parts.join(' '));
}
