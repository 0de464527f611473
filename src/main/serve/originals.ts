import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from '../core/api/dispatch';
import { sendText } from './responses';
import { ownEntry } from '../../shared/own-entry';

/** Types a browser shows itself; anything else is offered as a download. */
const SHOWN: Record<string, string> = {
  'application/pdf': 'application/pdf',
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
};

/**
 * `GET /api/original?document=<id>`: a local document's original file, so
 * browser mode can open what it found (a browser page cannot open local
 * files itself). Only documents the index holds are served, from the path
 * the core resolves (openTarget); the request carries an id, never a path.
 *
 * PDFs and images are shown inline (the PDF viewer honours `#page=N`);
 * text of any kind is shown as plain text, and anything shown runs under a
 * sandboxing CSP, so an HTML or SVG document cannot run script on Trove's
 * origin. Other formats are downloaded.
 */
export async function serveOriginal(
  req: IncomingMessage,
  res: ServerResponse,
  dispatcher: Dispatcher,
  documentId: string | null,
): Promise<void> {
  const target = await dispatcher.dispatch('openTarget', { documentId: documentId ?? '' });
  if (!target.ok) return sendText(res, target.error.code === 'VALIDATION' ? 400 : 404, target.error.message);
  const value = target.value as { kind: string; path?: string; exists?: boolean; mimeType?: string | null };
  if (value.kind !== 'file' || !value.path || !value.exists) {
    return sendText(res, 404, 'The original file is not on this computer any more.');
  }
  const info = await stat(value.path).catch(() => null);
  if (!info?.isFile()) return sendText(res, 404, 'The original file is not on this computer any more.');
  const mime = value.mimeType ?? '';
  const shown = ownEntry(SHOWN, mime) ?? (mime.startsWith('text/') ? 'text/plain; charset=utf-8' : null);
  const name = encodeURIComponent(basename(value.path));
  res.writeHead(200, {
    'Content-Type': shown ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'Content-Disposition': `${shown ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`,
    // Chromium's PDF viewer does not load in a sandboxed document; everything else is sandboxed.
    ...(shown === 'application/pdf'
      ? {}
      : { 'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'" }),
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(value.path), res);
}
