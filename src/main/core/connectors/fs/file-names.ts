import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * File names as the file system gives them: bytes. On Linux a name need not
 * be valid UTF-8 (an archive from an old Latin-1 system, a camera's card);
 * Node decodes such a name with U+FFFD in place of the bad bytes, and the
 * decoded path then opens nothing, so the file used to vanish from a sync.
 *
 * A name that is valid UTF-8 is used as it is. Any other name is shown and
 * stored with each invalid byte escaped as `\xNN` (and a backslash as
 * `\x5C`, so the escaped form maps back to exactly one name), e.g.
 * `caf\xE9.txt`: stable across syncs, visible, and searchable by title. The
 * bytes themselves are kept as the path to open (`fsPath`).
 */

/** A path to hand to `fs`: a string for UTF-8 names, the raw bytes otherwise. */
export type FsPath = string | Buffer;

export interface DecodedName {
  /** The name, escaped when it is not valid UTF-8. */
  name: string;
  /** False when the name is not valid UTF-8 (and `name` is escaped). */
  valid: boolean;
}

const REPLACEMENT = '\uFFFD';

export function decodeFileName(bytes: Buffer): DecodedName {
  const text = bytes.toString('utf8');
  // Invalid bytes always decode to U+FFFD; a name without one is valid as is.
  if (!text.includes(REPLACEMENT) || Buffer.from(text, 'utf8').equals(bytes)) return { name: text, valid: true };
  return { name: escapeInvalidUtf8(bytes), valid: false };
}

function escapeInvalidUtf8(bytes: Buffer): string {
  let out = '';
  for (let at = 0; at < bytes.length;) {
    const length = utf8SequenceLength(bytes, at);
    if (length === 0) {
      out += `\\x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')}`;
      at++;
      continue;
    }
    const char = bytes.toString('utf8', at, at + length);
    out += char === '\\' ? '\\x5C' : char;
    at += length;
  }
  return out;
}

/** Length of the well-formed UTF-8 sequence starting at `at` (RFC 3629), or 0. */
function utf8SequenceLength(bytes: Buffer, at: number): number {
  const lead = bytes[at]!;
  if (lead < 0x80) return 1;
  const length =
    lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  for (let k = 1; k < length; k++) if ((bytes[at + k]! & 0xc0) !== 0x80) return 0;
  const second = bytes[at + 1]!;
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
  if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f)) return 0;
  if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) return 0;
  return length;
}

/** Joins a folder and a child name, staying in bytes when either is. */
export function joinFsPath(folder: FsPath, name: Buffer, decoded: DecodedName): FsPath {
  if (typeof folder === 'string' && decoded.valid)
    return folder.endsWith(sep) ? folder + decoded.name : folder + sep + decoded.name;
  const base = typeof folder === 'string' ? Buffer.from(folder, 'utf8') : folder;
  return Buffer.concat([base, Buffer.from(sep), name]);
}

/**
 * Maps a stored (escaped) path back to the path to open: segments with
 * `\xNN` escapes that decode to invalid UTF-8 become their bytes. A valid
 * name that merely contains `\x..` text is left alone.
 */
export function fsPathOf(shownPath: string): FsPath {
  if (!/\\x[0-9A-F]{2}/.test(shownPath)) return shownPath;
  const parts = shownPath.split(sep).map((segment) => {
    const bytes = unescapeName(segment);
    return decodeFileName(bytes).valid ? Buffer.from(segment, 'utf8') : bytes;
  });
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from(sep), part])));
}

function unescapeName(escaped: string): Buffer {
  const chunks: Buffer[] = [];
  let last = 0;
  for (const match of escaped.matchAll(/\\x([0-9A-F]{2})/g)) {
    chunks.push(Buffer.from(escaped.slice(last, match.index), 'utf8'), Buffer.from([Number.parseInt(match[1]!, 16)]));
    last = match.index + match[0].length;
  }
  chunks.push(Buffer.from(escaped.slice(last), 'utf8'));
  return Buffer.concat(chunks);
}

/** `file:///...` for a path, correctly escaped; a byte path keeps its bytes (%E9), as file URLs do. */
export function fileUrl(path: FsPath): string {
  if (typeof path === 'string') return pathToFileURL(path).href;
  let url = 'file://';
  for (const byte of path) {
    const char = String.fromCharCode(byte);
    url += /[A-Za-z0-9\-._~/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return url;
}
