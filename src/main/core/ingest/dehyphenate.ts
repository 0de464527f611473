/**
 * Words a typesetter hyphenated at a line end, joined again. groff renders
 * man pages this way ("avail‐\n       able") and so do many PDF producers;
 * left split, neither half matches a search for the word, and snippets
 * show it broken.
 *
 * Only U+2010 HYPHEN and U+00AD SOFT HYPHEN count, and only when a letter
 * precedes them and the next line (after its indentation) starts with a
 * lowercase letter. An ASCII '-' is left alone: "well-\nknown" may be a
 * compound that keeps its hyphen, and nothing tells the two apart.
 *
 * The rest of the word moves up to the first line; the next line keeps its
 * indentation and the rest of its text, so the line structure later rules
 * read (indented bodies, paragraphs) stays as it was. When the word was all
 * the next line held, that line goes away instead of becoming blank (a
 * blank line would read as a paragraph break).
 */
const SPLIT_WORD = /[\u2010\u00ad]\n([ \t]*)(\p{Ll}\S*)[ \t]*/gu;
const LETTER = /\p{L}/u;

/** Whether a letter ends `text` just before `offset` (a lookbehind in the pattern is ten times slower in V8). */
export function letterBefore(text: string, offset: number): boolean {
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff ? offset - 2 : offset - 1;
  return start >= 0 && LETTER.test(String.fromCodePoint(text.codePointAt(start) ?? 0));
}

/**
 * What replaces a line-end break matched at `offset` (`length` characters,
 * through the rest of the word and the spaces after it): `joined`, which
 * ends the first line, and the next line's indentation before the rest of
 * its text; when the word was all that line held, nothing, so that no blank
 * line splits the paragraph.
 */
export function movedUp(text: string, offset: number, length: number, joined: string, indent: string): string {
  const after = text[offset + length];
  return after === undefined || after === '\n' ? joined : `${joined}\n${indent}`;
}

export function joinHyphenatedWords(text: string): string {
  if (!text.includes('\u2010') && !text.includes('\u00ad')) return text;
  let out = text;
  // A word split over three lines ends its middle part with a hyphen again: one more pass joins it.
  for (let pass = 0; pass < 3; pass++) {
    const joined = out.replace(SPLIT_WORD, (match: string, indent: string, rest: string, offset: number) => {
      if (!letterBefore(out, offset)) return match;
      return movedUp(out, offset, match.length, rest, indent);
    });
    if (joined === out) break;
    out = joined;
  }
  // A soft hyphen inside a word is invisible by definition: only a search index would trip over it.
  return out.replace(/\u00ad/g, (match: string, offset: number, whole: string) =>
    letterBefore(whole, offset) && LETTER.test(whole[offset + 1] ?? '') ? '' : match,
  );
}
