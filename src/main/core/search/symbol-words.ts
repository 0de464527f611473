import type { Database } from 'better-sqlite3';
import { escapeRegExp } from '../../../shared/escape-regexp';
import { chunksNaming, GROUPS_READ } from './chunks-naming';
import type { FusedGroup } from './fusion';

/**
 * The words of a query written with symbols the index's tokenizer drops:
 * `C++`, `C#`, `F#`, `.NET`, `Node.js`, `ASP.NET`, `.bashrc`. The index
 * keeps only their letters, so `c++` and `c#` both searched "c" and, on
 * Python's documentation, put its devhelp index (a list of every C API
 * name) first, above "Building C and C++ Extensions"; `c++ exceptions` put
 * pages about C functions raising exceptions above "Extending Python with
 * C or C++". Of the documents found, those that write every such word as
 * typed (in any case, not inside a longer word) come first, as a person
 * who typed the symbols meant. Punctuation around a word ("(C++)",
 * "node.js?") is not part of it.
 */
export function symbolWordsTyped(typed: string): string[] {
  const words = typed
    .split(/\s+/u)
    .map((token) => token.replace(LEADING_PUNCTUATION, '').replace(TRAILING_PUNCTUATION, ''))
    .filter((word) => SYMBOL_WORD.test(word));
  return [...new Set(words.map((word) => word.toLowerCase()))].map(
    (lower) => words.find((word) => word.toLowerCase() === lower) as string,
  );
}

const LEADING_PUNCTUATION = /^[(["'“‘«]+/u;
const TRAILING_PUNCTUATION = /[)\]"'”’»,;:!?.]+$/u;

/**
 * A word with `++` or `#` after it (C++, g++, C#, F#), a dot before it
 * (.NET, .bashrc) or a dot between two words of letters (Node.js,
 * ASP.NET, socket.io). Not a version ("3.11") or an abbreviation ("e.g.").
 */
const SYMBOL_WORD =
  /^(?:[\p{L}][\p{L}\p{N}]{0,30}(?:\+\+|#)|\.[\p{L}][\p{L}\p{N}]{1,30}|[\p{L}]{2,30}\.[\p{L}]{2,30})$/u;

/** Which of the first GROUPS_READ documents found write every one of `words` as typed, in any case. */
export function documentsWritingWords(
  db: Database,
  groups: readonly FusedGroup[],
  words: readonly string[],
): Set<string> {
  if (words.length === 0) return new Set();
  let writing = new Set(groups.slice(0, GROUPS_READ).map((g) => g.documentId));
  for (const word of words) {
    if (writing.size === 0) break;
    writing = documentsWritingWord(db, [...writing], word);
  }
  return writing;
}

function documentsWritingWord(db: Database, documentIds: string[], word: string): Set<string> {
  // Letters and digits on neither side: "C++" is not the end of "ObjC++" nor "C#" the start of "C#x".
  const written = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(word)}(?![\\p{L}\\p{N}_+#])`, 'iu');
  const spellings = [...new Set([word, word.toLowerCase(), word.toUpperCase(), capitalised(word)])];
  return new Set(
    chunksNaming(db, documentIds, spellings)
      .filter((row) => written.test(row.text))
      .map((row) => row.documentId),
  );
}

/** "node.js" as it is often written, "Node.js". */
function capitalised(word: string): string {
  return word.replace(/\p{L}/u, (letter) => letter.toUpperCase());
}
