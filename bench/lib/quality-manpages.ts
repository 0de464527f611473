import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Core } from '../../src/main/core/app';
import { indexFolder } from './folder-library';
import { pageName, prepareManpages, type ManpageQuery } from './manpages';
import type { JudgedQuery } from './quality';

export interface ManpageLibrary {
  core: Core;
  queries: JudgedQuery[];
  pages: number;
  chunks: number;
  /** Page name of a result. */
  keyOf: (document: { id: string }) => string;
  /** Every page's name, file name and text, as indexed (for the textbook baseline and the typed-names check). */
  texts(): Array<{ key: string; fileName: string; text: string }>;
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
  const library = await indexFolder(prepared.pagesDir, 'man pages', hubUrl);
  return {
    core: library.core,
    queries: prepared.queries.map(judged),
    pages: prepared.pages,
    chunks: library.chunks,
    keyOf: library.fileKeyOf,
    texts: () =>
      readdirSync(prepared.pagesDir).map((file) => ({
        key: pageName(file),
        fileName: file,
        text: readFileSync(path.join(prepared.pagesDir, file), 'utf8'),
      })),
    close: () => library.close(),
  };
}

/** Every acceptable page counts as a full answer (success@5 and MRR ask only for the first). */
function judged(q: ManpageQuery): JudgedQuery {
  return { text: q.text, gains: new Map(q.answers.map((a) => [a, 1])) };
}
