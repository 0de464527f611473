import { inflateSync } from 'node:zlib';
import { closingIndex } from '../balanced';
import { inflateBounded, leadingFlateFilters, streamEnd } from './pdf-streams';

/**
 * Rebuilds the cross-reference of a PDF whose own is lost, so pdfjs can read
 * the pages the file still holds. A PDF names where each object lies in a
 * table at its end; a file cut short (an interrupted download or copy) has
 * lost that table, and pdfjs then opens only files whose objects all lie
 * uncompressed and whose trailer survived. Most producers today (pdfTeX,
 * Word, browsers' "Save as PDF") pack objects into compressed object
 * streams, so a cut file fails outright even when most pages are intact.
 *
 * The rebuild scans the bytes for `N G obj` headers, unpacks every object
 * stream it can (a stream cut short gives the objects before the cut), and
 * appends a new cross-reference stream listing them all, after the original
 * bytes, which are left as they are. When the page tree is incomplete (cut
 * off with the end of the file), a new one lists the pages found: those the
 * old tree still reaches, in its order, then any others by object number,
 * which is the order producers write them in.
 *
 * Returns undefined when there is nothing to rebuild from: no page object,
 * an encrypted file (its key lived in the lost trailer), more objects than
 * a cross-reference can sensibly list, or a file past 4 GB.
 */
export function rebuildCrossReference(bytes: Uint8Array, maxStreamBytes: number): RebuiltPdf | undefined {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (pdf.length > MAX_OFFSET) return undefined; // the table's four-byte offsets reach 4 GB
  const text = pdf.toString('latin1');
  if (/\/Encrypt\s*\d+\s+\d+\s+R|\/Encrypt\s*<</.test(text)) return undefined;
  const objects = findObjects(pdf, text, maxStreamBytes);
  const tree = pageTree(objects);
  if (tree.pages.length === 0) return undefined;
  // New objects take numbers no surviving object uses or refers to: a page may point at a content stream the cut took.
  let next = highestNumber(objects) + 1;
  if (next > MAX_OBJECTS) return undefined;
  const appended: string[] = [];
  let offset = pdf.length + 1; // after the newline that separates the old bytes from the new
  const added = new Map<number, number>();
  const addObject = (body: string, number = next++): number => {
    const written = `${number} 0 obj\n${body}\nendobj\n`;
    added.set(number, offset);
    appended.push(written);
    offset += written.length;
    return number;
  };
  // Objects of an object stream cut short are written out again, uncompressed: pdfjs would refuse the whole stream.
  for (const [number, located] of objects) if ('text' in located.where) addObject(located.where.text, number);
  let root = tree.catalog;
  if (!tree.complete || root === undefined) {
    const kids = tree.pages.map((page) => `${page} ${generationOf(objects.get(page))} R`).join(' ');
    const pagesRoot = addObject(`<< /Type /Pages /Kids [${kids}] /Count ${tree.pages.length} >>`);
    root = addObject(`<< /Type /Catalog /Pages ${pagesRoot} 0 R >>`);
  }
  const xrefNumber = next++;
  const xrefOffset = offset;
  added.set(xrefNumber, xrefOffset);
  const table = crossReferenceStream(objects, added, next);
  const head = `${xrefNumber} 0 obj\n<< /Type /XRef /Size ${next} /W [1 4 2] /Root ${root} ${generationOf(objects.get(root))} R /Length ${table.length} >>\nstream\n`;
  const tail = `\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`;
  const rebuilt = Buffer.concat([
    pdf,
    Buffer.from(`\n${appended.join('')}${head}`, 'latin1'),
    table,
    Buffer.from(tail, 'latin1'),
  ]);
  return {
    bytes: new Uint8Array(rebuilt.buffer, rebuilt.byteOffset, rebuilt.byteLength),
    pagesFound: tree.pages.length,
    pagesDeclared: tree.declaredCount,
    endsEarly: cutBeforeEnd(pdf),
  };
}

export interface RebuiltPdf {
  /** The original bytes followed by the new cross-reference (and page tree, when it was rebuilt). */
  bytes: Uint8Array;
  /** Page objects the rebuilt file lists. */
  pagesFound: number;
  /** The page count the file's own page tree declares, when that survived. */
  pagesDeclared: number | undefined;
  /** The file has no end-of-file marker near its end: it was cut short. */
  endsEarly: boolean;
}

/** Whether a PDF lacks the `%%EOF` marker its last bytes always hold (producers may pad a little after it). */
export function cutBeforeEnd(pdf: Uint8Array): boolean {
  const tail = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).subarray(Math.max(0, pdf.byteLength - 1024));
  return !tail.includes('%%EOF', 0, 'latin1');
}

/** Whether the bytes hold at least one PDF object (`N G obj`): a damaged PDF rather than something else. */
export function holdsObjects(pdf: Uint8Array): boolean {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1').search(OBJECT_HEADER) >= 0;
}

/** Beyond this many objects a rebuilt table would itself weigh tens of MB; no real document comes near it. */
const MAX_OBJECTS = 5_000_000;
const MAX_OFFSET = 0xffff_0000;
/** How much of an object's text is read to learn its type and entries (a page dictionary is a few hundred bytes). */
const OBJECT_HEAD = 16 * 1024;

interface Located {
  /**
   * Byte offset of an uncompressed object, the object stream and index of a
   * packed one, or the whole text of one packed in a stream that was cut short.
   */
  where: { offset: number; generation: number } | { stream: number; index: number } | { text: string };
  /** Where in the file it was found: a later copy replaces an earlier one, as in incremental updates. */
  position: number;
  /** The object's text up to its stream data or end, cut at OBJECT_HEAD. */
  head: string;
  /** Its dictionary's `/Type` (typeOf), read once. */
  type: string | undefined;
}

function generationOf(located: Located | undefined): number {
  return located && 'generation' in located.where ? located.where.generation : 0;
}

const OBJECT_HEADER = /(?<![\d.])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj\b/g;

/** The highest object number found or referred to (`N G R`) by an object's dictionary. */
function highestNumber(objects: Map<number, Located>): number {
  let highest = 0;
  for (const [number, located] of objects) {
    highest = Math.max(highest, number);
    for (const reference of located.head.matchAll(REFERENCE)) {
      const referred = Number(reference[1]);
      if (referred <= MAX_OBJECTS) highest = Math.max(highest, referred);
    }
  }
  return highest;
}

const REFERENCE = /(?<![\d.])(\d{1,10})[\0\t\n\f\r ]+\d{1,5}[\0\t\n\f\r ]+R\b/g;

/** Every object the bytes still hold, uncompressed or inside an object stream, by number. */
function findObjects(pdf: Buffer, text: string, maxStreamBytes: number): Map<number, Located> {
  const objects = new Map<number, Located>();
  const keep = (number: number, located: Located): void => {
    const known = objects.get(number);
    if (!known || known.position <= located.position) objects.set(number, located);
  };
  const headers = [...text.matchAll(OBJECT_HEADER)];
  headers.forEach((match, i) => {
    const number = Number(match[1]);
    if (number === 0 || number > MAX_OBJECTS) return;
    const bodyStart = match.index + match[0].length;
    const head = objectHead(text, bodyStart);
    const type = typeOf(head);
    // The last object of a file cut short is cut too: left out, or its dictionary would run on into the appended ones.
    const cut = i === headers.length - 1 && !/\bendobj\b/.test(text.slice(bodyStart));
    if (!cut) {
      const where = { offset: match.index, generation: Number(match[2]) };
      keep(number, { where, position: match.index, head, type });
    }
    if (type !== 'ObjStm') return;
    const unpacked = unpackObjectStream(pdf, text, bodyStart, head, maxStreamBytes);
    // Likewise the last object of a stream cut short.
    const whole = unpacked.whole ? unpacked.objects : unpacked.objects.slice(0, -1);
    for (const packed of whole) {
      const where = unpacked.whole ? { stream: number, index: packed.index } : { text: packed.text };
      const packedHead = packed.text.slice(0, OBJECT_HEAD);
      keep(packed.number, { where, position: match.index, head: packedHead, type: typeOf(packedHead) });
    }
  });
  return objects;
}

/** The text of an object from `start` to its `stream` keyword or `endobj`, at most OBJECT_HEAD characters. */
function objectHead(text: string, start: number): string {
  const window = text.slice(start, start + OBJECT_HEAD);
  const end = window.search(/\bendobj\b|\bstream[\r\n]|\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+obj\b/);
  return end < 0 ? window : window.slice(0, end);
}

interface PackedObject {
  number: number;
  index: number;
  text: string;
}

/**
 * The objects an object stream (`/Type /ObjStm`) holds, as far as its data
 * decodes; `whole` is false when the data was cut short (the last object
 * may then be cut too).
 */
function unpackObjectStream(
  pdf: Buffer,
  text: string,
  bodyStart: number,
  head: string,
  maxStreamBytes: number,
): { objects: PackedObject[]; whole: boolean } {
  const none = { objects: [], whole: true };
  const count = integerEntry(head, 'N');
  const first = integerEntry(head, 'First');
  if (count === undefined || first === undefined) return none;
  const keyword = bodyStart + head.length;
  if (!text.startsWith('stream', keyword)) return none;
  const dataStart = text[keyword + 6] === '\r' && text[keyword + 7] === '\n' ? keyword + 8 : keyword + 7;
  const filters = /\/Filter\b/.test(head) ? leadingFlateFilters(head) : 0;
  if (/\/Filter\b/.test(head) && (filters === 0 || filters !== (head.match(/\/[A-Za-z]+Decode\b/g) ?? []).length))
    return none; // a filter other than Flate: not worth decoding here
  let data: Buffer | undefined = pdf.subarray(dataStart, streamEnd(pdf, dataStart, head));
  let whole = true;
  for (let stage = 0; stage < filters && data; stage++) {
    whole &&= inflatesWhole(data, maxStreamBytes);
    data = inflateBounded(data, maxStreamBytes);
  }
  if (!data) return none;
  const decoded = data.toString('latin1');
  const header = decoded.slice(0, first).trim().split(/\s+/).map(Number);
  const packed: PackedObject[] = [];
  for (let index = 0; index < count && 2 * index + 1 < header.length; index++) {
    const number = header[2 * index]!;
    const start = first + header[2 * index + 1]!;
    const end = 2 * index + 3 < header.length ? first + header[2 * index + 3]! : decoded.length;
    if (!Number.isInteger(number) || number <= 0 || number > MAX_OBJECTS || start >= decoded.length) continue;
    packed.push({ number, index, text: decoded.slice(start, end) });
  }
  return { objects: packed, whole };
}

/** Whether Flate data decodes to its end, as pdfjs requires of an object stream. */
function inflatesWhole(data: Buffer, maxStreamBytes: number): boolean {
  try {
    inflateSync(data, { maxOutputLength: maxStreamBytes });
    return true;
  } catch {
    return false;
  }
}

function integerEntry(head: string, key: string): number | undefined {
  const value = new RegExp(`/${key}[\\0\\t\\n\\f\\r ]+(\\d+)(?![\\0\\t\\n\\f\\r ]+\\d+[\\0\\t\\n\\f\\r ]+R)`).exec(
    head,
  )?.[1];
  return value === undefined ? undefined : Number(value);
}

function referenceEntry(head: string, key: string): number | undefined {
  const value = new RegExp(`/${key}[\\0\\t\\n\\f\\r ]*(\\d+)[\\0\\t\\n\\f\\r ]+\\d+[\\0\\t\\n\\f\\r ]+R`).exec(
    head,
  )?.[1];
  return value === undefined ? undefined : Number(value);
}

/** The `/Type` of an object's own dictionary (not of one nested in it), if it has one. */
export function typeOf(head: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '(') {
      const close = closingIndex(head, i, '(', ')');
      i = close < 0 ? head.length : close;
    } else if (c === '<') {
      if (head[i + 1] === '<') {
        depth++;
        i++;
      } else {
        const close = head.indexOf('>', i);
        i = close < 0 ? head.length : close;
      }
    } else if (c === '>' && head[i + 1] === '>') {
      depth--;
      i++;
    } else if (c === '/' && depth === 1 && head.startsWith('/Type', i) && !/[A-Za-z0-9]/.test(head[i + 5] ?? '')) {
      return /^\/Type[\0\t\n\f\r ]*\/([^\0\t\n\f\r ()<>[\]{}/%]+)/.exec(head.slice(i, i + 64))?.[1];
    }
  }
  return undefined;
}

interface PageTree {
  /** The catalog whose page tree is walked, if one survived. */
  catalog: number | undefined;
  /** Page objects in reading order. */
  pages: number[];
  /** Whether the catalog's tree reaches every page object found and lost none of its nodes. */
  complete: boolean;
  declaredCount: number | undefined;
}

/** The pages in order: the surviving catalog's tree first, then page objects it does not reach, by number. */
function pageTree(objects: Map<number, Located>): PageTree {
  const catalogs = [...objects].filter(([, located]) => located.type === 'Catalog');
  catalogs.sort((a, b) => b[1].position - a[1].position);
  const catalog = catalogs[0]?.[0];
  const rootNode = catalog === undefined ? undefined : referenceEntry(objects.get(catalog)!.head, 'Pages');
  const reached: number[] = [];
  const seen = new Set<number>();
  let lostNodes = rootNode === undefined;
  const walk = (node: number, depth: number): void => {
    if (seen.has(node) || depth > 64) return;
    seen.add(node);
    const located = objects.get(node);
    if (!located) {
      lostNodes = true;
      return;
    }
    if (located.type === 'Page') {
      reached.push(node);
      return;
    }
    const kids = /\/Kids[\0\t\n\f\r ]*\[([^\]]*)\]/.exec(located.head)?.[1];
    if (kids === undefined) {
      lostNodes = true;
      return;
    }
    for (const kid of kids.matchAll(/(\d+)[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+R/g)) walk(Number(kid[1]), depth + 1);
  };
  if (rootNode !== undefined) walk(rootNode, 0);
  const declaredCount =
    rootNode !== undefined && objects.has(rootNode) ? integerEntry(objects.get(rootNode)!.head, 'Count') : undefined;
  const reachedSet = new Set(reached);
  const others = [...objects]
    .filter(([number, located]) => !reachedSet.has(number) && located.type === 'Page')
    .map(([number]) => number)
    .sort((a, b) => a - b);
  return {
    catalog,
    pages: [...reached, ...others],
    complete: !lostNodes && others.length === 0 && (declaredCount === undefined || declaredCount === reached.length),
    declaredCount,
  };
}

/** A cross-reference stream's rows (`/W [1 4 2]`) for objects 0 to size-1. */
function crossReferenceStream(objects: Map<number, Located>, added: Map<number, number>, size: number): Buffer {
  const table = Buffer.alloc(size * 7);
  table.writeUInt8(0, 0);
  table.writeUInt32BE(0, 1);
  table.writeUInt16BE(0xffff, 5); // object 0 heads the free list
  for (let number = 1; number < size; number++) {
    const row = number * 7;
    const offset = added.get(number);
    const located = objects.get(number);
    if (offset !== undefined) {
      table.writeUInt8(1, row);
      table.writeUInt32BE(offset, row + 1);
    } else if (located && 'offset' in located.where) {
      table.writeUInt8(1, row);
      table.writeUInt32BE(located.where.offset, row + 1);
      table.writeUInt16BE(located.where.generation & 0xffff, row + 5);
    } else if (located && 'stream' in located.where) {
      table.writeUInt8(2, row);
      table.writeUInt32BE(located.where.stream, row + 1);
      table.writeUInt16BE(located.where.index & 0xffff, row + 5);
    }
  }
  return table;
}
