import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Result } from '../../shared/contract';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../core/private-files';

/** Control characters and the characters Windows forbids in file names. */
// eslint-disable-next-line no-control-regex
const UNSAFE_FILE_NAME_CHARS = /[\u0000-\u001f\u007f<>:"|?*]/g;

/** A file name safe to create anywhere: no folders, no control characters, not hidden. */
export function safeFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE_FILE_NAME_CHARS, '_').replace(/^\.+/, '').trim().slice(0, 200);
  return cleaned.length > 0 ? cleaned : null;
}

/**
 * Streams one uploaded file to `<uploadDir>/<batch>/<name>`. A batch groups
 * the files of one drop; its id comes from the client and must be a plain
 * token so it cannot climb out of the upload folder.
 */
export async function saveUpload(
  req: IncomingMessage,
  params: { uploadDir: string; batch: string; name: string; maxBytes: number },
): Promise<Result<{ path: string }>> {
  const fileName = safeFileName(params.name);
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(params.batch) || !fileName) {
    req.resume();
    return {
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'The upload needs a batch id (8-64 letters, digits, - or _) and a file name.',
      },
    };
  }
  const folder = path.join(path.resolve(params.uploadDir), params.batch);
  await mkdirPrivate(folder);
  const target = path.join(folder, fileName);
  let size = 0;
  const writing = new Promise<boolean>((resolve, reject) => {
    const out = createWriteStream(target, { mode: PRIVATE_FILE_MODE });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > params.maxBytes) {
        req.unpipe(out);
        req.resume();
        out.destroy();
        resolve(false);
      }
    });
    req.pipe(out);
    out.on('finish', () => resolve(true));
    out.on('error', reject);
    req.on('error', reject);
  });
  // A half-written file (the disk filled up, the browser went away mid-upload) must not be
  // left behind to take space or be imported later.
  const written = await writing.catch(async (error: unknown) => {
    await rm(target, { force: true });
    throw error;
  });
  if (!written) {
    await rm(target, { force: true });
    return {
      ok: false,
      error: {
        code: 'VALIDATION',
        message: `${fileName} is larger than the ${Math.round(params.maxBytes / 1024 / 1024)} MB upload limit.`,
      },
    };
  }
  return { ok: true, value: { path: target } };
}
