import { CHUNK_SIZES } from '../chunking/sizes';
import { measuredLength } from '../chunking/text-measure';
import { markdownTable, tableCell } from './markdown-writer';

/**
 * A table is cut into groups of rows of at most about this many characters,
 * each repeating the header: one group fits one chunk of tabular data (and so
 * the model's input window), so the chunker never has to cut one.
 */
export const ROW_GROUP_CHARS = CHUNK_SIZES.data.max;

/**
 * Rows to Markdown tables of at most ROW_GROUP_CHARS characters (a longer
 * single row makes a group of its own), every one repeating the header row,
 * so any chunk of a table still says what each column means. Rows arrive one
 * at a time (a spreadsheet is read as a stream); each finished table goes to
 * `emit`.
 */
export class TableGroups {
  private header: string[] | undefined;
  private rows: string[][] = [];
  private chars = 0;
  private emitted = false;

  /** `width`: pad every table to this many columns; default the widest row of each group. */
  constructor(
    private readonly emit: (table: string) => void,
    private readonly width?: number,
  ) {}

  /** The first row given is the header. */
  add(row: string[]): void {
    if (!this.header) {
      this.header = row;
      this.chars = this.headerLength();
      return;
    }
    const size = this.lineLength(row) + 1;
    if (this.rows.length > 0 && this.chars + size > ROW_GROUP_CHARS) this.flush();
    this.rows.push(row);
    this.chars += size;
  }

  /** Writes the last group (a header with no rows is written alone). */
  end(): void {
    if (this.rows.length > 0 || (this.header && !this.emitted)) this.flush();
  }

  private flush(): void {
    const header = this.header ?? [];
    const width = this.width ?? Math.max(header.length, ...this.rows.map((row) => row.length));
    this.emit(markdownTable(header, this.rows, width));
    this.emitted = true;
    this.rows = [];
    this.chars = this.headerLength();
  }

  /** The header line, its `| --- |` line and the newline between them. */
  private headerLength(): number {
    const header = this.header ?? [];
    const width = Math.max(this.width ?? 0, header.length);
    return this.lineLength(header) + this.lineLength(Array.from({ length: width }, () => '---')) + 1;
  }

  /** The length of the row's table line: exact when the width is fixed, else for the row's own width. */
  private lineLength(row: string[]): number {
    const width = Math.max(this.width ?? 0, row.length);
    let length = 2 + (width - 1) * 3 + 2;
    // Measured as the chunker measures (a cell of Chinese counts as the tokens it is), so a group stays one chunk.
    for (let i = 0; i < width; i++) length += measuredLength(tableCell(row[i] ?? ''));
    return length;
  }
}
