import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { identifierParts } from '../../src/main/core/db/identifier-terms';
import { fileKey, indexFolder } from './folder-library';
import { evaluate, type JudgedQuery, type QualityScores } from './quality';

/**
 * Names in source code, on Trove's own sources (`src/`, which every clone
 * has): each name exported by exactly one file (a function, class,
 * interface, type, enum or constant), in a file whose name no other file
 * has, is searched
 *
 * - typed as it is (`liveJobCount`): its file must come first, as in an
 *   editor's symbol search;
 * - when it is camelCase, as its words in lower case ("live job count"),
 *   as a person who remembers what the function does but not its exact
 *   name types it, and whole but in lower case (`livejobcount`), as people
 *   type in a hurry: success@5 and MRR@10 of the declaring file.
 *
 * Names are taken from every file, not picked by hand.
 */
export interface CodeNamesResult {
  files: number;
  chunks: number;
  names: number;
  /** Typed as they are (success1: the file first). */
  typed: QualityScores;
  wordNames: number;
  words: QualityScores;
  /** The camelCase names typed whole in lower case. */
  lowerCase: QualityScores;
}

const SOURCE_FILE = /\.(ts|tsx)$/;
const EXPORTED =
  /^export (?:default )?(?:abstract )?(?:async )?(?:function\*?|class|interface|type|enum|const) ([A-Za-z_$][\w$]*)/gm;

export async function checkCodeNames(sourcesDir: string): Promise<CodeNamesResult> {
  const files = listSources(sourcesDir);
  const baseNames = new Map<string, number>();
  for (const file of files) baseNames.set(fileKey(file), (baseNames.get(fileKey(file)) ?? 0) + 1);
  const declaredIn = new Map<string, Set<string>>();
  for (const file of files) {
    for (const [, name] of readFileSync(file, 'utf8').matchAll(EXPORTED)) {
      declaredIn.set(name!, (declaredIn.get(name!) ?? new Set()).add(file));
    }
  }
  const typedQueries: JudgedQuery[] = [];
  const wordQueries: JudgedQuery[] = [];
  const lowerCaseQueries: JudgedQuery[] = [];
  for (const [name, where] of declaredIn) {
    const file = [...where][0]!;
    if (where.size !== 1 || baseNames.get(fileKey(file)) !== 1) continue;
    const gains = new Map([[fileKey(file), 1]]);
    // A trailing space: the query is finished, so the last word is not matched as a prefix.
    typedQueries.push({ text: `${name} `, gains });
    const words = identifierParts(name);
    if (!words) continue;
    wordQueries.push({ text: `${words.join(' ').toLowerCase()} `, gains });
    lowerCaseQueries.push({ text: `${name.toLowerCase()} `, gains });
  }

  const library = await indexFolder(sourcesDir, 'Trove sources', null);
  try {
    const db = library.core.db;
    const run = (queries: JudgedQuery[]) =>
      evaluate(db, queries, library.fileKeyOf, { mode: 'keyword', embedder: null });
    const typed = await run(typedQueries);
    return {
      files: files.length,
      chunks: library.chunks,
      names: typedQueries.length,
      typed,
      wordNames: wordQueries.length,
      words: await run(wordQueries),
      lowerCase: await run(lowerCaseQueries),
    };
  } finally {
    await library.close();
  }
}

function listSources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
