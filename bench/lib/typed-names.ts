import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/main/core/clock';
import { silentLogger } from '../../src/main/core/logger';
import { textTokens } from '../../src/main/core/search/fts-query';
import { SearchService } from '../../src/main/core/search/search.service';
import { Vocabulary } from '../../src/main/core/search/vocabulary';

/**
 * What ranking for natural-language questions must not break: a page typed
 * by its file name, by its own name, or by an exact phrase from it comes
 * first. Checked on a whole collection (every page), not on a handful of
 * hand-picked documents, so a ranking change that buries names shows here.
 */
export interface TypedNamesResult {
  pages: number;
  /** Pages first when their file name is typed ("git-stash.txt"). */
  fileNameFirst: number;
  /** Pages first when their name without extension is typed ("git-stash"). */
  nameFirst: number;
  /** Pages with a phrase of their own that no other page has, and how many came first for it quoted. */
  phrases: number;
  phraseFirst: number;
  /** A few misses, for reading. */
  misses: string[];
}

/** Words in a phrase taken from a page: long enough to be the page's own. */
const PHRASE_WORDS = 6;

export async function checkTypedNames(
  db: Database,
  pages: ReadonlyArray<{ key: string; fileName: string; text: string }>,
  keyOf: (document: { id: string }) => string,
): Promise<TypedNamesResult> {
  const service = new SearchService({ db, clock: systemClock, getEmbedder: () => null, logger: silentLogger });
  const top = async (query: string): Promise<string | undefined> => {
    const response = await service.search({ query, mode: 'keyword', limit: 1 });
    const first = response.groups[0];
    return first ? keyOf(first.document) : undefined;
  };
  const result: TypedNamesResult = {
    pages: pages.length,
    fileNameFirst: 0,
    nameFirst: 0,
    phrases: 0,
    phraseFirst: 0,
    misses: [],
  };
  const miss = (what: string): void => {
    if (result.misses.length < Number(process.env.MISSES ?? 6)) result.misses.push(what);
  };
  const vocabulary = new Vocabulary(db);
  const stemmed = (text: string): string => ` ${vocabulary.stems(textTokens(text)).join(' ')} `;
  const texts = pages.map((p) => stemmed(p.text));
  for (const [i, page] of pages.entries()) {
    // A trailing space: the query is finished, so the last word is not matched as a prefix.
    if ((await top(`${page.fileName} `)) === page.key) result.fileNameFirst++;
    else miss(`file name ${page.fileName}`);
    if ((await top(`${page.key} `)) === page.key) result.nameFirst++;
    else miss(`name ${page.key}`);
    const phrase = ownPhrase(page.text, texts, i, stemmed);
    if (!phrase) continue;
    result.phrases++;
    if ((await top(`"${phrase}"`)) === page.key) result.phraseFirst++;
    else miss(`phrase "${phrase}" (${page.key})`);
  }
  return result;
}

/**
 * Six words from the middle of the page, as written, that no other page
 * holds (compared word by word, stemmed as the index stems them, so
 * punctuation, line breaks and "file"/"files" do not hide a shared phrase,
 * which a phrase search rightly finds in both); undefined when the candidates
 * tried are all shared (boilerplate).
 */
function ownPhrase(
  text: string,
  pageWords: readonly string[],
  own: number,
  stemmed: (text: string) => string,
): string | undefined {
  const lines = text.split('\n').filter((line) => textTokens(line).length >= PHRASE_WORDS + 2);
  for (let tried = 0, at = Math.floor(lines.length / 2); tried < 5 && at < lines.length; tried++, at++) {
    const words = lines[at]!.trim()
      .split(/\s+/)
      .slice(1, PHRASE_WORDS + 1);
    if (words.length < PHRASE_WORDS || words.some((w) => !/^[\p{L}\p{N}]+$/u.test(w))) continue;
    const phrase = words.join(' ');
    const run = stemmed(phrase);
    if (pageWords.every((t, i) => i === own || !t.includes(run))) return phrase;
  }
  return undefined;
}
