import { constants, inflateSync } from 'node:zlib';
import { formatSize } from '../limits';
import { ParseFailure } from '../parse-failure';

/**
 * Checks, before pdfjs opens a PDF, that none of its Flate-compressed
 * streams decodes past `maxStreamBytes`. pdfjs decodes a stream into one
 * growing buffer outside the V8 heap, synchronously, so a 1 MB file whose
 * page content inflates to 1 GB would otherwise take gigabytes before any
 * time limit could act.
 *
 * The scan finds every `stream` keyword, reads the dictionary before it
 * (filters, direct /Length) and inflates the stream with zlib's
 * `maxOutputLength`, keeping nothing. Image streams are not checked: text
 * extraction never decodes them, and a large scan is a legitimate image.
 * Chains that start with FlateDecode are followed through every FlateDecode
 * stage; other filters (LZW, RunLength, ASCII85, ...) are not decoded here,
 * and streams the scan cannot delimit are left to pdfjs. What slips past is
 * bounded by the parser pool's memory watchdog instead.
 *
 * Throws ParseFailure `exceeds_limits`.
 */
export function checkStreamSizes(bytes: Uint8Array, maxStreamBytes: number): void {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = pdf.indexOf('stream', 0, 'latin1'); at >= 0; at = pdf.indexOf('stream', at + 6, 'latin1')) {
    const stream = streamAt(pdf, at);
    if (!stream) continue;
    let data: Buffer = pdf.subarray(stream.start, stream.end);
    for (let stage = 0; stage < stream.flateStages; stage++) {
      const decoded = inflateBounded(data, maxStreamBytes);
      if (!decoded) break;
      data = decoded;
    }
    at = stream.end;
  }
}

interface StreamSpan {
  start: number;
  end: number;
  /** How many FlateDecode filters the chain starts with. */
  flateStages: number;
}

const FLATE_NAMES = new Set(['FlateDecode', 'Fl']);
/** How far back from `stream` the object's dictionary is looked for. */
const DICTIONARY_WINDOW = 64 * 1024;

/** The stream whose `stream` keyword is at `at`, if it is one worth checking. */
function streamAt(pdf: Buffer, at: number): StreamSpan | undefined {
  if (at >= 3 && pdf.toString('latin1', at - 3, at) === 'end') return undefined; // "endstream"
  const eol = pdf[at + 6];
  if (eol !== 0x0a && eol !== 0x0d) return undefined; // a word like "streams" in text
  const start = eol === 0x0d && pdf[at + 7] === 0x0a ? at + 8 : at + 7;
  const dictionary = dictionaryBefore(pdf, at);
  if (/\/Subtype\s*\/Image\b/.test(dictionary)) return undefined;
  const flateStages = leadingFlateFilters(dictionary);
  if (flateStages === 0) return undefined;
  return { start, end: streamEnd(pdf, start, dictionary), flateStages };
}

/** The text between the object header (`5 0 obj`) and `stream`. */
function dictionaryBefore(pdf: Buffer, at: number): string {
  const from = Math.max(0, at - DICTIONARY_WINDOW);
  const objAt = pdf.lastIndexOf('obj', at, 'latin1');
  return pdf.toString('latin1', objAt >= from ? objAt + 3 : Math.max(from, at - 4096), at);
}

export function leadingFlateFilters(dictionary: string): number {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/[^\s/<>[\]()]+)/.exec(dictionary)?.[1];
  if (!filter) return 0;
  const names = [...filter.matchAll(/\/([^\s/<>[\]()]+)/g)].map((m) => m[1]!);
  let stages = 0;
  while (stages < names.length && FLATE_NAMES.has(names[stages]!)) stages++;
  return stages;
}

/** Where the data ends: the direct /Length when `endstream` follows it, else the next `endstream`. */
export function streamEnd(pdf: Buffer, start: number, dictionary: string): number {
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictionary)?.[1];
  if (length !== undefined) {
    const end = start + Number(length);
    let after = end;
    while (after < pdf.length && after < end + 4 && (pdf[after] === 0x0a || pdf[after] === 0x0d || pdf[after] === 0x20))
      after++;
    if (pdf.toString('latin1', after, after + 9) === 'endstream') return end;
  }
  const endstream = pdf.indexOf('endstream', start, 'latin1');
  return endstream < 0 ? pdf.length : endstream;
}

/** Inflates up to `max` bytes; throws past it; undefined when the data is not inflatable (pdfjs decides then). */
export function inflateBounded(data: Buffer, max: number): Buffer | undefined {
  try {
    // SYNC_FLUSH: a stream cut short still yields what it has, as pdfjs would read it.
    return inflateSync(data, { maxOutputLength: max, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ParseFailure(
        'exceeds_limits',
        `This PDF has a compressed stream that expands to more than ${formatSize(max)}; Trove stops there to protect your computer's memory, so it was not indexed. It may be a decompression bomb.`,
      );
    }
    return undefined;
  }
}
