import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../limits';
import type { ParsedDocument } from '../types';
import { MONOSPACED_FONTS } from './fenced-code';
import { MarkdownWriter } from './markdown-writer';
import { presentationTitle, slidesDocument, type Slide } from './slides';
import { ZipPackage } from './zip-package';
import type { XmlElement } from './xml-reader';

const WHAT = 'PowerPoint presentation';
/** Placeholders that repeat on every slide (slide number, date, footer) or show a picture of the slide (notes). */
const SKIPPED_PLACEHOLDERS = new Set(['sldNum', 'dt', 'ftr', 'hdr', 'sldImg']);
const TITLE_PLACEHOLDERS = new Set(['title', 'ctrTitle']);

/**
 * PPTX: slides in presentation order (`p:sldIdLst`), each a section headed
 * by its title placeholder, then its other text boxes and tables, then its
 * speaker notes. The slide's number is kept as a page number.
 */
export function parsePptx(
  bytes: Uint8Array,
  limits: Pick<ParseLimits, 'zip' | 'document'> = DEFAULT_PARSE_LIMITS,
): ParsedDocument {
  const pkg = ZipPackage.open(bytes, WHAT, limits);
  const presentation = 'ppt/presentation.xml';
  if (!pkg.has(presentation)) throw pkg.missing('slide list (ppt/presentation.xml)');
  const rels = pkg.relationships(presentation);
  const slideParts: string[] = [];
  pkg.xml(presentation, {
    open: ({ name, attributes }) => {
      const target = name === 'p:sldId' ? rels.get(attributes['r:id'] ?? '')?.target : undefined;
      if (target && pkg.has(target)) slideParts.push(target);
    },
  });
  const slides = slideParts.map((part): Slide => {
    const content = readShapes(pkg, part);
    const notesPart = [...pkg.relationships(part).values()].find((rel) => rel.type.endsWith('/notesSlide'))?.target;
    const notes = notesPart && pkg.has(notesPart) ? readShapes(pkg, notesPart) : undefined;
    return {
      title: content.title,
      write: (out) => content.write(out),
      notes: notes ? notes.texts.join('\n\n') : '',
    };
  });
  const parsed = slidesDocument(slides, WHAT, limits.document.maxTextChars);
  const title = presentationTitle(ooxmlTitle(pkg), slides);
  return title ? { ...parsed, title } : parsed;
}

/** `dc:title` from docProps/core.xml, the title a person set in the file's properties. */
export function ooxmlTitle(pkg: ZipPackage): string | undefined {
  return pkg.declaredTitle('docProps/core.xml');
}

/** A paragraph of a text box, and whether it is code (every run of it in a monospaced font). */
interface SlideLine {
  text: string;
  code: boolean;
}

/** A text box's paragraphs: runs of code lines as code blocks, the rest as paragraphs, in order. */
function writeLines(out: MarkdownWriter, lines: readonly SlideLine[]): void {
  for (let i = 0; i < lines.length;) {
    const code = (lines[i] as SlideLine).code;
    let end = i;
    while (end < lines.length && (lines[end] as SlideLine).code === code) end++;
    const text = lines
      .slice(i, end)
      .map((line) => line.text)
      .join('\n');
    if (code) out.code(text);
    else out.paragraph(text);
    i = end;
  }
}

interface ShapeText {
  title: string;
  /** Text boxes other than the title, one string per shape (paragraphs on their own lines). */
  texts: string[];
  write(out: MarkdownWriter): void;
}

/**
 * One pass over a slide (or notes) part: text runs (`a:t`) gathered into
 * paragraphs (`a:p`), paragraphs into shapes (`p:sp`), table cells into
 * Markdown tables, in the order they appear.
 */
function readShapes(pkg: ZipPackage, part: string): ShapeText {
  let title = '';
  const texts: string[] = [];
  const blocks: Array<(out: MarkdownWriter) => void> = [];
  let placeholder: string | undefined;
  let shapeParagraphs: SlideLine[] | undefined;
  let paragraph: string | undefined;
  let inText = false;
  // Whether the run being read is set in a monospaced font, and whether every run of the paragraph with text is.
  let monoRun = false;
  let monoParagraph = true;
  let table: string[][] | undefined;
  let cell: string[] | undefined;

  const open = ({ name, attributes }: XmlElement): void => {
    switch (name) {
      case 'p:sp':
        shapeParagraphs = [];
        placeholder = undefined;
        break;
      case 'p:ph':
        // A placeholder without a type is a body (content) placeholder.
        placeholder = attributes.type ?? 'body';
        break;
      case 'a:tbl':
        table = [];
        break;
      case 'a:tr':
        table?.push([]);
        break;
      case 'a:tc':
        cell = [];
        break;
      case 'a:p':
        paragraph = '';
        monoParagraph = true;
        break;
      case 'a:r':
        monoRun = false;
        break;
      case 'a:latin':
        // Inside a run's properties only: a paragraph's or list's defaults say nothing of the text.
        if (paragraph !== undefined) monoRun = MONOSPACED_FONTS.test(attributes.typeface?.trim() ?? '');
        break;
      case 'a:t':
        inText = true;
        break;
      case 'a:br':
        if (paragraph !== undefined) paragraph += '\n';
        break;
    }
  };
  const close = (name: string): void => {
    switch (name) {
      case 'a:t':
        inText = false;
        break;
      case 'a:r':
        monoRun = false;
        break;
      case 'a:p':
        if (paragraph !== undefined) {
          if (cell) cell.push(paragraph);
          else shapeParagraphs?.push({ text: paragraph, code: monoParagraph && paragraph.trim() !== '' });
        }
        paragraph = undefined;
        break;
      case 'a:tc':
        if (cell) table?.[table.length - 1]?.push(cell.join(' '));
        cell = undefined;
        break;
      case 'a:tbl': {
        const rows = table ?? [];
        if (rows.some((row) => row.some((text) => text.trim() !== ''))) blocks.push((out) => out.table(rows));
        table = undefined;
        break;
      }
      case 'p:sp': {
        const lines = shapeParagraphs ?? [];
        const text = lines
          .map((line) => line.text)
          .join('\n')
          .trim();
        if (placeholder && TITLE_PLACEHOLDERS.has(placeholder) && title === '') title = text.replace(/\s+/g, ' ');
        else if (text !== '' && !(placeholder && SKIPPED_PLACEHOLDERS.has(placeholder))) {
          texts.push(text);
          blocks.push((out) => writeLines(out, lines));
        }
        shapeParagraphs = undefined;
        break;
      }
    }
  };
  pkg.xml(part, {
    open,
    close,
    text: (text) => {
      if (!inText || paragraph === undefined) return;
      paragraph += text;
      if (!monoRun && text.trim() !== '') monoParagraph = false;
    },
  });
  return { title, texts, write: (out) => blocks.forEach((block) => block(out)) };
}
