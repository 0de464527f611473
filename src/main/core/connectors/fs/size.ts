const KB = 1024;
const MB = 1024 * 1024;

/**
 * A size for people: `50.0 MB`, `1.5 KB`, `12 bytes`. With `exact`, a whole
 * number drops its decimal (`25 MB`), which reads better for limits.
 */
export function formatSize(bytes: number, options: { exact?: boolean } = {}): string {
  const [value, unit] = bytes >= MB ? [bytes / MB, 'MB'] : bytes >= KB ? [bytes / KB, 'KB'] : [bytes, 'bytes'];
  if (unit === 'bytes') return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const text = options.exact && Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${unit}`;
}

/** The skip reason for a file over the limit, e.g. "File is 50.0 MB, over the 25 MB limit set for this folder." */
export function overSizeReason(sizeBytes: number, limitBytes: number, where: string): string {
  return `File is ${formatSize(sizeBytes)}, over the ${formatSize(limitBytes, { exact: true })} limit set for ${where}.`;
}
