import { AppError } from '../../../shared/errors';

/** Text extracted from a source document, plus what processing needs to know about it. */
export interface ExtractedText {
  text: string;
  /** Merged into the document's metadata: format, language, page offsets, parser title. */
  metadata: Record<string, unknown>;
  /** The type the bytes showed, for a file its source named no type for (`README` is text/plain). */
  mimeType?: string;
}

/**
 * One document could not be turned into text. `skipped` means nothing is
 * wrong with Trove or the file as such (unsupported type, empty, scanned);
 * `error` means the file is damaged or the parser gave up. Either way the
 * sync goes on; the message is shown in the UI next to the document.
 */
export class ExtractionFailure extends AppError {
  constructor(
    readonly status: 'skipped' | 'error',
    message: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(status === 'skipped' ? 'UNSUPPORTED_FILE' : 'VALIDATION', message, {
      cause: options?.cause,
      details: { reason: options?.reason },
    });
  }
}
