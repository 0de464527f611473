import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../private-files';

export interface DownloadProgress {
  /** Path inside the repository, e.g. `onnx/model_quantized.onnx`. */
  file: string;
  receivedBytes: number;
  /** Null when the server did not say how big the file is. */
  totalBytes: number | null;
  /** 0-based position of this file in the manifest, and how many files there are. */
  fileIndex: number;
  fileCount: number;
}

export interface DownloadFileOptions {
  url: string;
  /** Where the bytes accumulate; kept on failure so the next attempt resumes. */
  partialPath: string;
  /** Shown in progress events and error messages. */
  file: string;
  fetch: typeof globalThis.fetch;
  signal?: AbortSignal;
  onProgress?: (bytes: { receivedBytes: number; totalBytes: number | null }) => void;
  /** Minimum time between progress events, ms. Default 100. */
  progressIntervalMs?: number;
}

async function hashExisting(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

function contentRangeStart(header: string | null): { start: number; total: number | null } | null {
  const match = header ? /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

function cancelled(cause?: unknown): AppError {
  return new AppError('CANCELLED', 'The model download was cancelled. Start it again to resume.', { cause });
}

/**
 * Downloads one file into `partialPath`, resuming from the bytes already
 * there when the server honours a Range request. Checks that the number of
 * bytes matches what the server announced (Content-Length / Content-Range).
 * Returns the final size and sha256 of the complete partial file; the caller
 * verifies and renames it into place.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<{ size: number; sha256: string }> {
  const { file, signal } = options;
  if (signal?.aborted) throw cancelled();
  await mkdirPrivate(path.dirname(options.partialPath));
  const already = (await stat(options.partialPath).catch(() => null))?.size ?? 0;

  let response: Response;
  try {
    response = await options.fetch(options.url, {
      headers: already > 0 ? { Range: `bytes=${already}-` } : {},
      signal,
      redirect: 'follow',
    });
  } catch (err) {
    if (signal?.aborted) throw cancelled(err);
    throw new AppError(
      'UNAVAILABLE',
      `Could not reach the model hub to download ${file}. Check your internet connection and try again.`,
      {
        cause: err,
      },
    );
  }

  if (response.status === 416 && already > 0) {
    // Our partial file is not a prefix the server recognises: start over.
    await response.body?.cancel();
    await unlink(options.partialPath);
    return downloadFile(options);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new AppError(
      'NOT_FOUND',
      `The model hub has no file ${file} at this revision (HTTP 404). The model listing may be out of date.`,
      {
        details: { file, status: 404 },
      },
    );
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new AppError('UNAVAILABLE', `The model hub answered HTTP ${response.status} for ${file}. Try again later.`, {
      details: { file, status: response.status },
    });
  }

  const hash = createHash('sha256');
  let received = 0;
  let total: number | null;
  let flags: 'a' | 'w';
  const range = response.status === 206 ? contentRangeStart(response.headers.get('content-range')) : null;
  if (range && range.start === already) {
    await hashExisting(options.partialPath, hash);
    received = already;
    total = range.total;
    flags = 'a';
  } else {
    const length = response.headers.get('content-length');
    total = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    flags = 'w';
  }

  const interval = options.progressIntervalMs ?? 100;
  let lastReport = 0;
  const report = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastReport < interval) return;
    lastReport = now;
    options.onProgress?.({ receivedBytes: received, totalBytes: total });
  };
  report(true);

  const handle = await open(options.partialPath, flags, PRIVATE_FILE_MODE);
  try {
    const reader = response.body.getReader();
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal?.aborted) throw cancelled(err);
        throw new AppError(
          'UNAVAILABLE',
          `The download of ${file} was interrupted after ${received} of ${total ?? 'unknown'} bytes. Try again; it resumes where it stopped.`,
          { cause: err, details: { file, receivedBytes: received, totalBytes: total } },
        );
      }
      if (chunk.done) break;
      await handle.write(chunk.value);
      hash.update(chunk.value);
      received += chunk.value.byteLength;
      if (total !== null && received > total) break;
      report(false);
    }
  } finally {
    await handle.close();
  }
  if (signal?.aborted) throw cancelled();

  if (total !== null && received !== total) {
    // More than announced means the partial file is garbage; fewer can resume.
    if (received > total) await unlink(options.partialPath).catch(() => undefined);
    throw new AppError(
      'UNAVAILABLE',
      `The download of ${file} was incomplete (${received} of ${total} bytes). Try again; it resumes where it stopped.`,
      { details: { file, receivedBytes: received, totalBytes: total } },
    );
  }
  report(true);
  return { size: received, sha256: hash.digest('hex') };
}
