import { constants, inflateRawSync } from 'node:zlib';
import { formatSize, type ZipLimits } from './limits';
import { ParseFailure, shortParserReason, unreadableAs } from './parse-failure';
import { entriesFromLocalHeaders, type ZipEntry } from './zip-local-headers';

/**
 * Reads a zip archive held in memory (DOCX today; every zip-based format
 * Trove learns should open its file through this) without letting it expand
 * past `ZipLimits`:
 *
 * - from the central directory (or, in an archive cut short before it, from
 *   the entries' local headers: zip-local-headers.ts), before anything is
 *   inflated: the entry
 *   count, and for each entry read, its declared size, its expansion ratio
 *   and the running total;
 * - while inflating: zlib's `maxOutputLength` stops an entry at its declared
 *   size, so an archive that lies about sizes is caught after producing at
 *   most what it declared (which the limits already accepted).
 *
 * Entries are inflated only when read, so a DOCX full of photos costs
 * nothing for the photos. Zip64 records are understood; encrypted entries
 * and methods other than stored/deflate are refused.
 */
export class BoundedZip {
  private readonly entries = new Map<string, ZipEntry>();
  private bytesRead = 0;

  private constructor(
    private readonly bytes: Buffer,
    private readonly what: string,
    private readonly limits: ZipLimits,
  ) {}

  /**
   * Reads the central directory. Throws ParseFailure: `corrupt` when the
   * bytes are not a zip archive, `exceeds_limits` when it lists too many
   * entries. `what` names the format in messages, e.g. "Word document".
   */
  static open(bytes: Uint8Array, what: string, limits: ZipLimits): BoundedZip {
    const zip = new BoundedZip(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), what, limits);
    zip.readDirectory();
    return zip;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Bytes inflated so far, all entries together. */
  get totalRead(): number {
    return this.bytesRead;
  }

  /**
   * Inflates one entry. Throws ParseFailure `exceeds_limits` when its
   * declared size, ratio or the archive's running total is over a limit, or
   * when it inflates past its declared size; `corrupt` when it is missing
   * or damaged; `unsupported_type` when it is encrypted.
   */
  read(name: string): Buffer {
    const entry = this.entries.get(name);
    if (!entry) throw this.corrupt(`it has no part named ${name}`);
    if (entry.flags & 0x1) {
      throw new ParseFailure(
        'unsupported_type',
        `This ${this.what} is encrypted (password-protected); remove the password to let Trove index it.`,
      );
    }
    this.checkDeclared(entry);
    const data = this.entryData(entry);
    let output: Buffer;
    if (entry.method === 0) {
      if (data.length !== entry.uncompressedSize && !entry.cut) throw this.corrupt(`${name} has the wrong size`);
      output = Buffer.from(data);
    } else if (entry.method === 8) {
      output = this.inflate(entry, data);
    } else {
      throw this.corrupt(`${name} uses compression method ${entry.method}, which Trove does not read`);
    }
    this.bytesRead += output.length;
    return output;
  }

  private checkDeclared(entry: ZipEntry): void {
    const { maxEntryBytes, maxTotalBytes, maxRatio, ratioFloorBytes } = this.limits;
    const size = entry.uncompressedSize;
    if (size > maxEntryBytes) {
      throw this.overLimit(
        `This ${this.what} expands to ${formatSize(size)} when unzipped (${entry.name}); Trove unzips at most ${formatSize(maxEntryBytes)} per part, so it was not read. It may be a decompression bomb.`,
      );
    }
    const ratio = size / Math.max(1, entry.compressedSize);
    if (size > ratioFloorBytes && ratio > maxRatio) {
      throw this.overLimit(
        `This ${this.what} expands to ${formatSize(size)} when unzipped from ${formatSize(entry.compressedSize)} (${entry.name}, ${Math.round(ratio)} to 1); real documents compress far less, so Trove did not unzip it. It may be a decompression bomb.`,
      );
    }
    if (this.bytesRead + size > maxTotalBytes) {
      throw this.overLimit(
        `This ${this.what} expands to more than ${formatSize(maxTotalBytes)} when unzipped; Trove stops there, so it was not read.`,
      );
    }
  }

  /** Whether a part is the one a cut went through: read, it gives what comes before the cut. */
  isCut(name: string): boolean {
    return this.entries.get(name)?.cut === true;
  }

  private inflate(entry: ZipEntry, data: Buffer): Buffer {
    // Never more than declared: the limits were checked against that figure. A part cut short gives what
    // it holds (SYNC_FLUSH), at most what it declared or, when it did not say, what the limits leave.
    const undeclared = entry.cut === true && entry.uncompressedSize === 0;
    const max = undeclared
      ? Math.min(this.limits.maxEntryBytes, this.limits.maxTotalBytes - this.bytesRead)
      : entry.uncompressedSize;
    try {
      return inflateRawSync(data, {
        maxOutputLength: Math.max(1, max),
        ...(entry.cut ? { finishFlush: constants.Z_SYNC_FLUSH } : {}),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw this.overLimit(
          undeclared
            ? `This ${this.what} expands to more than ${formatSize(max)} when unzipped (${entry.name}); Trove stops there, so it was not read. It may be a decompression bomb.`
            : `This ${this.what} expands to more than its declared ${formatSize(entry.uncompressedSize)} when unzipped (${entry.name}): it is damaged or built to exhaust memory, so Trove stopped.`,
        );
      }
      throw this.corrupt(`${entry.name} cannot be unzipped (${shortParserReason(error)})`);
    }
  }

  private entryData(entry: ZipEntry): Buffer {
    const at = entry.localHeaderOffset;
    if (at + 30 > this.bytes.length || this.bytes.readUInt32LE(at) !== LOCAL_HEADER) {
      throw this.corrupt(`the header of ${entry.name} is missing`);
    }
    const start = at + 30 + this.bytes.readUInt16LE(at + 26) + this.bytes.readUInt16LE(at + 28);
    const end = start + entry.compressedSize;
    if (end > this.bytes.length) throw this.corrupt(`${entry.name} is cut short`);
    return this.bytes.subarray(start, end);
  }

  private readDirectory(): void {
    const end = endOfDirectoryAt(this.bytes);
    if (end < 0) {
      this.readLocalHeaders();
      return;
    }
    let count = this.bytes.readUInt16LE(end + 10);
    let size = this.bytes.readUInt32LE(end + 12);
    let offset = this.bytes.readUInt32LE(end + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      ({ count, size, offset } = this.readZip64End(end));
    }
    if (count > this.limits.maxEntries) throw this.tooManyEntries(count);
    if (offset + size > this.bytes.length) throw this.corrupt('its table of contents is cut short');
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (at + 46 > this.bytes.length || this.bytes.readUInt32LE(at) !== CENTRAL_HEADER) {
        throw this.corrupt('its table of contents is damaged');
      }
      const entry = this.readCentralEntry(at);
      // The first of duplicate names wins, as in most readers.
      if (!this.entries.has(entry.name)) this.entries.set(entry.name, entry);
      at = entry.nextHeader;
    }
  }

  private readCentralEntry(at: number): ZipEntry & { nextHeader: number } {
    const b = this.bytes;
    const flags = b.readUInt16LE(at + 8);
    const nameLength = b.readUInt16LE(at + 28);
    const extraLength = b.readUInt16LE(at + 30);
    const commentLength = b.readUInt16LE(at + 32);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > b.length) throw this.corrupt('its table of contents is cut short');
    const name = b.toString(flags & 0x800 ? 'utf8' : 'latin1', nameStart, nameStart + nameLength);
    const sizes = {
      uncompressedSize: b.readUInt32LE(at + 24),
      compressedSize: b.readUInt32LE(at + 20),
      localHeaderOffset: b.readUInt32LE(at + 42),
    };
    const extra = b.subarray(nameStart + nameLength, nameStart + nameLength + extraLength);
    readZip64Extra(extra, sizes);
    return {
      name,
      flags,
      method: b.readUInt16LE(at + 10),
      ...sizes,
      nextHeader: nameStart + nameLength + extraLength + commentLength,
    };
  }

  /** An archive cut short before its table of contents: the entries written before the cut, if any. */
  private readLocalHeaders(): void {
    const found = entriesFromLocalHeaders(this.bytes, this.limits.maxEntries);
    if (found.length === 0) throw this.corrupt('it is not a zip archive');
    if (found.length > this.limits.maxEntries) throw this.tooManyEntries(found.length);
    for (const entry of found) if (!this.entries.has(entry.name)) this.entries.set(entry.name, entry);
  }

  private readZip64End(end: number): { count: number; size: number; offset: number } {
    const b = this.bytes;
    const locator = end - 20;
    if (locator < 0 || b.readUInt32LE(locator) !== ZIP64_LOCATOR) throw this.corrupt('its zip64 records are missing');
    const record = safeNumber(b.readBigUInt64LE(locator + 8));
    if (record + 56 > b.length || b.readUInt32LE(record) !== ZIP64_END)
      throw this.corrupt('its zip64 records are damaged');
    return {
      count: safeNumber(b.readBigUInt64LE(record + 32)),
      size: safeNumber(b.readBigUInt64LE(record + 40)),
      offset: safeNumber(b.readBigUInt64LE(record + 48)),
    };
  }

  private tooManyEntries(count: number): ParseFailure {
    return this.overLimit(
      `This ${this.what} lists ${count.toLocaleString('en')} parts; Trove opens archives of up to ${this.limits.maxEntries.toLocaleString('en')} parts, so it was not read.`,
    );
  }

  private corrupt(detail: string): ParseFailure {
    return unreadableAs(this.what, detail);
  }

  private overLimit(message: string): ParseFailure {
    return new ParseFailure('exceeds_limits', message);
  }
}

/**
 * Where the end-of-central-directory record starts, or -1 when the archive
 * has none (it is cut short, or not a zip). It is in the last 64 KB + 22
 * bytes (its comment is at most 64 KB).
 */
export function endOfDirectoryAt(b: Buffer): number {
  const lowest = Math.max(0, b.length - 22 - 0xffff);
  for (let at = b.length - 22; at >= lowest; at--) {
    if (b.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  return -1;
}

/** Whether the bytes start as a zip archive but end before its table of contents: a zip cut short. */
export function zipCutShort(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.length >= 30 && b.readUInt32LE(0) === LOCAL_HEADER && endOfDirectoryAt(b) < 0;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;

/**
 * The zip64 extra field (id 1) holds, in this order, the 64-bit values of
 * whichever of uncompressed size, compressed size and offset were written
 * as 0xFFFFFFFF in the fixed header.
 */
function readZip64Extra(
  extra: Buffer,
  sizes: { uncompressedSize: number; compressedSize: number; localHeaderOffset: number },
): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        if (field + 8 > at + 4 + length) return 0xffffffff;
        const value = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (sizes.uncompressedSize === 0xffffffff) sizes.uncompressedSize = next();
      if (sizes.compressedSize === 0xffffffff) sizes.compressedSize = next();
      if (sizes.localHeaderOffset === 0xffffffff) sizes.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

/** 64-bit zip fields as numbers; anything past 2^53 is beyond any file we hold in memory. */
function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
