import type { MarkdownWriter } from './markdown-writer';
import type { OdfStyles } from './odf-styles';
import type { XmlElement, XmlHandlers } from './xml-reader';

/**
 * The text model shared by every OpenDocument part (text documents, slides'
 * frames, notes): `text:h` headings with their outline level, `text:p`
 * paragraphs, `text:list-item` bullets, `table:table` tables, with the
 * inline elements that stand for characters (`text:s` spaces, `text:tab`,
 * `text:line-break`). Paragraphs nested inside others (a footnote, a text
 * box anchored in a paragraph) join their outer paragraph's text.
 *
 * Each finished block goes to an `OdfBlocks`: straight into Markdown
 * (`markdownBlocks`) or wherever a format needs it (an ODP slide's title or
 * notes).
 */
export interface OdfBlocks {
  heading(level: number, text: string): void;
  paragraph(text: string): void;
  /** A paragraph in a code style (odf-styles.ts): consecutive ones make one code block. */
  codeLine(text: string): void;
  listItem(text: string): void;
  table(rows: string[][]): void;
}

/** Blocks written straight into Markdown (ODT, and the text of slides). */
export function markdownBlocks(out: MarkdownWriter): OdfBlocks & { flush(): void } {
  let items: string[] = [];
  let code: string[] = [];
  const flush = (): void => {
    if (items.length > 0) out.list(items);
    if (code.length > 0) out.code(code.join('\n'));
    items = [];
    code = [];
  };
  return {
    heading: (level, text) => {
      flush();
      out.heading(level, text);
    },
    paragraph: (text) => {
      flush();
      out.paragraph(text);
    },
    codeLine: (text) => {
      if (items.length > 0) flush();
      code.push(text);
    },
    listItem: (text) => {
      if (code.length > 0) flush();
      items.push(text);
    },
    table: (rows) => {
      flush();
      out.table(rows);
    },
    flush,
  };
}

interface OpenParagraph {
  heading: number | null;
  text: string;
  code: boolean;
}

/**
 * Handlers that read ODF text into `blocks`. Text outside a paragraph
 * (whitespace between elements) is ignored. With `styles`, paragraphs in a
 * code style are code lines and spans in one are inline code.
 */
export function odfTextHandlers(blocks: OdfBlocks, styles?: OdfStyles): Required<XmlHandlers> {
  const paragraphs: OpenParagraph[] = [];
  // For each open span: where its text starts in its paragraph when it is inline code, else -1.
  const spans: number[] = [];
  let listDepth = 0;
  let table: string[][] | undefined;
  let cell: string[] | undefined;
  let skip = 0;

  const open = ({ name, attributes }: XmlElement): void => {
    if (skip > 0 || SKIPPED.has(name)) {
      skip++;
      return;
    }
    const current = paragraphs[paragraphs.length - 1];
    switch (name) {
      case 'text:h':
        paragraphs.push({ heading: Number(attributes['text:outline-level'] ?? 1) || 1, text: '', code: false });
        break;
      case 'text:p':
        paragraphs.push({
          heading: null,
          text: '',
          code: styles?.isCodeParagraph(attributes['text:style-name']) ?? false,
        });
        break;
      case 'text:span':
        spans.push(
          current && !current.code && styles?.isCodeSpan(attributes['text:style-name']) ? current.text.length : -1,
        );
        break;
      case 'text:s':
        if (current) current.text += ' '.repeat(Math.min(100, Number(attributes['text:c'] ?? 1) || 1));
        break;
      case 'text:tab':
        if (current) current.text += '\t';
        break;
      case 'text:line-break':
        if (current) current.text += '\n';
        break;
      case 'text:list':
        listDepth++;
        break;
      case 'table:table':
        table = [];
        break;
      case 'table:table-row':
        table?.push([]);
        break;
      case 'table:table-cell':
      case 'table:covered-table-cell':
        cell = [];
        break;
    }
  };

  const close = (name: string): void => {
    if (skip > 0) {
      skip--;
      return;
    }
    switch (name) {
      case 'text:h':
      case 'text:p': {
        const paragraph = paragraphs.pop();
        if (!paragraph) break;
        const outer = paragraphs[paragraphs.length - 1];
        if (outer) outer.text += ` ${paragraph.text}`;
        else if (cell) cell.push(paragraph.text);
        else if (paragraph.heading !== null) blocks.heading(paragraph.heading, paragraph.text);
        else if (listDepth > 0) blocks.listItem(paragraph.text);
        else if (paragraph.code) blocks.codeLine(paragraph.text);
        else blocks.paragraph(paragraph.text);
        break;
      }
      case 'text:span': {
        const start = spans.pop() ?? -1;
        const current = paragraphs[paragraphs.length - 1];
        const code = current && start >= 0 ? current.text.slice(start) : '';
        // Marked as Markdown code, unless it is blank or holds a backtick of its own.
        if (current && code.trim() !== '' && !code.includes('`')) {
          current.text = `${current.text.slice(0, start)}\`${code}\``;
        }
        break;
      }
      case 'text:list':
        listDepth--;
        break;
      case 'table:table-cell':
      case 'table:covered-table-cell':
        if (cell) table?.[table.length - 1]?.push(cell.join(' '));
        cell = undefined;
        break;
      case 'table:table':
        if (table?.some((row) => row.some((text) => text.trim() !== ''))) blocks.table(table);
        table = undefined;
        break;
    }
  };

  return {
    open,
    close,
    text: (text) => {
      const current = paragraphs[paragraphs.length - 1];
      if (skip === 0 && current) current.text += text;
    },
  };
}

/** Elements whose text is not part of the document's text: change-tracking deletions, footnote marks, annotations. */
const SKIPPED = new Set(['text:tracked-changes', 'text:note-citation', 'office:annotation', 'text:bookmark-ref']);
