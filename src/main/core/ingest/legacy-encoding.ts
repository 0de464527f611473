import { analyse } from 'chardet';

/**
 * Which encoding a text file that is not UTF-8 was written in. Before this,
 * every such file was read as Windows-1252, right for the "ANSI" files of
 * Western Europe and the Americas and wrong for the rest: a Chinese text
 * file saved as GBK, a Japanese page in Shift_JIS or a Russian note in
 * Windows-1251 became a screen of accented Latin letters that no search
 * could find.
 *
 * chardet (ICU's detector) scores the bytes against each encoding's byte
 * and letter statistics. Its verdict is taken with care, because a wrong
 * guess is worse than Windows-1252 for the files that are Windows-1252:
 *
 * - an East Asian multi-byte encoding is taken when chardet is sure of it
 *   (their byte pairs leave little doubt once there are a few dozen);
 * - a text whose words are made only of bytes above ASCII is in another
 *   script (Cyrillic, Greek, Hebrew, Arabic): Latin scripts accent a letter
 *   or two of a word, never all of them. Its best non-Latin candidate that
 *   reads those bytes as letters is taken, even when the ASCII around it
 *   (markup, English) made chardet rank Latin-1 first, and even when the
 *   text is short: a two-word Russian note is no Western text;
 * - otherwise chardet's first guess is taken when it is not Latin-1, it has
 *   some confidence, and there are enough bytes above ASCII to judge by
 *   (short texts were read as Latin-2 or Hebrew: "naïve café").
 */
export function legacyEncodingOf(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const high = highBytes(sample);
  if (high === 0) return FALLBACK;
  const candidates = analyse(sample).filter((match) => decodable(match.name));
  const [first] = candidates;
  if (!first) return FALLBACK;
  // Decoding the sample once per candidate costs a few milliseconds: only when no surer answer came first.
  const script = (): string | undefined =>
    wholeWordsAboveAscii(sample) >= MOSTLY ? otherScript(sample, candidates) : undefined;
  if (high < MIN_HIGH_BYTES) return script() ?? FALLBACK;
  if (EAST_ASIAN.has(first.name) && first.confidence >= SURE) return first.name;
  return script() ?? (WESTERN.has(first.name) || first.confidence < SOME ? FALLBACK : first.name);
}

/** chardet's best encoding of a script other than Latin that reads the bytes above ASCII as letters. */
function otherScript(sample: Uint8Array, candidates: ReturnType<typeof analyse>): string | undefined {
  return candidates.find(
    (match) => !LATIN.has(match.name) && !EAST_ASIAN.has(match.name) && readsAsLetters(sample, match.name),
  )?.name;
}

/**
 * Whether nearly every character `encoding` makes of the bytes above ASCII
 * is a letter: Greek read as ISO-8859-6 (Arabic) falls on its unassigned
 * bytes and on punctuation, Greek read as ISO-8859-7 does not.
 */
function readsAsLetters(sample: Uint8Array, encoding: string): boolean {
  const text = new TextDecoder(encoding).decode(sample);
  let above = 0;
  let letters = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) continue;
    above++;
    if (LETTER.test(char)) letters++;
  }
  return above > 0 && letters / above >= LETTERS;
}

/**
 * The encoding an HTML page declares in its first 1,024 bytes, where the
 * HTML standard has browsers look: `<meta charset="shift_jis">`, the older
 * `<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">`,
 * or an XHTML page's `<?xml … encoding="…"?>`. Undefined when it declares
 * none or one Node cannot decode. A UTF-16 label is ignored, as browsers
 * ignore it: a page read this way is bytes of an ASCII-compatible encoding.
 */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const label =
    /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1] ??
    /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
  if (!label || /^utf-?16/i.test(label) || !decodable(label)) return undefined;
  return label;
}

/** Read as this when nothing better is known: what most legacy "ANSI" text files are. */
const FALLBACK = 'windows-1252';
/** Bytes read to decide (about 5 ms): an encoding shows itself within a page or two. */
const SAMPLE_BYTES = 32 * 1024;
/** Bytes above ASCII below which there is too little to judge by. */
const MIN_HIGH_BYTES = 32;
/** chardet's confidence (0-100) at which an East Asian encoding is certain. */
const SURE = 50;
/** chardet's confidence below which its first guess is not taken. */
const SOME = 20;
/** Share of the characters above ASCII that must be letters for an encoding to read a script. */
const LETTERS = 0.9;
const LETTER = /[\p{L}\p{M}]/u;
/** Share of words with bytes above ASCII that are made only of them, past which the script is not Latin. */
const MOSTLY = 0.5;

const EAST_ASIAN = new Set(['Shift_JIS', 'EUC-JP', 'EUC-KR', 'GB18030', 'Big5']);
/** chardet's names for what FALLBACK reads: Western European text, or text with nothing above ASCII. */
const WESTERN = new Set(['ASCII', 'UTF-8', 'ISO-8859-1', 'windows-1252']);
/** Encodings of Latin scripts (and chardet's names for text with nothing above ASCII). */
const LATIN = new Set([
  'ASCII',
  'UTF-8',
  'ISO-8859-1',
  'ISO-8859-2',
  'ISO-8859-9',
  'windows-1250',
  'windows-1252',
  'windows-1254',
  'windows-1257',
  'windows-1258',
]);

function decodable(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

function highBytes(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) count++;
  return count;
}

/**
 * Of the words holding bytes above ASCII, the share made only of them (two
 * or more; a one-letter word such as French "à" says nothing). A word is a
 * run of ASCII letters and bytes above ASCII.
 */
function wholeWordsAboveAscii(bytes: Uint8Array): number {
  let words = 0;
  let whole = 0;
  let high = 0;
  let ascii = 0;
  const endWord = (): void => {
    if (high > 0) {
      words++;
      if (high >= 2 && ascii === 0) whole++;
    }
    high = 0;
    ascii = 0;
  };
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) high++;
    else if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) ascii++;
    else endWord();
  }
  endWord();
  return words === 0 ? 0 : whole / words;
}
