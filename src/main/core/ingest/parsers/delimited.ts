import { CHUNK_SIZES } from '../chunking/sizes';
import type { ParsedDocument } from '../types';
import { normaliseText } from './text';

/**
 * CSV and TSV to Markdown tables. Rows are grouped into tables of at most
 * ROW_GROUP_CHARS characters, and every group repeats the header, so any
 * chunk of the output still says what each column means. A group fits one
 * chunk of tabular data, so the chunker never has to cut one.
 */
const ROW_GROUP_CHARS = CHUNK_SIZES.data.max;

export function parseDelimited(text: string, delimiter: ',' | '\t'): ParsedDocument {
  const rows = readRows(normaliseText(text), delimiter).filter((row) => row.some((cell) => cell.trim() !== ''));
  const [header, ...body] = rows;
  if (!header) return { text: '', format: 'table' };
  const width = Math.max(header.length, ...body.map((row) => row.length));
  const headerLines = `${tableLine(header, width)}\n${tableLine(
    Array.from({ length: width }, () => '---'),
    width,
  )}`;

  const groups: string[] = [];
  let group = headerLines;
  let groupRows = 0;
  for (const row of body) {
    const line = tableLine(row, width);
    if (groupRows > 0 && group.length + line.length + 1 > ROW_GROUP_CHARS) {
      groups.push(group);
      group = headerLines;
      groupRows = 0;
    }
    group += `\n${line}`;
    groupRows++;
  }
  groups.push(group);
  return { text: groups.join('\n\n'), format: 'table' };
}

function tableLine(cells: string[], width: number): string {
  const padded = Array.from({ length: width }, (_, i) => cleanCell(cells[i] ?? ''));
  return `| ${padded.join(' | ')} |`;
}

function cleanCell(cell: string): string {
  return cell.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
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
