import { DEFAULT_PARSE_LIMITS, type DocumentLimits } from '../limits';
import { ParseFailure } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { normaliseText } from './text';
import { readXml, type XmlElement } from './xml-reader';

/**
 * SVG drawings (diagrams, charts, maps, slides exported as SVG) read as the
 * words they show: each `<text>` element as a line (an Inkscape `<tspan>`
 * placed on a line of its own as a line of its own), the text of HTML laid in
 * with `<foreignObject>` (what draw.io writes its labels as), and the
 * drawing's `<desc>` descriptions. The drawing's own `<title>`, or the Dublin
 * Core title Inkscape keeps in its metadata, is its title. The `<title>` of a
 * group or shape is not read: Graphviz names every node and edge that way
 * ("table0:c->table1:pointee"), ids a person never sees.
 *
 * Shapes, styles, scripts and metadata are not text. In a `<switch>` only
 * the first child is read: draw.io follows each HTML label with a plain
 * `<text>` copy for viewers that cannot show HTML, which would say every
 * label twice. A drawing with no text at all (an icon) is skipped as such.
 *
 * Parsed by saxes like every XML Trove reads (xml-reader.ts: no DTD, no
 * entity expansion beyond what is declared below, nesting bounded).
 * Illustrator declares namespace names as entities in the DOCTYPE
 * (`<!ENTITY ns_svg "http://www.w3.org/2000/svg">`) and uses them in
 * attributes, so declarations of short literal values are honoured
 * (`declaredEntities`); nothing else in a DOCTYPE is.
 */
export function parseSvg(text: string, limits: DocumentLimits = DEFAULT_PARSE_LIMITS.document): ParsedDocument {
  const reader = new SvgText(limits.maxTextChars);
  readXml(
    normaliseText(text),
    'SVG drawing',
    limits.maxXmlDepth,
    {
      open: (element) => reader.open(element),
      close: (name) => reader.close(name),
      text: (piece) => reader.text(piece),
    },
    undefined,
    declaredEntities(text),
  );
  const { title, body } = reader.result();
  if (body === '' && !title) {
    throw new ParseFailure(
      'empty',
      'This SVG drawing holds no text (an icon or a picture made only of shapes), so there is nothing to index.',
    );
  }
  // A title alone (an icon named "Close") is still something a person may look for.
  const shown = body === '' ? (title ?? '') : body;
  return title ? { text: shown, format: 'plain', title } : { text: shown, format: 'plain' };
}

/** Elements whose content is never shown as text. */
const NOT_TEXT = new Set([
  'style',
  'script',
  'metadata',
  'defs',
  'clipPath',
  'mask',
  'pattern',
  'marker',
  'symbol',
  'title',
]);
/** Elements of HTML inside a `<foreignObject>` that begin a line of their own. */
const HTML_BLOCKS = new Set(['div', 'p', 'br', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol']);

/** Collects a drawing's text while saxes reads it. */
class SvgText {
  private readonly lines: string[] = [];
  private line = '';
  private chars = 0;
  private title: string | undefined;
  private dcTitle: string | undefined;
  /** Open elements, outermost first: local names. */
  private readonly openNames: string[] = [];
  /** How deep the innermost element that hides its content is, or -1. */
  private hiddenAt = -1;
  /** For each open `<switch>`, by depth: whether its first child was read already. */
  private readonly switches = new Map<number, boolean>();
  /** Collecting the root's `<title>` or Dublin Core's: the text so far. */
  private titleText: string | null = null;

  constructor(private readonly maxChars: number) {}

  open(element: XmlElement): void {
    const name = localName(element.name);
    const depth = this.openNames.length;
    const parentSwitch = this.switches.get(depth - 1);
    if (parentSwitch !== undefined) {
      // Only a <switch>'s first child is rendered (for the viewers Trove's readers stand for).
      if (parentSwitch && this.hiddenAt < 0) this.hiddenAt = depth;
      this.switches.set(depth - 1, true);
    }
    this.openNames.push(name);
    if (name === 'switch') this.switches.set(depth, false);
    // Inkscape keeps the drawing's title in its metadata, which is otherwise not read; an author's or
    // a publisher's name (a cc:Agent's dc:title) is not the drawing's.
    if (element.name === 'dc:title' && this.dcTitle === undefined && !this.openNames.includes('Agent'))
      this.titleText ??= '';
    if (this.hiddenAt >= 0) return;
    if (name === 'title' && depth === 1) this.titleText = '';
    else if (NOT_TEXT.has(name)) this.hiddenAt = depth;
    else if (name === 'text' || name === 'desc' || HTML_BLOCKS.has(name)) this.endLine();
    else if (name === 'tspan' && ('y' in element.attributes || 'dy' in element.attributes)) this.endLine();
  }

  close(qualifiedName: string): void {
    const depth = this.openNames.length - 1;
    const name = this.openNames.pop() ?? localName(qualifiedName);
    this.switches.delete(depth);
    if (this.hiddenAt === depth) this.hiddenAt = -1;
    if (this.titleText !== null && (name === 'title' || qualifiedName === 'dc:title')) {
      const found = this.titleText.replace(/\s+/g, ' ').trim() || undefined;
      if (depth === 1 && name === 'title') this.title ??= found;
      else this.dcTitle ??= found;
      this.titleText = null;
      return;
    }
    if (this.hiddenAt >= 0) return;
    if (name === 'text' || name === 'desc' || HTML_BLOCKS.has(name)) this.endLine();
  }

  text(text: string): void {
    if (this.titleText !== null) {
      this.titleText += text;
      return;
    }
    if (this.hiddenAt >= 0 || !this.inShownText()) return;
    this.line += text;
    this.chars += text.length;
    if (this.chars > this.maxChars) {
      throw new ParseFailure(
        'exceeds_limits',
        `This SVG drawing holds more than ${this.maxChars.toLocaleString('en')} characters of text; Trove stops there, so it was not read.`,
      );
    }
  }

  result(): { title: string | undefined; body: string } {
    this.endLine();
    return { title: this.title ?? this.dcTitle, body: this.lines.join('\n') };
  }

  /** Whether text here is read: inside a `<text>`, a `<desc>`, or HTML in a `<foreignObject>`. */
  private inShownText(): boolean {
    return this.openNames.some((name) => name === 'text' || name === 'desc' || name === 'foreignObject');
  }

  private endLine(): void {
    const line = this.line.replace(/\s+/g, ' ').trim();
    if (line !== '') this.lines.push(line);
    this.line = '';
  }
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

/** Longest entity value honoured, and most entities: namespace names and short strings, never a bomb. */
const MAX_ENTITY_CHARS = 256;
const MAX_ENTITIES = 64;

/**
 * The entities a DOCTYPE's internal subset declares as short literal values
 * (`<!ENTITY ns_svg "http://www.w3.org/2000/svg">`). A value that refers to
 * other entities or holds markup is left out, so nothing expands twice.
 */
export function declaredEntities(text: string): Record<string, string> {
  const head = text.slice(0, 64 * 1024);
  const subset = /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/i.exec(head)?.[1];
  const entities: Record<string, string> = {};
  if (!subset) return entities;
  let count = 0;
  for (const [, name, double, single] of subset.matchAll(
    /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g,
  )) {
    const literal = double ?? single ?? '';
    if (!name || literal.length > MAX_ENTITY_CHARS || /[&<%]/.test(literal)) continue;
    entities[name] = literal;
    if (++count >= MAX_ENTITIES) break;
  }
  return entities;
}
