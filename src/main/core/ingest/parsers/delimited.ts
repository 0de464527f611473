import type { ParsedDocument } from '../types';
import { TableGroups } from './table-groups';
import { normaliseText } from './text';

/**
 * CSV and TSV to Markdown tables, in groups of rows that each repeat the
 * header (see TableGroups), so any chunk of the output still says what each
 * column means.
 */
export function parseDelimited(text: string, named: ',' | '\t'): ParsedDocument {
  const normalised = normaliseText(text);
  const rows = readRows(normalised, sniffDelimiter(normalised, named)).filter((row) =>
    row.some((cell) => cell.trim() !== ''),
  );
  if (rows.length === 0) return { text: '', format: 'table' };
  const tables: string[] = [];
  const groups = new TableGroups((table) => tables.push(table), Math.max(...rows.map((row) => row.length)));
  for (const row of rows) groups.add(row);
  groups.end();
  return { text: tables.join('\n\n'), format: 'table' };
}

/**
 * The delimiter a file uses, which its name does not always tell: Excel in
 * much of Europe (German, French, Italian, Spanish, Dutch settings) writes
 * `.csv` with semicolons, as the comma is its decimal point; read with
 * commas, "Äpfel;1,20;5" became the cells "Äpfel;1" and "20;5". Of the
 * candidates found the same number of times (at least once) on most of the
 * first rows, outside quotes, the one found so on the most rows is taken:
 * a delimiter is on every row, header included, while a decimal comma is
 * missing from the header and commas in prose vary from row to row. Then
 * the one found more often on a row, then the one the name says, which is
 * also taken when no candidate is regular.
 */
export function sniffDelimiter(text: string, named: string): string {
  const sample = text.slice(0, SNIFF_CHARS);
  let best = { delimiter: named, rows: 0, count: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = readRows(sample, delimiter)
      .filter((row) => row.some((cell) => cell.trim() !== ''))
      .slice(0, SNIFF_LINES)
      .map((row) => row.length - 1);
    const count = mostCommon(counts);
    const rows = counts.filter((c) => c === count).length;
    if (count === 0 || rows < Math.ceil(counts.length * REGULAR_SHARE)) continue;
    const better =
      rows > best.rows || (rows === best.rows && (count > best.count || (count === best.count && delimiter === named)));
    if (better) best = { delimiter, rows, count };
  }
  return best.delimiter;
}

const DELIMITERS = [',', ';', '\t', '|'];
/** Lines read to decide, and at most this much text. */
const SNIFF_LINES = 20;
const SNIFF_CHARS = 64 * 1024;
/** Share of the lines that must have the usual count: a title line or a ragged last row may not. */
const REGULAR_SHARE = 0.8;

function mostCommon(values: number[]): number {
  const tally = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const value of values) {
    const count = (tally.get(value) ?? 0) + 1;
    tally.set(value, count);
    if (count > bestCount || (count === bestCount && value > best)) [best, bestCount] = [value, count];
  }
  return best;
}

/** RFC 4180: quoted fields may hold delimiters, newlines and doubled quotes. */
export function readRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        field += char;
      }
    } else if (char === '"' && field === '') {
      inQuotes = true;
    } else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
