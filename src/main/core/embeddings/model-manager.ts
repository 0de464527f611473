import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import { modelsDir } from '../data-dir';
import { silentLogger, type Logger } from '../logger';
import { mkdirPrivate } from '../private-files';
import { createLocalEmbedder, type LocalEmbedderOptions } from './local-embedder';
import { getModelManifest, type ModelManifest } from './manifests';
import { downloadFile, type DownloadProgress } from './model-download';
import { FileVerifier, readVerifiedRecord, writeVerifiedRecord, type VerifiedRecord } from './model-files';
import type { Embedder } from './types';
import type { ModelStatus } from '../../../shared/contract/settings';

/** The contract's ModelStatus: the UI shows exactly these. */
export type { ModelStatus };

export interface ModelManagerOptions {
  /** Trove's data folder; models live in `<dataDir>/models/<id>/`. */
  dataDir: string;
  /** Default `https://huggingface.co`; tests point it at a local fake hub. */
  hubBaseUrl?: string;
  /** Default the global fetch. */
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Manifests beyond the built-in ones (tests, experiments). */
  extraManifests?: readonly ModelManifest[];
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

const PARTIAL_DIR = '.partial';

/**
 * Downloads local embedding models once, verifies them, and hands out their
 * folder only when every file still matches what was verified.
 *
 * Layout: `<dataDir>/models/<id>/<file>` plus `verified.json` (size + sha256
 * per file). Downloads land in `<id>/.partial/` first and are renamed into
 * place only after every file is complete (and matches the manifest's
 * published sha256, when it has one); an interrupted download resumes from
 * the partial bytes next time.
 */
export class ModelManager {
  private readonly dataDir: string;
  private readonly hubBaseUrl: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly logger: Logger;
  private readonly extra: readonly ModelManifest[];
  private readonly verifier = new FileVerifier();
  private readonly active = new Map<string, Promise<void>>();

  constructor(options: ModelManagerOptions) {
    this.dataDir = options.dataDir;
    this.hubBaseUrl = (options.hubBaseUrl ?? 'https://huggingface.co').replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.logger = (options.logger ?? silentLogger).child('models');
    this.extra = options.extraManifests ?? [];
  }

  manifest(id: string): ModelManifest {
    return getModelManifest(id, this.extra);
  }

  /** Folder of a model (whether or not it is downloaded). */
  modelDir(id: string): string {
    const manifest = this.manifest(id);
    const parts = manifest.id.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || !/^[\w.-]+$/.test(p))) {
      throw new AppError('VALIDATION', `The model id "${manifest.id}" cannot be used as a folder name.`);
    }
    return path.join(modelsDir(this.dataDir), ...parts);
  }

  /**
   * `ready` only when every manifest file is on disk with the verified size
   * and sha256; `failed` when a verified model no longer matches (truncated,
   * edited, deleted); `not_downloaded` when it was never completely downloaded.
   */
  async status(id: string): Promise<ModelStatus> {
    if (this.active.has(id)) return 'downloading';
    const problems = await this.problems(id);
    if (problems === null) return 'not_downloaded';
    return problems.length === 0 ? 'ready' : 'failed';
  }

  /**
   * Downloads (or repairs) a model; resolves once it is verified and ready.
   * Files already verified and intact are not fetched again. Rejects with
   * CONFLICT if a download of the same model is running, CANCELLED when the
   * signal fires (partial bytes are kept for resuming), NOT_FOUND / UNAVAILABLE
   * for hub or network failures.
   */
  async download(id: string, options: DownloadOptions = {}): Promise<void> {
    if (this.active.has(id)) throw new AppError('CONFLICT', 'This model is already downloading.');
    const run = this.runDownload(id, options);
    this.active.set(id, run);
    try {
      await run;
    } finally {
      this.active.delete(id);
    }
  }

  /** The model's folder after re-verifying every file; throws if it is not ready. */
  async verifiedModelDir(id: string): Promise<string> {
    const problems = await this.problems(id);
    if (problems === null) {
      throw new AppError('NOT_FOUND', `The local model "${id}" is not downloaded yet. Download it in Settings.`);
    }
    if (problems.length > 0) {
      throw new AppError(
        'UNAVAILABLE',
        `The local model "${id}" is damaged (${problems.join(', ')}). Download it again in Settings.`,
        { details: { problems } },
      );
    }
    return this.modelDir(id);
  }

  /** Verifies the model, then loads it fully offline (see createLocalEmbedder). */
  async openEmbedder(id: string, options: Omit<LocalEmbedderOptions, 'modelDir' | 'manifest'> = {}): Promise<Embedder> {
    const modelDir = await this.verifiedModelDir(id);
    return createLocalEmbedder({ logger: this.logger, ...options, modelDir, manifest: this.manifest(id) });
  }

  /** Deletes a model's files (and any partial download). */
  async remove(id: string): Promise<void> {
    if (this.active.has(id)) throw new AppError('CONFLICT', 'Cancel the running download before removing the model.');
    const dir = this.modelDir(id);
    this.verifier.forget(dir);
    await rm(dir, { recursive: true, force: true });
  }

  /** null: no verified record; []: all good; otherwise "file: problem" strings. */
  private async problems(id: string): Promise<string[] | null> {
    const manifest = this.manifest(id);
    const dir = this.modelDir(id);
    const record = await readVerifiedRecord(dir);
    if (!record || record.revision !== manifest.revision) return null;
    const checks = await this.verifier.check(dir, record, manifest.files);
    return checks.flatMap((c) =>
      c.ok
        ? []
        : [
            `${c.file}: ${c.problem === 'missing' ? 'missing' : c.problem === 'size' ? 'wrong size' : 'contents changed'}`,
          ],
    );
  }

  private fileUrl(manifest: ModelManifest, file: string): string {
    const encoded = file.split('/').map(encodeURIComponent).join('/');
    return `${this.hubBaseUrl}/${manifest.repo}/resolve/${encodeURIComponent(manifest.revision)}/${encoded}`;
  }

  private async runDownload(id: string, options: DownloadOptions): Promise<void> {
    const manifest = this.manifest(id);
    const dir = this.modelDir(id);
    await mkdirPrivate(dir);
    const previous = await readVerifiedRecord(dir);
    const intact = new Set<string>();
    if (previous && previous.revision === manifest.revision) {
      for (const check of await this.verifier.check(dir, previous, manifest.files))
        if (check.ok) intact.add(check.file);
    }

    const started = Date.now();
    this.logger.info('model download started', { model: id, files: manifest.files.length, reused: intact.size });
    const record: VerifiedRecord = {
      id: manifest.id,
      repo: manifest.repo,
      revision: manifest.revision,
      verifiedAt: new Date().toISOString(),
      files: {},
    };
    const fetched: string[] = [];
    for (const [fileIndex, file] of manifest.files.entries()) {
      if (intact.has(file) && previous?.files[file]) {
        record.files[file] = previous.files[file];
        continue;
      }
      const partialPath = path.join(dir, PARTIAL_DIR, file);
      const result = await downloadFile({
        url: this.fileUrl(manifest, file),
        partialPath,
        file,
        fetch: this.fetchImpl,
        signal: options.signal,
        onProgress: (bytes) => options.onProgress?.({ file, fileIndex, fileCount: manifest.files.length, ...bytes }),
      });
      const published = manifest.sha256?.[file];
      if (published && published.toLowerCase() !== result.sha256) {
        await rm(partialPath, { force: true });
        throw new AppError(
          'UNAVAILABLE',
          `The downloaded ${file} does not match its published checksum, so it was discarded. Try again.`,
          {
            details: { file },
          },
        );
      }
      record.files[file] = result;
      fetched.push(file);
    }

    if (options.signal?.aborted)
      throw new AppError('CANCELLED', 'The model download was cancelled. Start it again to resume.');
    // Everything is complete: swap files into place, then record them. A crash
    // before the record is written leaves no record, so status is 'not_downloaded'
    // and the next download simply starts again.
    for (const file of fetched) {
      const target = path.join(dir, file);
      await mkdirPrivate(path.dirname(target));
      await rename(path.join(dir, PARTIAL_DIR, file), target);
    }
    await rm(path.join(dir, PARTIAL_DIR), { recursive: true, force: true });
    this.verifier.forget(dir);
    await writeVerifiedRecord(dir, record);

    const problems = await this.problems(id);
    if (problems === null || problems.length > 0) {
      throw new AppError(
        'INTERNAL',
        `The model "${id}" failed verification right after download (${problems?.join(', ') ?? 'no record'}).`,
      );
    }
    const bytes = Object.values(record.files).reduce((sum, f) => sum + f.size, 0);
    this.logger.info('model download finished', { model: id, bytes, ms: Date.now() - started });
  }
}
