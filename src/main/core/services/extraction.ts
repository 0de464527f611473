import { EXTRACTION_VERSION } from '../ingest/extraction-version';
import type { DocumentContent } from '../connectors/types';
import { ExtractionFailure, type ExtractedText } from '../ingest/extracted-text';
import { failureStatus, ParseFailure, type ParserPool } from '../ingest';
import type { OcrSourceStore } from '../ocr/ocr-sources';
import { pendingOcrState } from '../ocr/ocr-state';
import { UNKNOWN_MIME_TYPE } from '../connectors/fs/mime';
import { detectType } from '../ingest/file-types';

/**
 * A file its source named no type for (`README`, `NEWS`, `copyright`) and
 * whose bytes are plain text is text/plain: so `type:txt` finds it and
 * browser mode shows it rather than offering a download. Other files keep
 * the type their source named.
 */
function typeShownByBytes(content: DocumentContent): string | undefined {
  if (content.kind !== 'bytes' || content.mimeType !== UNKNOWN_MIME_TYPE) return undefined;
  return detectType(content).kind === 'plain' ? 'text/plain' : undefined;
}

/**
 * Adapts the parser pool to what sync_connector stores: the text, plus the
 * parse facts processing needs later (format, language, page or slide
 * offsets) and what the document says about itself (`parsedTitle`, and
 * `documentInfo`: an e-book's author, a mail's sender, recipients and date).
 * Parse failures become ExtractionFailure so the handler records them on the
 * one document and carries on.
 *
 * A document with pages to OCR (scans, images) is stored with the text it
 * has now and `metadata.ocr` pending; its file is kept in `ocrSources` for
 * the OCR job, before the sync commits the document that points to it.
 */
export function createExtractor(pool: ParserPool, ocrSources?: OcrSourceStore) {
  return async (content: DocumentContent, signal: AbortSignal): Promise<ExtractedText> => {
    try {
      const parsed = await pool.parse(content, signal);
      const metadata: Record<string, unknown> = {
        parse: {
          version: EXTRACTION_VERSION,
          ...(parsed.reader ? { reader: parsed.reader } : {}),
          format: parsed.format,
          language: parsed.language ?? null,
          pages: parsed.pages ?? null,
          ...(parsed.pageUnit ? { pageUnit: parsed.pageUnit } : {}),
          ...(parsed.headings ? { headings: parsed.headings } : {}),
        },
        // null, not absent: the stored metadata is patched, and a new version without a title must drop the old one.
        parsedTitle: parsed.title ?? null,
        // Likewise: a sound copy of a file once read damaged drops the note.
        damage: parsed.damage ?? null,
        ...(parsed.metadata ? { documentInfo: parsed.metadata } : {}),
      };
      if (parsed.ocr && ocrSources && content.kind === 'bytes') {
        await ocrSources.put(parsed.ocr.sourceKey, content.bytes);
        metadata.ocr = pendingOcrState(parsed.ocr);
      }
      const shown = typeShownByBytes(content);
      return { text: parsed.text, metadata, ...(shown ? { mimeType: shown } : {}) };
    } catch (error) {
      if (error instanceof ParseFailure) {
        throw new ExtractionFailure(failureStatus(error.reason), error.message, { cause: error, reason: error.reason });
      }
      throw error;
    }
  };
}
