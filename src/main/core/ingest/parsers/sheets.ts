import type { SheetLimits } from '../limits';
import { ParseFailure } from '../parse-failure';
import type { ParsedDocument } from '../types';
import { MarkdownWriter } from './markdown-writer';
import { TableGroups } from './table-groups';

/**
 * Writes a workbook (XLSX, ODS) as Markdown: one section per sheet, headed
 * by the sheet's name, its rows as tables whose every group repeats the
 * sheet's first row (its header), so a chunk of row 5,000 still names its
 * columns. Rows come in one at a time and are counted as they come: past a
 * limit the workbook is skipped with the figures in its reason.
 */
const PROGRESS_ROWS = 1000;

export class SheetWriter {
  private sheets = 0;
  private rows = 0;
  private cells = 0;
  private groups: TableGroups | undefined;
  private pendingName: string | undefined;

  /** `onProgress` is called every PROGRESS_ROWS rows, so the pool can tell a long workbook from a stuck one. */
  constructor(
    private readonly out: MarkdownWriter,
    private readonly limits: SheetLimits,
    private readonly what: string,
    private readonly onProgress?: () => void,
  ) {}

  /** A new sheet; its heading is written with its first non-empty row (empty sheets leave no trace). */
  startSheet(name: string): void {
    this.endSheet();
    if (++this.sheets > this.limits.maxSheets) {
      throw this.overLimit(`has more than ${this.limits.maxSheets.toLocaleString('en')} sheets`);
    }
    this.pendingName = name.trim() || `Sheet ${this.sheets}`;
  }

  /**
   * One row's cell texts, left to right (`undefined` or '' for empty
   * cells). Empty rows are dropped; trailing empty cells are trimmed; long
   * cells are cut to `maxCellChars`. `times` writes the row that many times
   * (an ODS repeat), checked against the limits before any is written.
   */
  row(cells: Array<string | undefined>, times = 1): void {
    let last = Math.min(cells.length, this.limits.maxColumns) - 1;
    while (last >= 0 && !cells[last]?.trim()) last--;
    if (last < 0 || times < 1) return;
    const row: string[] = [];
    let filled = 0;
    for (let i = 0; i <= last; i++) {
      const text = cells[i]?.trim() ?? '';
      if (text !== '') filled++;
      row.push(text.length > this.limits.maxCellChars ? `${text.slice(0, this.limits.maxCellChars - 1)}…` : text);
    }
    if (Math.floor((this.rows + times) / PROGRESS_ROWS) > Math.floor(this.rows / PROGRESS_ROWS)) this.onProgress?.();
    this.rows += times;
    this.cells += filled * times;
    if (this.rows > this.limits.maxRows) {
      throw this.overLimit(`has more than ${this.limits.maxRows.toLocaleString('en')} rows with content`);
    }
    if (this.cells > this.limits.maxCells) {
      throw this.overLimit(`has more than ${this.limits.maxCells.toLocaleString('en')} cells with content`);
    }
    if (this.pendingName !== undefined) {
      this.out.heading(1, this.pendingName);
      this.pendingName = undefined;
      this.groups = new TableGroups((table) => this.out.markdown(table));
    }
    for (let i = 0; i < times; i++) this.groups?.add(row);
  }

  endSheet(): void {
    this.groups?.end();
    this.groups = undefined;
    this.pendingName = undefined;
  }

  result(): ParsedDocument {
    this.endSheet();
    return this.out.result();
  }

  private overLimit(detail: string): ParseFailure {
    return new ParseFailure(
      'exceeds_limits',
      `This ${this.what} ${detail}; Trove indexes workbooks up to that size, so it was not indexed. Split it into smaller files to index it.`,
    );
  }
}
