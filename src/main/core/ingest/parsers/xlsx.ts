import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../limits';
import { ParseFailure, shortParserReason, unreadableAs } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { MarkdownWriter } from './markdown-writer';
import { ooxmlTitle } from './pptx';
import { SheetWriter } from './sheets';
import { ZipPackage } from './zip-package';

const WHAT = 'Excel workbook';

/**
 * XLSX with exceljs's streaming reader: one sheet at a time, one row at a
 * time, each counted against the sheet limits as it comes (see SheetWriter).
 * Formula cells give their cached result, as Excel last computed it.
 *
 * exceljs unzips its input itself, without limits. So the parts it reads are
 * unzipped here first, through the bounded zip reader, and handed to it
 * repacked without compression, in the order its stream reader wants them
 * (relationships, workbook, styles, shared strings, then the sheets in tab
 * order), so it never writes a sheet to a temporary file while waiting for
 * the shared strings. Pictures and other parts are never unzipped.
 */
export async function parseXlsx(
  bytes: Uint8Array,
  limits: Pick<ParseLimits, 'zip' | 'document' | 'sheet'> = DEFAULT_PARSE_LIMITS,
  onProgress?: () => void,
): Promise<ParsedDocument> {
  const pkg = ZipPackage.open(bytes, WHAT, limits);
  const repacked = await repack(pkg);
  const out = new MarkdownWriter(WHAT, limits.document.maxTextChars);
  const sheets = new SheetWriter(out, limits.sheet, WHAT, onProgress);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(pieces(repacked)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let index = 0;
  try {
    for await (const worksheet of reader) {
      index++;
      sheets.startSheet((worksheet as unknown as { name?: string }).name ?? `Sheet ${index}`);
      for await (const row of worksheet) sheets.row(rowTexts(row.values, limits.sheet.maxColumns));
      sheets.endSheet();
    }
  } catch (error) {
    if (error instanceof ParseFailure) throw error;
    throw unreadableAs(WHAT, shortParserReason(error), error);
  }
  const parsed = sheets.result();
  const title = ooxmlTitle(pkg);
  return title ? { ...parsed, title } : parsed;
}

/** The parts exceljs's stream reader uses, unzipped within the limits and stored uncompressed, in its order. */
async function repack(pkg: ZipPackage): Promise<Buffer> {
  const zip = new JSZip();
  const sheetParts = pkg.has(WORKBOOK) ? sheetsOfWorkbook(pkg) : sheetsWithoutWorkbook(pkg, zip);
  for (const part of [WORKBOOK_RELS, WORKBOOK, 'xl/styles.xml', 'xl/sharedStrings.xml', ...sheetParts]) {
    if (pkg.has(part) && !zip.file(part)) zip.file(part, pkg.read(part));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
/** exceljs reads sheets only under this name pattern. */
const SHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** The sheet parts the workbook lists, in tab order. */
function sheetsOfWorkbook(pkg: ZipPackage): string[] {
  const rels = pkg.relationships(WORKBOOK);
  const sheetParts: string[] = [];
  pkg.xml(WORKBOOK, {
    open: ({ name, attributes }) => {
      const target =
        name === 'sheet' || name.endsWith(':sheet') ? rels.get(attributes['r:id'] ?? '')?.target : undefined;
      if (target && SHEET_PART.test(target) && pkg.has(target)) sheetParts.push(target);
    },
  });
  return sheetParts;
}

/**
 * A workbook cut short before its `workbook.xml` (exceljs and other streaming
 * writers put it last): its sheets in the order of their numbers, named
 * "Sheet 1", "Sheet 2"..., through a workbook written here in its place.
 */
function sheetsWithoutWorkbook(pkg: ZipPackage, zip: JSZip): string[] {
  const sheetParts = pkg
    .names()
    .filter((name) => SHEET_PART.test(name))
    .sort((a, b) => Number(SHEET_PART.exec(a)![1]) - Number(SHEET_PART.exec(b)![1]));
  if (sheetParts.length === 0) throw pkg.missing('workbook (xl/workbook.xml)');
  const sheets = sheetParts.map((_, i) => `<sheet name="Sheet ${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  const rels = sheetParts.map(
    (part, i) =>
      `<Relationship Id="rId${i + 1}" Type="${OOXML_RELATIONSHIPS}/worksheet" Target="${part.slice('xl/'.length)}"/>`,
  );
  zip.file(
    WORKBOOK,
    `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${OOXML_RELATIONSHIPS}"><sheets>${sheets.join('')}</sheets></workbook>`,
  );
  zip.file(
    WORKBOOK_RELS,
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  return sheetParts;
}

const OOXML_RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The repacked archive in 64 KB pieces, as a file stream would give it:
 * handed over whole, exceljs parses a stored sheet in one go and holds all
 * its rows at once (300 MB for 50,000 rows instead of 10).
 */
function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
}

/** exceljs row values (1-based, sparse) as display texts, cut at `maxColumns`. */
function rowTexts(values: unknown, maxColumns: number): Array<string | undefined> {
  if (!Array.isArray(values)) return [];
  const cells: Array<string | undefined> = [];
  const last = Math.min(values.length - 1, maxColumns);
  for (let column = 1; column <= last; column++) cells.push(cellText(values[column]));
  return cells;
}

/**
 * A cell as it reads: numbers and booleans as written, dates as ISO dates
 * (with the time only when there is one), formulas as their cached result,
 * rich text and links as their text, errors as Excel shows them (#DIV/0!).
 */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if (typeof value !== 'object') return undefined;
  const v = value as {
    result?: unknown;
    formula?: unknown;
    sharedFormula?: unknown;
    richText?: Array<{ text?: string }>;
    text?: unknown;
    error?: unknown;
  };
  if ('formula' in v || 'sharedFormula' in v) return cellText(v.result);
  if (Array.isArray(v.richText)) return v.richText.map((run) => run.text ?? '').join('');
  if (v.text !== undefined) return cellText(v.text);
  if (typeof v.error === 'string') return v.error;
  return undefined;
}

function dateText(date: Date): string | undefined {
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}
