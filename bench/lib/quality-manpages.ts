import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addFolder } from '../../src/main/cli/connectors.command';
import { createCore, type Core } from '../../src/main/core/app';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store';
import { pageName, prepareManpages, type ManpageQuery } from './manpages';
import type { JudgedQuery } from './quality';

export interface ManpageLibrary {
  core: Core;
  queries: JudgedQuery[];
  pages: number;
  chunks: number;
  /** Page name of a result. */
  keyOf: (document: { title: string }) => string;
  close(): Promise<void>;
}

/**
 * The man pages indexed the way a person's folder is: a real core adds the
 * rendered pages' folder as a local folder source (parsers, chunker, title
 * from the file name), with the tiny test model from a local fake hub
 * active when `hubUrl` is given, so semantic and hybrid runs have vectors.
 * Returns a reason instead when the collection cannot be prepared.
 */
export async function indexManpages(
  collectionDir: string | undefined,
  hubUrl: string | null,
): Promise<ManpageLibrary | { skipped: string }> {
  const prepared = prepareManpages(collectionDir);
  if (!prepared.ok) return { skipped: prepared.reason };
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trove-manpages-quality-'));
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
  await addFolder(core, prepared.pagesDir, { name: 'man pages' });
  await core.idle();
  const chunks = core.db.prepare('SELECT count(*) FROM imported_doc_chunks').pluck().get() as number;
  return {
    core,
    queries: prepared.queries.map(judged),
    pages: prepared.pages,
    chunks,
    keyOf: (d) => pageName(d.title),
    close: async () => {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every acceptable page counts as a full answer (success@5 and MRR ask only for the first). */
function judged(q: ManpageQuery): JudgedQuery {
  return { text: q.text, gains: new Map(q.answers.map((a) => [a, 1])) };
}
