import { DEFAULT_MAX_BYTES } from '../../ingest/parse';
import { formatSize, overSizeReason } from './size';

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
