import { AppError, type ErrorCode } from '../../../shared/errors';

/** Why a document could not be turned into text. Stable: stored and shown to people. */
export const PARSE_FAILURE_REASONS = [
  'unsupported_type',
  'binary',
  'empty',
  'generated',
  'no_text_layer',
  'too_large',
  'exceeds_limits',
  'corrupt',
  'timeout',
  'out_of_memory',
] as const;
export type ParseFailureReason = (typeof PARSE_FAILURE_REASONS)[number];

const CODE_BY_REASON: Record<ParseFailureReason, ErrorCode> = {
  unsupported_type: 'UNSUPPORTED_FILE',
  binary: 'UNSUPPORTED_FILE',
  empty: 'UNSUPPORTED_FILE',
  generated: 'UNSUPPORTED_FILE',
  no_text_layer: 'UNSUPPORTED_FILE',
  too_large: 'UNSUPPORTED_FILE',
  exceeds_limits: 'UNSUPPORTED_FILE',
  corrupt: 'UNSUPPORTED_FILE',
  timeout: 'TIMEOUT',
  out_of_memory: 'INTERNAL',
};

/**
 * A document that could not be parsed, with a specific reason and a message
 * written for the person who owns the file. Messages name the file type and
 * the parser's short reason, never the document's text.
 */
export class ParseFailure extends AppError {
  readonly reason: ParseFailureReason;

  constructor(reason: ParseFailureReason, message: string, options?: { cause?: unknown }) {
    super(CODE_BY_REASON[reason], message, { cause: options?.cause, details: { reason } });
    this.name = 'ParseFailure';
    this.reason = reason;
  }
}

/**
 * How the handler should record a document that failed to parse:
 * `skipped` for things that are simply not indexable (nothing to retry,
 * nothing broken): this includes `exceeds_limits`, a file that would expand
 * past a safety limit (a decompression bomb, JSON nested thousands of levels
 * deep), which no retry will change. `error` for files that are broken or
 * ran out of time or memory while being read, which a person may want to
 * look at.
 */
export function failureStatus(reason: ParseFailureReason): 'skipped' | 'error' {
  switch (reason) {
    case 'unsupported_type':
    case 'binary':
    case 'empty':
    case 'generated':
    case 'no_text_layer':
    case 'too_large':
    case 'exceeds_limits':
      return 'skipped';
    case 'corrupt':
    case 'timeout':
    case 'out_of_memory':
      return 'error';
  }
}

/** Trims a parser's own error message to one short, text-free line for people. */
export function shortParserReason(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split('\n')[0]?.trim() ?? '';
  // Parser messages sometimes quote the input (JSON.parse does); cut quoted parts.
  const unquoted = firstLine.replace(/"[^"]*"|'[^']*'/g, '…');
  return unquoted.length > 160 ? `${unquoted.slice(0, 157)}...` : unquoted || 'unknown error';
}
