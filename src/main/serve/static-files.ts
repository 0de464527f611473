import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Resolves a URL path inside `root`, refusing anything that escapes it.
 * Unknown paths without an extension fall back to index.html (client-side routes).
 */
export async function loadStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rootResolved = path.resolve(root);
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = path.resolve(rootResolved, relative);
  if (file !== rootResolved && !file.startsWith(rootResolved + path.sep)) return null;
  const found = await readIfFile(file);
  if (found) return { body: found, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' };
  if (path.extname(file) === '') {
    const index = await readIfFile(path.join(rootResolved, 'index.html'));
    if (index) return { body: index, contentType: CONTENT_TYPES['.html']! };
  }
  return null;
}

async function readIfFile(file: string): Promise<Buffer | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? await readFile(file) : null;
  } catch {
    return null;
  }
}
