/** Path helpers shared by drop, paste and open; pure, so they are unit-tested under Node. */

/** A plain path from a file:// URL (POSIX or Windows drive) or a path as is. */
export function localPath(source: string): string {
  if (!source.startsWith('file://')) return source;
  const pathname = decodeURIComponent(new URL(source).pathname);
  return /^\/[A-Za-z]:\//.test(pathname) ? pathname.slice(1) : pathname;
}

/** Absolute (or `~/…`) paths from a uri-list or pasted text, one per line; comments and other schemes dropped. */
export function pathsFromText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => localPath(line))
    .filter((line) => line.startsWith('/') || /^[A-Za-z]:[\\/]/.test(line) || line === '~' || line.startsWith('~/'));
}
