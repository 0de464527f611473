import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from '../private-files';

/**
 * What was verified when a model was downloaded: the size and sha256 of each
 * file. Stored as `verified.json` in the model folder and re-checked before
 * every load, so a truncated or tampered file is reported, never loaded.
 */
export interface VerifiedRecord {
  id: string;
  repo: string;
  revision: string;
  verifiedAt: string;
  files: Record<string, { size: number; sha256: string }>;
}

export const VERIFIED_FILE = 'verified.json';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readVerifiedRecord(modelDir: string): Promise<VerifiedRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(path.join(modelDir, VERIFIED_FILE), 'utf8')) as VerifiedRecord;
    return parsed && typeof parsed.files === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

/** Written through a temp file and a rename, so a crash never leaves half a record. */
export async function writeVerifiedRecord(modelDir: string, record: VerifiedRecord): Promise<void> {
  const target = path.join(modelDir, VERIFIED_FILE);
  const temp = `${target}.tmp`;
  await writeFile(temp, JSON.stringify(record, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
  await rename(temp, target);
}

export type FileCheck = { file: string; ok: true } | { file: string; ok: false; problem: 'missing' | 'size' | 'hash' };

/**
 * Compares files on disk against the record. Hashes are cached by
 * (path, size, mtime) so repeated status checks do not re-read large weights.
 */
export class FileVerifier {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

  async check(modelDir: string, record: VerifiedRecord, files: readonly string[]): Promise<FileCheck[]> {
    const results: FileCheck[] = [];
    for (const file of files) {
      const expected = record.files[file];
      const full = path.join(modelDir, file);
      const info = await stat(full).catch(() => null);
      if (!expected || !info?.isFile()) {
        results.push({ file, ok: false, problem: 'missing' });
        continue;
      }
      if (info.size !== expected.size) {
        results.push({ file, ok: false, problem: 'size' });
        continue;
      }
      const cached = this.cache.get(full);
      let sha256 = cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs ? cached.sha256 : null;
      if (!sha256) {
        sha256 = await sha256File(full);
        this.cache.set(full, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
      }
      results.push(sha256 === expected.sha256 ? { file, ok: true } : { file, ok: false, problem: 'hash' });
    }
    return results;
  }

  forget(modelDir: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(modelDir + path.sep)) this.cache.delete(key);
  }
}
