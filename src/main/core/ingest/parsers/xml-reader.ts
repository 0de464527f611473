import { SaxesParser, type SaxesTagNS } from 'saxes';
import { malformedXml, ParseFailure, unreadableAs } from '../parse-failure';
import { ownEntry } from '../../../../shared/own-entry';

/**
 * Streams one XML part (OOXML, ODF, EPUB) through saxes, a maintained
 * non-validating parser, calling back for each element and text run.
 *
 * Safe for hostile input: saxes never reads a DTD, so there are no external
 * entities and no entity expansion (a "billion laughs" part is an error,
 * not a bomb); the part's size is bounded by the zip reader; nesting is
 * bounded here by `maxDepth`.
 *
 * Names are given with a canonical prefix chosen by namespace URI (`a:t`,
 * `text:p`, `dc:title`), so a file that binds its own prefixes reads the
 * same; an unknown namespace keeps the file's prefix.
 */
export interface XmlElement {
  /** `prefix:local`, with the canonical prefix of the element's namespace; `local` alone without one. */
  name: string;
  /** Attribute values by canonical `prefix:local` name (`local` alone when unprefixed). */
  attributes: Record<string, string>;
}

export interface XmlHandlers {
  open?(element: XmlElement): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** Namespace URIs of the parts Trove reads, and the prefix they are known by here. */
const PREFIXES: Record<string, string> = {
  'http://schemas.openxmlformats.org/drawingml/2006/main': 'a',
  'http://schemas.openxmlformats.org/presentationml/2006/main': 'p',
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': 'r',
  'http://schemas.openxmlformats.org/package/2006/relationships': 'rel',
  'http://schemas.openxmlformats.org/package/2006/metadata/core-properties': 'cp',
  'urn:oasis:names:tc:opendocument:xmlns:office:1.0': 'office',
  'urn:oasis:names:tc:opendocument:xmlns:text:1.0': 'text',
  'urn:oasis:names:tc:opendocument:xmlns:table:1.0': 'table',
  'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0': 'draw',
  'urn:oasis:names:tc:opendocument:xmlns:presentation:1.0': 'presentation',
  'urn:oasis:names:tc:opendocument:xmlns:style:1.0': 'style',
  'urn:oasis:names:tc:opendocument:xmlns:meta:1.0': 'meta',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://www.idpf.org/2007/opf': 'opf',
  'urn:oasis:names:tc:opendocument:xmlns:container': 'container',
  'http://www.daisy.org/z3986/2005/ncx/': 'ncx',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.idpf.org/2007/ops': 'epub',
};

/**
 * Reads `xml`, throwing ParseFailure `corrupt` (naming `what`, and `part`
 * when given) when it is not well-formed, and `exceeds_limits` when
 * elements nest deeper than `maxDepth`. `entities` are named values besides
 * XML's five, each replaced once where it is referred to (the caller keeps
 * them short and free of references: saxes does not expand them further).
 */
export function readXml(
  xml: string,
  what: string,
  maxDepth: number,
  handlers: XmlHandlers,
  part?: string,
  entities: Readonly<Record<string, string>> = {},
): void {
  const parser = new SaxesParser({ xmlns: true, position: false });
  Object.assign(parser.ENTITIES, entities);
  let depth = 0;
  let failure: unknown;
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (++depth > maxDepth) {
      throw new ParseFailure(
        'exceeds_limits',
        `This ${what} nests its parts more than ${maxDepth.toLocaleString('en')} levels deep; Trove stops there, so it was not read.`,
      );
    }
    handlers.open?.({ name: qualified(tag.uri, tag.prefix, tag.local), attributes: attributesOf(tag) });
  });
  // saxes sends closetag for self-closing tags too, so depth stays balanced.
  parser.on('closetag', (tag: SaxesTagNS) => {
    depth--;
    handlers.close?.(qualified(tag.uri, tag.prefix, tag.local));
  });
  if (handlers.text) {
    const onText = handlers.text;
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  parser.on('error', (error) => {
    failure ??= error;
  });
  try {
    parser.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  } catch (error) {
    failure ??= error;
  }
  if (failure instanceof ParseFailure) throw failure;
  if (failure) {
    throw unreadableAs(what, malformedXml(failure instanceof Error ? failure.message : String(failure), part), failure);
  }
}

function qualified(uri: string, prefix: string, local: string): string {
  const known = ownEntry(PREFIXES, uri);
  if (known) return `${known}:${local}`;
  return prefix ? `${prefix}:${local}` : local;
}

function attributesOf(tag: SaxesTagNS): Record<string, string> {
  const out: Record<string, string> = {};
  for (const attribute of Object.values(tag.attributes)) {
    // Unprefixed attributes are in no namespace, whatever the element's.
    out[attribute.prefix ? qualified(attribute.uri, attribute.prefix, attribute.local) : attribute.local] =
      attribute.value;
  }
  return out;
}

/** The text of every element named `name`, in document order (e.g. all `dc:title` of an OPF). */
export function textsOf(xml: string, what: string, maxDepth: number, name: string, part?: string): string[] {
  const found: string[] = [];
  let open = 0;
  let current = '';
  readXml(
    xml,
    what,
    maxDepth,
    {
      open: (element) => {
        if (element.name === name && open++ === 0) current = '';
      },
      close: (closed) => {
        if (closed === name && --open === 0) found.push(current.replace(/\s+/g, ' ').trim());
      },
      text: (text) => {
        if (open > 0) current += text;
      },
    },
    part,
  );
  return found.filter((text) => text !== '');
}
