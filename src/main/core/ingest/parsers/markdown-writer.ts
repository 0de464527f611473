import { ParseFailure } from '../parse-failure';
import type { PageStart, ParsedDocument } from '../types';
import { fencedCode } from './fenced-code';

/**
 * Builds the Markdown text of a document read part by part (slides, sheets,
 * chapters, ODF paragraphs), so its structure reaches the chunker as
 * headings, paragraphs and tables, and a slide's number as a page.
 *
 * Bounded: past `maxChars` characters it throws ParseFailure
 * `exceeds_limits` (the document is skipped whole, as a long PDF is, rather
 * than cut short without a word).
 */
export class MarkdownWriter {
  /**
   * The text so far, as parts joined at the end: reading the end of a long
   * concatenated string (endsWith) would flatten it each time, which made a
   * 200,000-row workbook take minutes.
   */
  private readonly parts: string[] = [];
  private size = 0;
  private readonly pages: PageStart[] = [];

  constructor(
    private readonly what: string,
    private readonly maxChars: number,
  ) {}

  get length(): number {
    return this.size;
  }

  /** Starts a numbered unit (a slide): chunks from here on carry `number` as their page. */
  startPage(number: number): void {
    this.separate();
    this.pages.push({ page: number, start: this.size });
  }

  /** A heading line; its text is flattened to one line. Empty titles are left out. */
  heading(level: number, title: string): void {
    const line = oneLine(title);
    if (line === '') return;
    this.block(`${'#'.repeat(Math.min(6, Math.max(1, level)))} ${line}`);
  }

  /**
   * A paragraph of text as written (line breaks kept). Lines that Markdown
   * would read as a heading, a rule or a table are escaped, so a slide's
   * "# of units" stays text.
   */
  paragraph(text: string): void {
    const lines = text
      .split('\n')
      .map((line) => escapeBlockStart(line.trimEnd()))
      .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
    const body = lines.join('\n').trim();
    if (body !== '') this.block(body);
  }

  /** Lines of code, fenced, verbatim. */
  code(text: string): void {
    const body = fencedCode(text.replace(/^\n+|\s+$/g, ''));
    if (body !== '') this.block(body);
  }

  /** Markdown already built by a converter (turndown for EPUB chapters), taken as is. */
  markdown(markdown: string): void {
    const body = markdown.trim();
    if (body !== '') this.block(body);
  }

  /** Bullet items, one per line. */
  list(items: string[]): void {
    const lines = items.map((item) => oneLine(item)).filter((item) => item !== '');
    if (lines.length > 0) this.block(lines.map((item) => `- ${item}`).join('\n'));
  }

  /** A table whose first row is the header; cells are flattened and `|` escaped. */
  table(rows: string[][]): void {
    const width = Math.max(0, ...rows.map((row) => row.length));
    if (width === 0) return;
    this.block(markdownTable(rows[0] ?? [], rows.slice(1), width));
  }

  result(format: ParsedDocument['format'] = 'markdown'): Pick<ParsedDocument, 'text' | 'format' | 'pages'> {
    const text = this.parts.join('');
    return this.pages.length > 0 ? { text, format, pages: this.pages } : { text, format };
  }

  private block(block: string): void {
    this.separate();
    this.parts.push(block);
    this.size += block.length;
    if (this.size > this.maxChars) {
      throw new ParseFailure(
        'exceeds_limits',
        `This ${this.what} holds more than ${this.maxChars.toLocaleString('en')} characters of text; Trove indexes up to that much from one document, so it was not indexed. Split it into parts to index it.`,
      );
    }
  }

  /** Blocks are separated by one blank line; every block ends without a newline, so two are always added. */
  private separate(): void {
    if (this.size === 0 || this.parts[this.parts.length - 1] === '\n\n') return;
    this.parts.push('\n\n');
    this.size += 2;
  }
}

/** One table of Markdown: the header, its delimiter row, then the rows, all padded to `width` cells. */
export function markdownTable(header: string[], rows: string[][], width: number): string {
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: width }, (_, i) => tableCell(cells[i] ?? '')).join(' | ')} |`;
  return [line(header), line(Array.from({ length: width }, () => '---')), ...rows.map((row) => line(row))].join('\n');
}

/** Cell text on one line, with `|` escaped so it cannot end the cell. */
export function tableCell(cell: string): string {
  return oneLine(cell).replace(/\|/g, '\\|');
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function escapeBlockStart(line: string): string {
  return /^\s{0,3}(#{1,6}(\s|$)|[-=]{2,}\s*$|\||>|```|~~~)/.test(line) ? `\\${line.trimStart()}` : line;
}
