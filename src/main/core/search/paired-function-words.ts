import type { Database } from 'better-sqlite3';
import { quote } from './fts-query';
import { LibraryMemo } from './library-memo';
import type { Vocabulary } from './vocabulary';

/**
 * The function words of a long question that may stand in its word pairs
 * (keyword-proximity.ts).
 *
 * They are dropped as words of their own (keyword-plan.ts), but they still
 * say how the question's words stand together, and pages say it the same way:
 * "print numbers from 1 to 100" is answered by seq's "Print numbers from
 * FIRST to LAST", "give up on a command that runs too long" by timeout's "run
 * a command with a time limit". Paired only with each other ("numbers 1",
 * "command runs"), the question's words rarely stand side by side in a page.
 *
 * A pair's phrase walks the postings of both its words, and a function
 * word's are among the longest of the index. On 98,000 chunks of English,
 * "flow up" (9,310 chunks hold "up") took 4.8 ms, "flow from" (43,400) 14 ms
 * and "the flow" 38 ms. So a function word is paired only while at most
 * `PAIRED_FUNCTION_WORD_ROWS` chunks hold it, the row budget under which the
 * keyword search scores a query exactly (keyword-search.ts); a commoner one
 * is left out as before, and the words on each side of it pair with each
 * other. A library of at most that many chunks pairs every function word.
 */
export const PAIRED_FUNCTION_WORD_ROWS = 10_000;

/** Per connection, whether at most `PAIRED_FUNCTION_WORD_ROWS` chunks hold a function word, while the library stays as it was. */
const withinBudgetMemo = new LibraryMemo<string, boolean>(1_000);

/** Which of `functionWords` few enough chunks hold to be paired. Counting stops past the budget (~1 ms at 10,000). */
export function pairableFunctionWords(
  db: Database,
  vocabulary: Vocabulary,
  functionWords: readonly string[],
): Set<string> {
  if (functionWords.length === 0) return new Set();
  if (vocabulary.maxRowid() <= PAIRED_FUNCTION_WORD_ROWS) return new Set(functionWords);
  const withinBudget = withinBudgetMemo.lookup(db, functionWords, (missing) => {
    const counted = new Map<string, boolean>();
    for (const word of missing) {
      counted.set(word, vocabulary.rowsUpTo(quote(word), PAIRED_FUNCTION_WORD_ROWS + 1) <= PAIRED_FUNCTION_WORD_ROWS);
    }
    return counted;
  });
  return new Set(functionWords.filter((word) => withinBudget.get(word) === true));
}
