import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../limits';
import type { ParsedDocument } from '../types';
import { MarkdownWriter } from './markdown-writer';
import { OdfStyles } from './odf-styles';
import { markdownBlocks, odfTextHandlers, type OdfBlocks } from './odf-text';
import { SheetWriter } from './sheets';
import { firstMarkdownHeading, usableTitle } from '../document-title';
import { presentationTitle, slidesDocument, type Slide } from './slides';
import type { XmlHandlers } from './xml-reader';
import { ZipPackage } from './zip-package';

/**
 * OpenDocument text (ODT), presentations (ODP) and spreadsheets (ODS): all
 * three keep their content in `content.xml` and their title in `meta.xml`,
 * read through the bounded zip reader.
 */
type OdfLimits = Pick<ParseLimits, 'zip' | 'document' | 'sheet'>;

/** ODT: headings (by outline level), paragraphs, lists and tables, in order. */
export function parseOdt(bytes: Uint8Array, limits: OdfLimits = DEFAULT_PARSE_LIMITS): ParsedDocument {
  const what = 'OpenDocument text';
  const pkg = openOdf(bytes, what, limits);
  const out = new MarkdownWriter(what, limits.document.maxTextChars);
  const blocks = markdownBlocks(out);
  pkg.xml(
    'content.xml',
    withStyles(pkg, (styles) => odfTextHandlers(blocks, styles)),
  );
  blocks.flush();
  const parsed = out.result();
  // The title set in the document's properties, unless it is junk; else the first heading, as for Word.
  return withTitle(parsed, usableTitle(odfTitle(pkg)) ?? firstMarkdownHeading(parsed.text, true));
}

/** ODP: one section per `draw:page`, headed by its title frame, with its speaker notes; slide numbers kept as pages. */
export function parseOdp(bytes: Uint8Array, limits: OdfLimits = DEFAULT_PARSE_LIMITS): ParsedDocument {
  const what = 'OpenDocument presentation';
  const pkg = openOdf(bytes, what, limits);
  const slides: Array<Slide & { blocks: Array<(b: OdfBlocks) => void>; notesText: string[] }> = [];
  /** Which part of the current page text belongs to: its title, its notes, its body, or nowhere (page number, footer). */
  const modes: Array<'title' | 'notes' | 'body' | 'skip'> = [];
  const mode = (): string => modes[modes.length - 1] ?? 'body';
  const page = (): (typeof slides)[number] | undefined => slides[slides.length - 1];
  const route = (op: (b: OdfBlocks) => void, text: string): void => {
    const slide = page();
    if (!slide) return;
    if (mode() === 'title') slide.title = `${slide.title} ${text}`.trim();
    else if (mode() === 'notes') slide.notesText.push(text);
    else if (mode() === 'body') slide.blocks.push(op);
  };
  const text = odfTextHandlers({
    heading: (level, t) => route((b) => b.heading(level + 1, t), t),
    paragraph: (t) => route((b) => b.paragraph(t), t),
    codeLine: (t) => route((b) => b.codeLine(t), t),
    listItem: (t) => route((b) => b.listItem(t), t),
    table: (rows) => route((b) => b.table(rows), rows.map((row) => row.join(' ')).join('\n')),
  });
  pkg.xml('content.xml', {
    open: (element) => {
      const { name, attributes } = element;
      if (name === 'draw:page') {
        const blocks: Array<(b: OdfBlocks) => void> = [];
        const notesText: string[] = [];
        slides.push({
          title: '',
          blocks,
          notesText,
          write: (out) => {
            const b = markdownBlocks(out);
            blocks.forEach((op) => op(b));
            b.flush();
          },
          get notes() {
            return notesText.join('\n\n');
          },
        });
      } else if (name === 'presentation:notes') {
        modes.push('notes');
      } else if (name === 'draw:frame' || name === 'draw:custom-shape') {
        const kind = attributes['presentation:class'];
        modes.push(
          mode() === 'notes'
            ? 'notes'
            : kind === 'title'
              ? 'title'
              : kind && SKIPPED_CLASSES.has(kind)
                ? 'skip'
                : 'body',
        );
      }
      text.open(element);
    },
    close: (name) => {
      if (name === 'presentation:notes' || name === 'draw:frame' || name === 'draw:custom-shape') modes.pop();
      text.close(name);
    },
    text: text.text,
  });
  const parsed = slidesDocument(slides, what, limits.document.maxTextChars);
  return withTitle(parsed, presentationTitle(odfTitle(pkg), slides));
}

/** ODS: one section per `table:table`, its rows with repeats expanded (within the sheet limits); displayed values, not formulas. */
export function parseOds(
  bytes: Uint8Array,
  limits: OdfLimits = DEFAULT_PARSE_LIMITS,
  onProgress?: () => void,
): ParsedDocument {
  const what = 'OpenDocument spreadsheet';
  const pkg = openOdf(bytes, what, limits);
  const out = new MarkdownWriter(what, limits.document.maxTextChars);
  const sheets = new SheetWriter(out, limits.sheet, what, onProgress);
  const maxColumns = limits.sheet.maxColumns;
  let row: Array<string | undefined> | undefined;
  let rowRepeat = 1;
  let cellRepeat = 1;
  let cellText: string[] | undefined;
  let paragraph: string | undefined;
  let depth = 0;
  pkg.xml('content.xml', {
    open: ({ name, attributes }) => {
      depth++;
      switch (name) {
        case 'table:table':
          sheets.startSheet(attributes['table:name'] ?? '');
          break;
        case 'table:table-row':
          row = [];
          rowRepeat = repeat(attributes['table:number-rows-repeated']);
          break;
        case 'table:table-cell':
        case 'table:covered-table-cell':
          cellText = [];
          cellRepeat = repeat(attributes['table:number-columns-repeated']);
          break;
        case 'text:p':
          paragraph = '';
          break;
        case 'text:s':
          if (paragraph !== undefined) paragraph += ' ';
          break;
        case 'text:line-break':
          if (paragraph !== undefined) paragraph += ' ';
          break;
      }
    },
    close: (name) => {
      depth--;
      switch (name) {
        case 'text:p':
          if (paragraph !== undefined) cellText?.push(paragraph);
          paragraph = undefined;
          break;
        case 'table:table-cell':
        case 'table:covered-table-cell': {
          const value = cellText?.join(' ') ?? '';
          // Repeats are capped at the column limit, so an empty run across 16,384 columns costs nothing.
          const copies = Math.min(cellRepeat, maxColumns - (row?.length ?? 0));
          for (let i = 0; i < copies; i++) row?.push(value);
          cellText = undefined;
          break;
        }
        case 'table:table-row':
          // A repeated empty row (how ODS pads a sheet to its last row) is dropped at once.
          if (row) sheets.row(row, rowRepeat);
          row = undefined;
          break;
        case 'table:table':
          sheets.endSheet();
          break;
      }
    },
    text: (text) => {
      if (paragraph !== undefined && depth > 0) paragraph += text;
    },
  });
  return withTitle(sheets.result(), odfTitle(pkg));
}

/** Presentation frames that repeat on every page rather than say something. */
const SKIPPED_CLASSES = new Set(['page-number', 'date-time', 'footer', 'header', 'page']);

/**
 * Text handlers for content.xml that know the document's code styles: the
 * named ones from styles.xml, and the automatic ones content.xml defines
 * before its body (read by the same pass).
 */
function withStyles(pkg: ZipPackage, textHandlers: (styles: OdfStyles) => Required<XmlHandlers>): XmlHandlers {
  const styles = OdfStyles.of(pkg);
  const text = textHandlers(styles);
  const definitions = styles.handlers();
  return {
    open: (element) => {
      definitions.open(element);
      text.open(element);
    },
    close: (name) => {
      definitions.close(name);
      text.close(name);
    },
    text: text.text,
  };
}

function openOdf(bytes: Uint8Array, what: string, limits: OdfLimits): ZipPackage {
  const pkg = ZipPackage.open(bytes, what, limits);
  if (!pkg.has('content.xml')) throw pkg.missing('content (content.xml)');
  return pkg;
}

/** `dc:title` from meta.xml, the title set in the document's properties. */
function odfTitle(pkg: ZipPackage): string | undefined {
  return pkg.declaredTitle('meta.xml');
}

function withTitle(parsed: ParsedDocument, title: string | undefined): ParsedDocument {
  return title ? { ...parsed, title } : parsed;
}

function repeat(value: string | undefined): number {
  const count = Number(value ?? 1);
  return Number.isInteger(count) && count > 0 ? count : 1;
}
