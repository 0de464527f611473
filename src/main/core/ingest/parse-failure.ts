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

/**
 * A file that is damaged or not what its type says: "The file could not be
 * read as an Excel workbook: its XML is malformed (unexpected close tag)."
 * `what` names the type without an article ("Word document").
 */
export function unreadableAs(what: string, detail: string, cause?: unknown): ParseFailure {
  const sentence = /[.!?…]$/.test(detail) ? detail : `${detail}.`;
  return new ParseFailure(
    'corrupt',
    `The file could not be read as ${withArticle(what)}: ${sentence}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * "a Word document", "an Excel workbook", and "an RTF document": the article
 * goes by sound, and an initialism is read letter by letter.
 */
export function withArticle(what: string): string {
  const vowelSound = /^[aeiou]/i.test(what) || /^[FHLMNRSX][A-Z]+\b/.test(what);
  return `${vowelSound ? 'an' : 'a'} ${what}`;
}

/** Trims a parser's own error message to one short, text-free line for people. */
export function shortParserReason(error: unknown): string {
  // A library's own fault on input it did not expect ("Cannot read properties of null"): says nothing to a person.
  if (error instanceof TypeError || error instanceof RangeError)
    return 'its contents are damaged in a way the reader could not follow';
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split('\n')[0]?.trim() ?? '';
  const xml = XML_PARSER_MESSAGE.exec(firstLine);
  if (xml) return malformedXml(firstLine.slice(xml[0].length));
  // Parser messages sometimes quote the input (JSON.parse does); cut quoted parts.
  const unquoted = firstLine.replace(/"[^"]*"|'[^']*'/g, '…');
  return unquoted.length > 160 ? `${unquoted.slice(0, 157)}...` : unquoted || 'unknown error';
}

/**
 * How XML parsers inside other libraries start their messages: saxes (in
 * exceljs) with the line and column, "1:230: unexpected close tag"; xmldom
 * (in mammoth) with its name, "warning: [xmldom warning]\tunclosed xml attribute".
 */
const XML_PARSER_MESSAGE =
  /^(?:\d+:\d+:\s*|(?:warning|error|fatalError):\s*\[xmldom \w+\]\s*(?:element parse error:\s*(?:Error:\s*)?)?)/;

/**
 * "its XML is malformed (unclosed tag: cp:coreProperties)", or with the
 * part named, "its content.xml is malformed XML (…)". A parser's message
 * may end with what it found in the file ("unmatched closing tag: " and a
 * run of damaged bytes): that is kept only when it reads as a tag's name.
 * A rule given as a pattern ("version number must match /^1\.[0-9]+$/") is
 * said in words.
 */
export function malformedXml(parserMessage: string, part?: string): string {
  const [problem = '', found = ''] = parserMessage
    .split('\n')[0]!
    .trim()
    .split(/:\s*(.*)/s);
  const named = /^[\w.:-]{1,40}$/.test(found) ? `${problem}: ${found}` : problem;
  const detail = named.replace(/\s+must match\s+\/.*$/, ' is not valid').replace(/[.\s]+$/, '') || 'unreadable markup';
  return part ? `its ${part} is malformed XML (${detail})` : `its XML is malformed (${detail})`;
}
