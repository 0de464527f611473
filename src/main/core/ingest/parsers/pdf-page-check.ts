/**
 * Which PDF pages need OCR: a page whose text layer is missing, nearly
 * empty or garbled, and that paints something that could hold text (an
 * image, or glyphs whose text did not come out). A blank page needs
 * nothing; a page with real text keeps its text layer.
 */

/** Letters and digits a text layer needs to count (a page number or a scanner's stamp does not). */
const MIN_WORD_CHARACTERS = 40;
/** Share of unreadable characters (U+FFFD, private use, controls) past which a text layer is garbled. */
const MAX_GARBLED_SHARE = 0.3;

export type TextLayerVerdict = 'usable' | 'sparse' | 'garbled';

export function judgeTextLayer(text: string): TextLayerVerdict {
  const word = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  const garbled = (text.match(/[\uFFFD\p{Co}]/gu)?.length ?? 0) + controlCharacters(text);
  if (garbled > 0 && garbled >= (word + garbled) * MAX_GARBLED_SHARE) return 'garbled';
  return word >= MIN_WORD_CHARACTERS ? 'usable' : 'sparse';
}

/** C0 control characters other than tab and line breaks: what a font without a text mapping yields. */
function controlCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) count++;
  }
  return count;
}

/** The operator-list entries that paint a raster image, by pdfjs' OPS names. */
const IMAGE_OPERATORS = [
  'paintImageXObject',
  'paintInlineImageXObject',
  'paintInlineImageXObjectGroup',
  'paintImageXObjectRepeat',
  'paintImageMaskXObject',
  'paintImageMaskXObjectGroup',
  'paintImageMaskXObjectRepeat',
  'paintSolidColorImageMask',
] as const;

/** The operator codes of IMAGE_OPERATORS in this pdfjs build. */
export function imageOperatorCodes(ops: Record<string, number>): Set<number> {
  return new Set(IMAGE_OPERATORS.map((name) => ops[name]).filter((code): code is number => code !== undefined));
}

/** True when the page's operator list paints at least one image (decoding each: call it only where needed). */
export function paintsImage(fnArray: readonly number[], imageCodes: ReadonlySet<number>): boolean {
  return fnArray.some((fn) => imageCodes.has(fn));
}

/**
 * Whether the file holds any image XObject (`/Subtype /Image`). An image
 * XObject is a stream, and streams are never packed into object streams, so
 * its dictionary is readable in the raw bytes. A PDF with none has no scans
 * (only inline images, which are small), and its sparse pages need the
 * operator list to tell; a PDF with some has its sparse pages read by OCR
 * without decoding any image now: the operator list would decode every
 * image of the page, costing the sync time and memory that belong to OCR.
 */
export function hasImageXObjects(bytes: Uint8Array): boolean {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = pdf.indexOf('/Image', 0, 'latin1'); at >= 0; at = pdf.indexOf('/Image', at + 6, 'latin1')) {
    const before = pdf.subarray(Math.max(0, at - 24), at).toString('latin1');
    const next = pdf[at + 6];
    const endsName = next === undefined || !/[A-Za-z0-9]/.test(String.fromCharCode(next));
    if (endsName && /\/Subtype\s*$/.test(before)) return true;
  }
  return false;
}
