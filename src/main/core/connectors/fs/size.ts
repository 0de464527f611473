import { DEFAULT_MAX_BYTES } from '../../ingest/parse';

const KB = 1024;
const MB = 1024 * 1024;
const GB = 1024 * MB;

/** 25 MB: large enough for long PDFs and DOCX files, small enough to keep parsing snappy. */
export const DEFAULT_MAX_FILE_SIZE_BYTES = 25 * MB;

const UNITS: Array<[number, string]> = [
  [GB, 'GB'],
  [MB, 'MB'],
  [KB, 'KB'],
];

/**
 * A size for people: `1.5 GB`, `50.0 MB`, `1.5 KB`, `12 bytes`. With `exact`
 * (for limits a person set), the largest unit that gives a whole number is
 * used without a decimal: `25 MB`, `2000 MB` rather than `2.0 GB`.
 */
export function formatSize(bytes: number, options: { exact?: boolean } = {}): string {
  if (bytes < KB) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (options.exact) {
    const whole = UNITS.find(([size]) => bytes >= size && Number.isInteger(bytes / size));
    if (whole) return `${bytes / whole[0]} ${whole[1]}`;
  }
  const [size, unit] = UNITS.find(([candidate]) => bytes >= candidate)!;
  return `${(bytes / size).toFixed(1)} ${unit}`;
}

/** The skip reason for a file over the limit, e.g. "File is 50.0 MB, over the 25 MB limit set for this folder." */
export function overSizeReason(sizeBytes: number, limitBytes: number, where: string): string {
  return `File is ${formatSize(sizeBytes)}, over the ${formatSize(limitBytes, { exact: true })} limit set for ${where}.`;
}

/** A size limit applied from a file's stat, before anything is read. */
export interface SizeLimit {
  bytes: number;
  /** The skip reason for a file of `size` bytes. */
  reason(size: number): string;
}

/**
 * The limit a local connector applies: the one set for the folder or the
 * imports, but never above what the parsers accept (`DEFAULT_MAX_BYTES`),
 * since a file the parser would refuse must not be read just to find out.
 */
export function fileSizeLimit(settingBytes: number, where: string): SizeLimit {
  if (settingBytes <= DEFAULT_MAX_BYTES) {
    return { bytes: settingBytes, reason: (size) => overSizeReason(size, settingBytes, where) };
  }
  return {
    bytes: DEFAULT_MAX_BYTES,
    reason: (size) =>
      `File is ${formatSize(size)}, over the ${formatSize(DEFAULT_MAX_BYTES, { exact: true })} Trove reads from any one file (the limit set for ${where} is ${formatSize(settingBytes, { exact: true })}).`,
  };
}
