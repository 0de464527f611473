import { letterBefore, movedUp } from './dehyphenate';

/**
 * Words a typesetter broke at a line end with a plain ASCII hyphen, joined
 * again where the document shows they are one word. TeX, texinfo and most
 * PDF producers hyphenate this way ("the DER en-\ncoding"), and left split,
 * neither half matches a search for the word. dehyphenate.ts handles the
 * unambiguous hyphens (U+2010, soft hyphens); an ASCII one may also be a
 * compound's own hyphen broken at the line end ("well-\nknown"), so each
 * break is decided by the document's own words:
 *
 * 1. the joined word occurs whole elsewhere in the document ("encoding"):
 *    joined ("encoding");
 * 2. the hyphenated compound occurs elsewhere on one line ("well-known"),
 *    or the first half is itself part of a compound ("state-of-the-\nart"):
 *    the hyphen stays, the line break goes ("well-known");
 * 3. no evidence either way: joined, unless both halves are words the
 *    document uses on their own ("well", "known"), as a compound's halves
 *    are and a syllable break's first half mostly is not ("en", "docu",
 *    "declara").
 *
 * Only a lowercase letter after the break counts, or a capital in a word
 * written in capitals ("SE-\nQUENCE"): "Smith-\nJones" and "COVID-\n19"
 * stay. As in dehyphenate.ts, the rest of the word moves up to the first
 * line and the next line keeps its indentation and the rest of its text;
 * when the word was all that line held, the line goes away.
 */
// Halves of at most MAX_HALF letters: an unbounded run of letters before the
// hyphen would cost the square of its length on a long run without one.
const MAX_HALF = 40;
const BROKEN_WORD = new RegExp(String.raw`(\p{L}{1,${MAX_HALF}})-\n([ \t]*)(\p{L}[^\s-]*)[ \t]*`, 'gu');
const BROKEN_HALVES = new RegExp(String.raw`\p{L}{1,${MAX_HALF}}-\n[ \t]*\p{L}*`, 'gu');
const WORDS = /\p{L}+(?:-\p{L}+)*/gu;
const LETTERS = /^\p{L}+/u;

const isCapitals = (word: string): boolean => word === word.toUpperCase() && word !== word.toLowerCase();

/** The words and hyphenated compounds a document writes on one line, lower case (the broken ones are no evidence). */
function wordsOf(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    for (const match of text.replace(BROKEN_HALVES, ' ').matchAll(WORDS)) {
      const word = match[0].toLowerCase();
      words.add(word);
      if (word.includes('-')) for (const part of word.split('-')) words.add(part);
    }
  }
  return words;
}

/**
 * The pages (or any parts) of one document with the words broken at their
 * line ends joined, each part on its own: a word is never carried across
 * parts, so page offsets stay with their pages.
 */
export function joinLineEndHyphens(parts: readonly string[]): string[] {
  if (!parts.some((part) => part.includes('-\n'))) return [...parts];
  const words = wordsOf(parts);
  return parts.map((part) =>
    part.replace(BROKEN_WORD, (match: string, head: string, indent: string, rest: string, offset: number) => {
      // A longer run of letters is no word a typesetter broke.
      if (letterBefore(part, offset)) return match;
      const tail = LETTERS.exec(rest)?.[0] ?? '';
      // A capital after the break starts a name ("Smith-\nJones"), unless the word is in capitals throughout ("SE-\nQUENCE").
      if (tail[0] !== tail[0]!.toLowerCase() && !(isCapitals(head) && isCapitals(tail))) return match;
      const joined = `${head}${tail}`.toLowerCase();
      const inCompound = part[offset - 1] === '-';
      const keepHyphen =
        !words.has(joined) &&
        (inCompound ||
          words.has(`${head}-${tail}`.toLowerCase()) ||
          (words.has(head.toLowerCase()) && words.has(tail.toLowerCase())));
      return movedUp(part, offset, match.length, `${head}${keepHyphen ? '-' : ''}${rest}`, indent);
    }),
  );
}
