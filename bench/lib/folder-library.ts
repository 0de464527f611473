import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addFolder } from '../../src/main/cli/connectors.command';
import { createCore, type Core } from '../../src/main/core/app';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';

/** A file as judgments and results key it: its name without extension. */
export function fileKey(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

export interface FolderLibrary {
  core: Core;
  chunks: number;
  /** A result's file name without its extension (the key judgments use). */
  fileKeyOf: (document: { id: string }) => string;
  close(): Promise<void>;
}

/**
 * A folder indexed the way a person's folder is: a real core adds it as a
 * local folder source (parsers, chunker, titles), with the tiny test model
 * from a local fake hub active when `hubUrl` is given, so semantic and
 * hybrid runs have vectors.
 */
export async function indexFolder(folder: string, name: string, hubUrl: string | null): Promise<FolderLibrary> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trove-quality-'));
  const core = await createCore({
    dataDir,
    secrets: new MemorySecretStore(),
    modelHubUrl: hubUrl ?? undefined,
    watch: false,
    relay: false,
  });
  if (hubUrl) {
    await core.embeddings.download(TINY_TEST_MODEL.id);
    await core.embeddings.configure({ provider: 'local', modelId: TINY_TEST_MODEL.id });
  }
  await addFolder(core, folder, { name });
  await core.idle();
  const chunks = core.db.prepare('SELECT count(*) FROM imported_doc_chunks').pluck().get() as number;
  const rows = core.db.prepare('SELECT id, external_id AS externalId FROM imported_documents').all() as Array<{
    id: string;
    externalId: string;
  }>;
  const fileKeys = new Map(rows.map((r) => [r.id, fileKey(r.externalId)]));
  return {
    core,
    chunks,
    fileKeyOf: (d) => fileKeys.get(d.id) ?? '',
    close: async () => {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
