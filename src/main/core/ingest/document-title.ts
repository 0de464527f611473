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

/** Markdown that may wrap a heading's words: emphasis, inline code, links, images, trailing #s. */
function plainHeading(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/(\*\*|__|\*|_|~~|`)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/\s+#+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `raw` as a title to show, or undefined when it is missing or junk. */
export function usableTitle(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  // Control characters (PDF producers leave NULs and BOMs in properties) become spaces.
  const title = plainHeading(raw.replace(/\p{Cc}|\ufeff/gu, ' '));
  if (title.length < 2 || title.length > MAX_TITLE_CHARS) return undefined;
  if (PLACEHOLDERS.test(title)) return undefined;
  const unprefixed = title.replace(PRINTER_PREFIX, '');
  if (unprefixed !== title && (unprefixed === '' || FILE_NAME.test(unprefixed))) return undefined;
  if (FILE_NAME.test(title)) return undefined;
  // Digits, punctuation and lone letters only ("17", "2024-03-01", "A-3"): a job number or a date stamp.
  if (!/\p{L}{2}/u.test(title)) return undefined;
  return unprefixed;
}

/**
 * The first heading of Markdown text, near the top: the first `# H1` when
 * there is one, else the first heading of any level when `anyLevel` (a Word
 * document whose author used Heading 2 for its title). Headings in fenced
 * code are not headings.
 */
export function firstMarkdownHeading(text: string, anyLevel = false): string | undefined {
  const head = text.slice(0, 4000).replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const h1 = /^#[ \t]+(.+)$/m.exec(head)?.[1];
  if (h1 !== undefined || !anyLevel) return h1?.trim();
  return /^#{2,6}[ \t]+(.+)$/m.exec(head)?.[1]?.trim();
}

/** A text line with the height of its largest glyphs, as the PDF parser reads a page. */
export interface SizedLine {
  text: string;
  height: number;
}

/**
 * The largest heading of a PDF's first page: the line(s) set in the largest
 * type, when that type is clearly larger than the page's body text (1.3x its
 * median height) and the words read like a title. Consecutive lines of the
 * same size are one title broken over lines.
 */
export function largestHeading(lines: readonly SizedLine[]): string | undefined {
  const withText = lines.filter((line) => line.text.trim() !== '' && line.height > 0);
  if (withText.length < 2) return undefined;
  const heights = withText.map((line) => line.height).sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)]!;
  const largest = heights[heights.length - 1]!;
  if (largest < median * 1.3) return undefined;
  const start = withText.findIndex((line) => line.height >= largest * 0.95);
  const parts: string[] = [];
  for (let i = start; i < withText.length && withText[i]!.height >= largest * 0.95 && parts.length < 3; i++) {
    parts.push(withText[i]!.text.trim());
  }
  return usableTitle(parts.join(' '));
}
