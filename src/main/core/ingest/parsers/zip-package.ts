import { posix } from 'node:path';
import { BoundedZip } from '../bounded-zip';
import { closeCutXml } from '../cut-xml';
import type { DocumentLimits, ZipLimits } from '../limits';
import { ParseFailure, unreadableAs } from '../parse-failure';
import { readXml, textsOf, type XmlHandlers } from './xml-reader';

/** The parts these formats write as XML (OOXML, ODF, EPUB's package, navigation and XHTML chapters). */
const XML_PART = /\.(?:xml|rels|xhtml|html?|opf|ncx)$/i;

/**
 * A zip-based document (OOXML, ODF, EPUB) opened through BoundedZip: its
 * parts are unzipped only when read and within the zip limits, and its XML
 * parts are parsed within the nesting limit. `what` names the format in
 * every message ("PowerPoint presentation").
 */
export class ZipPackage {
  private readonly decoder = new TextDecoder('utf-8');

  private constructor(
    private readonly zip: BoundedZip,
    readonly what: string,
    private readonly limits: DocumentLimits,
  ) {}

  static open(bytes: Uint8Array, what: string, limits: { zip: ZipLimits; document: DocumentLimits }): ZipPackage {
    return new ZipPackage(BoundedZip.open(bytes, what, limits.zip), what, limits.document);
  }

  has(name: string): boolean {
    return this.zip.has(name);
  }

  names(): string[] {
    return this.zip.names();
  }

  /**
   * A part's bytes, unzipped within the limits. The XML part a cut went
   * through (a file cut short) is closed where it stops (cut-xml.ts), so
   * it reads up to there.
   */
  read(name: string): Buffer {
    const bytes = this.zip.read(name);
    if (!this.zip.isCut(name) || !XML_PART.test(name)) return bytes;
    return Buffer.from(closeCutXml(this.decoder.decode(bytes)), 'utf8');
  }

  /** A part as UTF-8 text (every XML part these formats define is UTF-8). */
  text(name: string): string {
    return this.decoder.decode(this.read(name));
  }

  /** Streams an XML part through `handlers` (see xml-reader.ts). */
  xml(name: string, handlers: XmlHandlers): void {
    readXml(this.text(name), this.what, this.limits.maxXmlDepth, handlers, name);
  }

  /**
   * The title set in a properties part (`docProps/core.xml`, ODF's
   * `meta.xml`), if it has one and can be read (see `optionalPart`).
   */
  declaredTitle(part: string): string | undefined {
    return this.has(part) ? optionalPart(() => this.texts(part, 'dc:title')[0]) : undefined;
  }

  /** The text of every `name` element of an XML part (see textsOf). */
  texts(part: string, name: string): string[] {
    return textsOf(this.text(part), this.what, this.limits.maxXmlDepth, name, part);
  }

  /**
   * An OOXML part's relationships (`<dir>/_rels/<file>.rels`): target part
   * names by relationship id, resolved against the part's folder. Links to
   * outside the package are left out. Empty when the part has none.
   */
  relationships(part: string): Map<string, { target: string; type: string }> {
    const relsName = posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
    const found = new Map<string, { target: string; type: string }>();
    if (!this.has(relsName)) return found;
    this.xml(relsName, {
      open: ({ name, attributes }) => {
        if (name !== 'rel:Relationship' || attributes.TargetMode === 'External') return;
        const { Id: id, Target: target, Type: type = '' } = attributes;
        if (id && target) found.set(id, { target: resolvePart(part, target), type });
      },
    });
    return found;
  }

  /** A part the format requires is missing: the file is not what its name says, or is damaged. */
  missing(name: string): ParseFailure {
    return unreadableAs(this.what, `it has no ${name}.`);
  }
}

/**
 * Reads a part the document can do without, such as its properties: when
 * that part is damaged (it cannot be unzipped, or its XML is malformed) the
 * document is read without it, losing a title rather than its text. A part
 * over a limit still fails the file, as a bomb should.
 */
export function optionalPart<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ParseFailure && error.reason === 'corrupt') return undefined;
    throw error;
  }
}

/** A reference from one part to another (`../slides/slide1.xml`, `/word/x.xml`, `ch%201.xhtml`) as a part name. */
export function resolvePart(fromPart: string, reference: string): string {
  const [withoutFragment = ''] = reference.split('#');
  let decoded = withoutFragment;
  try {
    decoded = decodeURIComponent(withoutFragment);
  } catch {
    // A stray % is taken literally.
  }
  if (decoded.startsWith('/')) return posix.normalize(decoded.slice(1));
  return posix.normalize(posix.join(posix.dirname(fromPart), decoded));
}
