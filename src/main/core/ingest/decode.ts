import { legacyEncodingOf } from './legacy-encoding';

/**
 * Bytes to text, and the binary sniff that decides whether bytes are text
 * at all.
 */

const SNIFF_BYTES = 8192;
/** Share of control bytes above which a file is treated as binary. */
const MAX_CONTROL_RATIO = 0.1;

/** True when the start of the file looks like binary data rather than text. */
export function looksBinary(bytes: Uint8Array): boolean {
  if (hasUtf16Bom(bytes)) return false;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (sample.length === 0) return false;
  let control = 0;
  // An indexed loop: the array iterator was a third of a second over 10,000 files.
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i]!;
    if (byte === 0) return true;
    // Tab, LF, VT, FF, CR and ESC (ANSI colours in logs) are normal in text.
    if (
      byte < 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0b &&
      byte !== 0x0c &&
      byte !== 0x0d &&
      byte !== 0x1b
    ) {
      control++;
    }
  }
  return control / sample.length > MAX_CONTROL_RATIO;
}

/**
 * Decodes text files: UTF-8 (with or without BOM), UTF-16 with a BOM, and,
 * when the bytes are not valid UTF-8, the encoding the file declares
 * (`declared`: an HTML page's meta charset) or, failing that, the one its
 * bytes show (legacy-encoding.ts): Windows-1252 for most legacy "ANSI"
 * files, GBK, Shift_JIS or Windows-1251 for others. Valid UTF-8 wins over a
 * declaration, as a page saved again by a UTF-8 editor keeps its old meta
 * tag, while legacy text is almost never valid UTF-8 by chance.
 */
export function decodeText(bytes: Uint8Array, declared?: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return decodeAs(bytes, declared ?? legacyEncodingOf(bytes));
  }
}

/**
 * Bytes in a legacy encoding (a WHATWG label) to text. Node 20 decodes
 * Windows-1252, and the labels the Encoding standard maps to it ("latin1",
 * "iso-8859-1", "ascii"), as ISO-8859-1: bytes 0x80-0x9F came out as
 * control characters, not as the curly quotes, dashes and euro sign of
 * every "ANSI" file written on Windows ("It’s" became "It\u0092s", then
 * "Its"). Those bytes are mapped here as the standard maps them; on a Node
 * that decodes them itself, nothing is left to map.
 */
export function decodeAs(bytes: Uint8Array, label: string): string {
  const decoder = new TextDecoder(label);
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH_CONTROLS[c.charCodeAt(0) - 0x80]!);
}

/** What Windows-1252 has at 0x80-0x9F; the five it leaves undefined stay the control they are in ISO-8859-1. */
const WINDOWS_1252_HIGH_CONTROLS = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}
