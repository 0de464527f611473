import type { ParsedDocument } from '../types';
import { TableGroups } from './table-groups';
import { normaliseText } from './text';

/**
 * CSV and TSV to Markdown tables, in groups of rows that each repeat the
 * header (see TableGroups), so any chunk of the output still says what each
 * column means.
 */
export function parseDelimited(text: string, delimiter: ',' | '\t'): ParsedDocument {
  const rows = readRows(normaliseText(text), delimiter).filter((row) => row.some((cell) => cell.trim() !== ''));
  if (rows.length === 0) return { text: '', format: 'table' };
  const tables: string[] = [];
  const groups = new TableGroups((table) => tables.push(table), Math.max(...rows.map((row) => row.length)));
  for (const row of rows) groups.add(row);
  groups.end();
  return { text: tables.join('\n\n'), format: 'table' };
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
