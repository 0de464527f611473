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
 * when the bytes are not valid UTF-8, Windows-1252, which is what most
 * legacy "ANSI" text files are.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}
