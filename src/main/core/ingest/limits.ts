/**
 * The safety limits of parsing, in one place. A small file can expand into
 * gigabytes (a zip bomb, a Flate-bomb PDF) or into a structure deep enough
 * to exhaust the stack, and buffers live outside the worker's V8 heap
 * limit, so every expansion is bounded by the parser itself, before and
 * while it happens. A file past a limit fails with `exceeds_limits`
 * (recorded as skipped, with the limit named in the message).
 *
 * Plain data: the pool sends the limits to its workers with each request.
 */
export interface ZipLimits {
  /** Most entries an archive may list. Default 10,000 (a long DOCX with many images has a few hundred). */
  maxEntries: number;
  /** Most bytes one entry may expand to, declared or actual. Default 64 MB. */
  maxEntryBytes: number;
  /** Most bytes all entries read from one archive may expand to together. Default 128 MB. */
  maxTotalBytes: number;
  /**
   * Largest expansion ratio (uncompressed / compressed) of an entry over
   * `ratioFloorBytes`. Real XML deflates 5-30 to 1; deflate's ceiling is
   * about 1000 to 1, which is what bombs use. Default 200.
   */
  maxRatio: number;
  /** Entries up to this size are never refused for their ratio (tiny parts compress absurdly well). Default 1 MB. */
  ratioFloorBytes: number;
}

export interface PdfLimits {
  /**
   * Most bytes one compressed stream (page content, font, object stream)
   * may decode to. Checked before pdfjs sees the file. Default 64 MB; a
   * dense page's content is well under 1 MB.
   */
  maxStreamBytes: number;
  /**
   * Most pages indexed from one PDF; a longer one is skipped with the
   * count in its reason (not cut short: a search should either cover the
   * whole document or say it does not). Default 10,000: books, manuals and
   * legal codes fit; a 5,000-page PDF is indexed in full.
   */
  maxPages: number;
  /** Most characters of text taken from one PDF (its streams decompress, so the file size does not bound it). Default 50 million. */
  maxTextChars: number;
}

export interface JsonLimits {
  /** Deepest nesting of arrays and objects. Default 1,000 (real data rarely passes 50). */
  maxDepth: number;
}

/** Office documents, e-books and mail: their XML parts and the text they yield. */
export interface DocumentLimits {
  /** Deepest element nesting in one XML part (OOXML, ODF, EPUB). Default 256 (real documents stay under 40). */
  maxXmlDepth: number;
  /** Most characters of text taken from one document, as for PDFs. Default 50 million. */
  maxTextChars: number;
}

/** Spreadsheets (XLSX, ODS): rows and cells are read one at a time and counted as they come. */
export interface SheetLimits {
  /** Most sheets in one workbook. Default 1,000. */
  maxSheets: number;
  /** Most non-empty rows in one workbook, all sheets together. Default 1,000,000. */
  maxRows: number;
  /** Most non-empty cells in one workbook, all sheets together. Default 5,000,000. */
  maxCells: number;
  /** Longer cell text is cut here (with `…`), so one cell cannot fill a chunk. Default 1,000 characters. */
  maxCellChars: number;
  /** Cells a row may span (ODS repeats, XLSX column numbers): past it the row is cut. Default 1,000. */
  maxColumns: number;
}

/** E-mail messages (EML, and each message of an MBOX). */
export interface MailLimits {
  /** Most MIME parts in one message (mailsplit's own limit). Default 1,000. */
  maxParts: number;
  /** Most attachments indexed from one message; the rest are listed in the message only. Default 100. */
  maxAttachments: number;
}

/** Images and rendered PDF pages read by OCR. */
export interface ImageLimits {
  /**
   * Most pixels one image frame may declare. Checked from the header before
   * anything is decoded: a small PNG can declare 60,000 x 60,000 pixels.
   * Default 100 million (a 10,000 x 10,000 scan).
   */
  maxInputPixels: number;
  /**
   * Images and rendered PDF pages are scaled down to at most this many
   * pixels before OCR: Tesseract's memory grows with the image and never
   * shrinks. Default 25 million (an A4 page at 500 dpi; 300 dpi is 8.7 million).
   */
  maxOcrPixels: number;
  /** Most frames (pages) read from one image (a multi-page TIFF). Default 10,000, like PDF pages. */
  maxFrames: number;
}

export interface ParseLimits {
  zip: ZipLimits;
  pdf: PdfLimits;
  json: JsonLimits;
  document: DocumentLimits;
  sheet: SheetLimits;
  mail: MailLimits;
  image: ImageLimits;
}

const MB = 1024 * 1024;

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  zip: { maxEntries: 10_000, maxEntryBytes: 64 * MB, maxTotalBytes: 128 * MB, maxRatio: 200, ratioFloorBytes: MB },
  pdf: { maxStreamBytes: 64 * MB, maxPages: 10_000, maxTextChars: 50_000_000 },
  json: { maxDepth: 1000 },
  document: { maxXmlDepth: 256, maxTextChars: 50_000_000 },
  sheet: { maxSheets: 1000, maxRows: 1_000_000, maxCells: 5_000_000, maxCellChars: 1000, maxColumns: 1000 },
  mail: { maxParts: 1000, maxAttachments: 100 },
  image: { maxInputPixels: 100_000_000, maxOcrPixels: 25_000_000, maxFrames: 10_000 },
};

/** Overrides, per group: `{ zip: { maxEntryBytes: 1024 } }` keeps every other default. */
export type ParseLimitsInput = { [Group in keyof ParseLimits]?: Partial<ParseLimits[Group]> };

export function resolveLimits(input: ParseLimitsInput = {}): ParseLimits {
  return {
    zip: { ...DEFAULT_PARSE_LIMITS.zip, ...input.zip },
    pdf: { ...DEFAULT_PARSE_LIMITS.pdf, ...input.pdf },
    json: { ...DEFAULT_PARSE_LIMITS.json, ...input.json },
    document: { ...DEFAULT_PARSE_LIMITS.document, ...input.document },
    sheet: { ...DEFAULT_PARSE_LIMITS.sheet, ...input.sheet },
    mail: { ...DEFAULT_PARSE_LIMITS.mail, ...input.mail },
    image: { ...DEFAULT_PARSE_LIMITS.image, ...input.image },
  };
}

/** A size for messages: `1.0 GB`, `64.0 MB`, `12.5 KB`, `300 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * MB) return `${(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
