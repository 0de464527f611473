import type { DocumentContent } from '../connectors/types';
import { ExtractionFailure, type ExtractedText } from '../handlers/content-extractor';
import { failureStatus, ParseFailure, type ParserPool } from '../ingest';

/**
 * Adapts the parser pool to what sync_connector stores: the text, plus the
 * parse facts processing needs later (format, language, page or slide
 * offsets) and what the document says about itself (`parsedTitle`, and
 * `documentInfo`: an e-book's author, a mail's sender, recipients and date).
 * Parse failures become ExtractionFailure so the handler records them on the
 * one document and carries on.
 */
export function createExtractor(pool: ParserPool) {
  return async (content: DocumentContent, signal: AbortSignal): Promise<ExtractedText> => {
    try {
      const parsed = await pool.parse(content, signal);
      return {
        text: parsed.text,
        metadata: {
          parse: {
            format: parsed.format,
            language: parsed.language ?? null,
            pages: parsed.pages ?? null,
            ...(parsed.pageUnit ? { pageUnit: parsed.pageUnit } : {}),
          },
          ...(parsed.title ? { parsedTitle: parsed.title } : {}),
          ...(parsed.metadata ? { documentInfo: parsed.metadata } : {}),
        },
      };
    } catch (error) {
      if (error instanceof ParseFailure) {
        throw new ExtractionFailure(failureStatus(error.reason), error.message, { cause: error, reason: error.reason });
      }
      throw error;
    }
  };
}
