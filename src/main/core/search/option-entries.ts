import type { Database } from 'better-sqlite3';
import { escapeRegExp } from '../../../shared/escape-regexp';
import { chunksNaming, pooledChunks, type ChunkRow } from './chunks-naming';
import { isStopword } from './fts-query';
import { chunkIdsOf, type FusedGroup } from './fusion';

/**
 * A command-line option typed alone (`--one-file-system`,
 * `--force-with-lease`) asks where it is documented: the manual pages and
 * help texts whose list of options has an entry for it. BM25 saw only its
 * words: on 621 manual pages, `--one-file-system` had put chattr ("change
 * file attributes on a Linux file system") first and cp, du, rm and tar,
 * which document the option, from seventh down; on Git's documentation,
 * `--force-with-lease` had put the changelog, which mentions it in many
 * releases, above git-push. The documents found that have such an entry
 * come first (as declarations.ts does for a name in code).
 *
 * Only a long option is read so: `-x` typed is the search box's "leave out
 * x" (query-syntax.ts).
 */
export interface OptionTyped {
  /** The option's name without its dashes and without a `no-` that negates it ("verify" for `--no-verify`). */
  name: string;
  /** Typed as its negation (`--no-verify`). */
  negated: boolean;
}

/** The long option typed alone, with or without a value (`--exclude=PATTERN`), or null. */
export function optionTyped(typed: string): OptionTyped | null {
  const option = /^--([A-Za-z0-9][\w-]{0,98})(?:=\S*)?$/.exec(typed.trim());
  if (!option) return null;
  const name = option[1]!;
  const negated = /^no-./i.test(name);
  return { name: negated ? name.slice(3) : name, negated };
}

/**
 * Which of `read` (the best-ranked documents found) have an entry for the
 * option in one of their chunks, pooled or not (chunksReadFor): a
 * documented option is mentioned all over its page, and its entry need not
 * be among the chunks BM25 pooled.
 */
export function documentsDocumentingOption(
  db: Database,
  read: readonly FusedGroup[],
  option: OptionTyped,
): Set<string> {
  const entry = optionEntryPattern(option);
  return new Set(
    chunksReadFor(db, read, option)
      .filter((r) => entry.test(r.text))
      .map((r) => r.documentId),
  );
}

/**
 * The chunks that may hold the option's entry: those of the documents read
 * that hold its name after a dash or a negation's bracket, as an entry
 * writes it (`--all`, `\--all`, `--[no-]all`). For a name of function
 * words only ("all", "the"), in nearly every chunk, the chunks the search
 * pooled: reading every chunk of fifty documents holding "the" had doubled
 * the time of a search for `--the` (33 -> 65 ms on Python's documentation).
 */
function chunksReadFor(db: Database, read: readonly FusedGroup[], option: OptionTyped): ChunkRow[] {
  const spellings = [`-${option.name}`, `]${option.name}`];
  if (option.name.split('-').every(isStopword)) return pooledChunks(db, chunkIdsOf(read), { names: spellings });
  return chunksNaming(
    db,
    read.map((g) => g.documentId),
    spellings,
  );
}

/**
 * A line of a list of options that opens with the option, alone or after
 * the other spellings of the same entry, and ends there or where its
 * description starts:
 *
 *     -x, --one-file-system                     (man pages, --help output)
 *     -x <pattern>, --exclude=<pattern>          (Git's manual pages)
 *     --[no-]force-with-lease::                  (AsciiDoc: the negation in brackets)
 *     \--\[no-\]force-with-lease                 (HTML read as Markdown, escaped)
 *     * `--force`: ...    | `--force` | ...      (Markdown lists and tables)
 *
 * A sentence that opens a line with the option is no entry: manual pages
 * wrap their prose, and "--bundle-uri option. These keys..." or
 * "--no-netrc." starts a line of git-config's and curl's. Nor is the option
 * inside another (`--force` in `--force-with-lease`).
 */
export function optionEntryPattern(option: OptionTyped): RegExp {
  const name = escapeRegExp(option.name);
  // Markdown escapes dashes and brackets, which HTML read as Markdown keeps (`\--\[no-\]`).
  const esc = '\\\\?';
  const negation = `${esc}\\[no-?${esc}\\]`;
  const spelled = `${esc}-${esc}-${option.negated ? `(?:no-|${negation})` : `(?:${negation})?`}${name}(?![\\w-])`;
  // A list item's bullet, a table's cell or a heading's marks, then emphasis or a code span.
  const lead = '^([ \\t]*)(?:(?:[-*+\\u2022|]|#{1,6})[ \\t]+)?[`*_]*';
  // An option's value: `=PATTERN`, `[=WHEN]`, ` <file>`, ` FILE`, ` [<n>]`; one attached runs to a space
  // or a comma (in "--fixup=reword: and", ": " is no entry's colon).
  const value = `(?:${esc}\\[?=[^\\s,|]*(?![^\\s,|])|[ \\t]+(?:<[^>\\n]+>|[A-Z][A-Z0-9_]*(?:\\.\\.\\.)?|\\[[^\\]\\n]*\\]))?[\`*_]*`;
  // Another spelling of the same entry before it (`-x, `, `-f FILE | `), then more emphasis.
  // A value in lower case is one only before the comma ("-e sub-extension, --extension=sub-extension").
  const other = `${esc}-(?:${esc}-)?[A-Za-z0-9?#][\\w-]*(?:${value}(?:[ \\t]*[,|/])?|[ \\t]+[a-z][\\w-]*,)[ \\t]+[\`*_]*`;
  // Where the entry ends: the line, a colon (AsciiDoc, Markdown), a table's cell, a column gap, another spelling, a dash,
  // or anywhere when the next line is indented deeper, as a manual page's description is under its entry
  // ("-b, --build binary-directory [archive|directory]"). A line of prose goes on at its own indent.
  const end = `(?=[ \\t]*$|[ \\t]*:{1,2}(?:[ \\t]|$)|[ \\t]*\\||[ \\t]{2,}|\\t|[ \\t]*[,|/][ \\t]*[\`*_]*${esc}-|[ \\t]+[-\\u2013\\u2014][ \\t]|[^\\n]*\\n\\1[ \\t]+\\S)`;
  return new RegExp(`${lead}(?:${other})*${spelled}${value}${end}`, 'm');
}
