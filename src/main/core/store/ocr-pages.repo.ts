import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock';

/** One page as OCR read it, or why it could not. */
export interface OcrPageRow {
  page: number;
  text: string;
  /** 0-100; null when the page failed. */
  confidence: number | null;
  rotation: number;
  /** Why the page could not be read; null when it was. */
  error: string | null;
}

/** ocr_pages (migration 5): pages read by a running OCR job, until it merges them into the document. */
export class OcrPagesRepo {
  private readonly stmts;

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.stmts = {
      list: db.prepare(
        `SELECT page, text, confidence, rotation, error FROM ocr_pages
         WHERE document_id = ? AND content_hash = ? ORDER BY page`,
      ),
      record: db.prepare(
        `INSERT INTO ocr_pages (document_id, content_hash, page, text, confidence, rotation, error, created_at)
         VALUES (@documentId, @contentHash, @page, @text, @confidence, @rotation, @error, @now)
         ON CONFLICT (document_id, page) DO UPDATE SET content_hash = excluded.content_hash, text = excluded.text,
           confidence = excluded.confidence, rotation = excluded.rotation, error = excluded.error,
           created_at = excluded.created_at`,
      ),
      clearStale: db.prepare(`DELETE FROM ocr_pages WHERE document_id = ? AND content_hash != ?`),
      clear: db.prepare(`DELETE FROM ocr_pages WHERE document_id = ?`),
    };
  }

  /** Pages already read from this version of the document, by page number. */
  forDocument(documentId: string, contentHash: string): Map<number, OcrPageRow> {
    const rows = this.stmts.list.all(documentId, contentHash) as OcrPageRow[];
    return new Map(rows.map((row) => [row.page, row]));
  }

  record(documentId: string, contentHash: string, row: OcrPageRow): void {
    this.stmts.record.run({ documentId, contentHash, ...row, now: this.clock.now() });
  }

  /** Drops pages read from an older version of the document. */
  clearStale(documentId: string, contentHash: string): void {
    this.stmts.clearStale.run(documentId, contentHash);
  }

  clear(documentId: string): void {
    this.stmts.clear.run(documentId);
  }
}
