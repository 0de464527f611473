/** A zip entry as a local header (or the central directory) describes it. */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /**
   * The entry the cut went through: its data runs to the end of the bytes,
   * `compressedSize` is what is left of it, and `uncompressedSize` is 0 when
   * its header did not say.
   */
  cut?: boolean;
}

/**
 * The entries of a zip archive cut short, read from the local header each
 * entry starts with. A zip's table of contents (its central directory) is
 * written last, so an interrupted download or copy of a Word document,
 * workbook or e-book loses it first, while the parts written before the cut
 * are whole. Producers write the main part early (Word's document.xml, a
 * workbook's sheets before its pictures), so its text usually survives.
 *
 * Entries are read in order from the start of the file until the one the
 * cut went through (listed as `cut`, with the data that is left) or until
 * the bytes stop looking like a local header. An entry whose sizes follow
 * its data (general-purpose flag bit 3, as streaming writers do) is delimited
 * by its data descriptor: the `PK\x07\x08` signature followed by the
 * compressed size that matches the distance travelled, so a chance
 * signature inside compressed data is not taken for it.
 */
export function entriesFromLocalHeaders(bytes: Buffer, maxEntries: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = 0;
  while (entries.length <= maxEntries && at + 30 <= bytes.length && bytes.readUInt32LE(at) === LOCAL_HEADER) {
    const flags = bytes.readUInt16LE(at + 6);
    const nameLength = bytes.readUInt16LE(at + 26);
    const extraLength = bytes.readUInt16LE(at + 28);
    const dataStart = at + 30 + nameLength + extraLength;
    if (dataStart > bytes.length) break;
    const name = bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 30, at + 30 + nameLength);
    const sizes = zip64Sizes(bytes.subarray(at + 30 + nameLength, dataStart), {
      compressedSize: bytes.readUInt32LE(at + 18),
      uncompressedSize: bytes.readUInt32LE(at + 22),
    });
    const entry = { name, flags, method: bytes.readUInt16LE(at + 8), ...sizes, localHeaderOffset: at };
    let next: number;
    if (flags & 0x8) {
      const descriptor = findDescriptor(bytes, dataStart);
      if (!descriptor) {
        entries.push({ ...entry, compressedSize: bytes.length - dataStart, uncompressedSize: 0, cut: true });
        break;
      }
      Object.assign(entry, descriptor.sizes);
      next = descriptor.end;
    } else {
      next = dataStart + sizes.compressedSize;
    }
    if (dataStart + entry.compressedSize > bytes.length) {
      entries.push({ ...entry, compressedSize: bytes.length - dataStart, cut: true });
      break;
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}

/**
 * The bytes of an archive cut short up to the part the cut went through, so
 * that part reads as absent rather than as its beginning; undefined when no
 * part was cut (the cut fell between parts, or the archive is whole).
 */
export function beforeCutPart(bytes: Uint8Array, maxEntries: number): Uint8Array | undefined {
  const last = entriesFromLocalHeaders(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), maxEntries).at(
    -1,
  );
  return last?.cut ? bytes.subarray(0, last.localHeaderOffset) : undefined;
}

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;

interface Sizes {
  compressedSize: number;
  uncompressedSize: number;
}

/** The 64-bit sizes of a zip64 local header's extra field (id 1), where the fixed fields hold 0xFFFFFFFF. */
function zip64Sizes(extra: Buffer, sizes: Sizes): Sizes {
  for (let at = 0; at + 4 <= extra.length; at += 4 + extra.readUInt16LE(at + 2)) {
    if (extra.readUInt16LE(at) !== 0x0001 || extra.readUInt16LE(at + 2) < 16) continue;
    if (sizes.uncompressedSize === 0xffffffff) sizes.uncompressedSize = Number(extra.readBigUInt64LE(at + 4));
    if (sizes.compressedSize === 0xffffffff) sizes.compressedSize = Number(extra.readBigUInt64LE(at + 12));
  }
  return sizes;
}

/** The data descriptor after an entry's data starting at `dataStart`: its sizes and where the next header starts. */
function findDescriptor(bytes: Buffer, dataStart: number): { sizes: Sizes; end: number } | undefined {
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(DATA_DESCRIPTOR);
  for (let at = bytes.indexOf(signature, dataStart); at >= 0; at = bytes.indexOf(signature, at + 1)) {
    const travelled = at - dataStart;
    if (at + 16 <= bytes.length && bytes.readUInt32LE(at + 8) === travelled) {
      return { sizes: { compressedSize: travelled, uncompressedSize: bytes.readUInt32LE(at + 12) }, end: at + 16 };
    }
    if (at + 24 <= bytes.length && Number(bytes.readBigUInt64LE(at + 8)) === travelled) {
      return {
        sizes: { compressedSize: travelled, uncompressedSize: Number(bytes.readBigUInt64LE(at + 16)) },
        end: at + 24,
      };
    }
  }
  return undefined;
}
