import type { Database } from 'better-sqlite3';
import { escapeRegExp } from '../../../shared/escape-regexp';
import { chunksNaming, GROUPS_READ } from './chunks-naming';
import type { FusedGroup } from './fusion';

/**
 * A word written with symbols the index's tokenizer drops, typed alone:
 * `C++`, `C#`, `F#`, `.NET`, `Node.js`, `ASP.NET`, `.bashrc`. The index
 * keeps only its letters, so `c++` and `c#` both searched "c" and, on
 * Python's documentation, put its devhelp index (a list of every C API
 * name) first, above "Building C and C++ Extensions". Of the documents
 * found, those that write the word as typed (in any case, not inside a
 * longer word) come first, as a person who typed the symbols meant.
 */
export function symbolWordTyped(typed: string): string | null {
  const word = typed.trim();
  return SYMBOL_WORD.test(word) ? word : null;
}

/**
 * A word with `++` or `#` after it (C++, g++, C#, F#), a dot before it
 * (.NET, .bashrc) or a dot between two words of letters (Node.js,
 * ASP.NET, socket.io). Not a version ("3.11") or an abbreviation ("e.g.").
 */
const SYMBOL_WORD =
  /^(?:[\p{L}][\p{L}\p{N}]{0,30}(?:\+\+|#)|\.[\p{L}][\p{L}\p{N}]{1,30}|[\p{L}]{2,30}\.[\p{L}]{2,30})$/u;

/** Which of the first GROUPS_READ documents found write `word` as typed, in any case. */
export function documentsWritingWord(db: Database, groups: readonly FusedGroup[], word: string): Set<string> {
  const read = groups.slice(0, GROUPS_READ).map((g) => g.documentId);
  if (read.length === 0) return new Set();
  // Letters and digits on neither side: "C++" is not the end of "ObjC++" nor "C#" the start of "C#x".
  const written = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(word)}(?![\\p{L}\\p{N}_+#])`, 'iu');
  const spellings = [...new Set([word, word.toLowerCase(), word.toUpperCase(), capitalised(word)])];
  return new Set(
    chunksNaming(db, read, spellings)
      .filter((row) => written.test(row.text))
      .map((row) => row.documentId),
  );
}

/** "node.js" as it is often written, "Node.js". */
function capitalised(word: string): string {
  return word.replace(/\p{L}/u, (letter) => letter.toUpperCase());
}
