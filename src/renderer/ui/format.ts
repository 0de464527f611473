/** Small formatting helpers; pure so they are easy to trust. */

/**
 * Decimal units (1 MB = 1,000,000 bytes), as file managers on Linux and macOS
 * and the model sizes in Trove's own descriptions use, so one size never
 * reads as two. A non-breaking space keeps "2.7 MB" on one line.
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)}\u00a0${units[unit]}`;
}

export { formatCount, plural } from '../../shared/counted';

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function formatRelative(timestamp: number | null | undefined, now = Date.now()): string {
  if (!timestamp) return 'never';
  const diff = Math.round((now - timestamp) / 1000);
  if (diff < 5) return 'just now';
  if (diff < 60) return `${diff} s ago`;
  if (diff < 3600) return `${Math.floor(diff / 60)} min ago`;
  if (diff < 86_400) return `${Math.floor(diff / 3600)} h ago`;
  return new Date(timestamp).toLocaleDateString();
}

export function formatDateTime(timestamp: number | null | undefined): string {
  return timestamp ? new Date(timestamp).toLocaleString() : '—';
}

/**
 * "Dec 4, 11:40 PM", with the year when it is not this year's: a table
 * column half as wide as formatDateTime's, which its cell's title keeps.
 */
export function formatShortDateTime(timestamp: number | null | undefined, now = Date.now()): string {
  if (!timestamp) return '—';
  const date = new Date(timestamp);
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() === new Date(now).getFullYear() ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  });
}
