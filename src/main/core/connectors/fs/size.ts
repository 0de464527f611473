const KB = 1024;
const MB = 1024 * 1024;

/**
 * A size for people: `50.0 MB`, `1.5 KB`, `12 bytes`. With `exact`, a whole
 * number drops its decimal (`25 MB`), which reads better for limits: the
 * largest unit giving a whole number is used (`2000 MB`, not `2.0 GB`).
 * Sizes from 1 GB are shown in GB (`1.0 GB`).
 */
export function formatSize(bytes: number, options: { exact?: boolean } = {}): string {
  if (bytes < KB) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units: Array<[number, string]> = [
    [1024 * MB, 'GB'],
    [MB, 'MB'],
    [KB, 'KB'],
  ];
  const whole = options.exact && units.find(([size]) => bytes >= size && Number.isInteger(bytes / size));
  if (whole) return `${bytes / whole[0]} ${whole[1]}`;
  const [size, unit] = units.find(([candidate]) => bytes >= candidate)!;
  return `${(bytes / size).toFixed(1)} ${unit}`;
}

/** The skip reason for a file over the limit, e.g. "File is 50.0 MB, over the 25 MB limit set for this folder." */
export function overSizeReason(sizeBytes: number, limitBytes: number, where: string): string {
  return `File is ${formatSize(sizeBytes)}, over the ${formatSize(limitBytes, { exact: true })} limit set for ${where}.`;
}
