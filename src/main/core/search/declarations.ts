import type { Database } from 'better-sqlite3';
import { identifierParts } from '../db/identifier-terms';
import { escapeRegExp } from '../../../shared/escape-regexp';
import { readableFileNames } from '../ingest/file-types';
import { chunksNaming, GROUPS_READ, pooledChunks } from './chunks-naming';
import { chunkIdsOf, type FusedGroup } from './fusion';
import { withOpenFence } from './snippet-text';
import { documentsDocumentingOption, optionTyped } from './option-entries';

/**
 * A code identifier typed alone (`foldNearDuplicates`, `MAX_RETRIES`,
 * `parse_header`) asks where it is defined, as "Go to definition" does.
 * BM25 puts first the files that use it most, a test file calling it twenty
 * times and its callers, and the file that declares it once below them (on
 * Trove's own sources: third for `foldNearDuplicates`). The documents found
 * that declare it come first, right after those named as typed
 * (exact-names.ts).
 *
 * A typed word counts as an identifier only when nothing in prose is
 * written so: a lower-case letter followed by a capital (`camelCase`) or an
 * underscore between letters or digits. So "budget", "JSON" and "iPhone
 * review" are not identifiers; `iPhone` alone is checked, and no prose
 * declares it. A plain word is a name too where the best match is code
 * (`urlopen`, `crop`: namesOfWord), never in a library whose best match
 * for it is a note.
 */
export function looksLikeIdentifier(typed: string): boolean {
  const word = typed.trim();
  return IDENTIFIER.test(word) && (/[a-z][A-Z]/.test(word) || /[A-Za-z0-9]_[A-Za-z0-9]/.test(word));
}

const IDENTIFIER = /^[A-Za-z_$][\w$]{2,99}$/;

/**
 * Which of the first GROUPS_READ documents found declare `typed` in one of
 * their matched chunks: a function, class, type, constant or variable of
 * that name as JavaScript, TypeScript, Python, Go, Rust, C, C++, Java,
 * C#, Kotlin, Scala, Swift, Ruby, Perl, PHP, Lua and shell write one on
 * one line (GNU C's name at the start of the line under its type is not).
 * A name may also be typed as its words (namesAsked) or without its
 * capitals (camelCaseSpelled), then looked for in chunks of code only.
 *
 * `defining` are the documents that define it (`class`, `def`, `function`,
 * a type, a C declaration); `assigning` those that only assign it at the
 * start of a line (`ThreadPoolExecutor = te`), which is how Python and shell
 * declare a variable but also how a module re-binds a name it imports: in
 * Python's standard library, `concurrent/futures/__init__.py` assigns
 * `ThreadPoolExecutor` in its lazy import and had come first, above the
 * `class ThreadPoolExecutor` of `thread.py`.
 */
export function documentsDeclaring(
  db: Database,
  groups: readonly FusedGroup[],
  typed: string,
): { defining: Set<string>; assigning: Set<string> } {
  const none = { defining: new Set<string>(), assigning: new Set<string>() };
  // A command-line option is declared by its entry in a list of options.
  const option = optionTyped(typed);
  if (option) return { ...none, defining: documentsDocumentingOption(db, groups.slice(0, GROUPS_READ), option) };
  const asked = namesAsked(typed);
  const uncapitalised = asked ? null : oneWord(typed);
  if ((!asked && !uncapitalised) || groups.length === 0) return none;
  const read = groups.slice(0, GROUPS_READ);
  // Every chunk naming a qualified name holds the pooled ones that do, so those are not read apart.
  const rows = asked?.qualified
    ? chunksNaming(
        db,
        read.map((g) => g.documentId),
        [asked.names[0]!],
      )
    : // The pooled chunks: of code only, unless names were asked as such (an identifier, which prose may
      // declare in a fence), and then only those holding one as written.
      pooledChunks(db, chunkIdsOf(read), { names: asked?.names, codeOnly: asked?.inCodeOnly !== false });
  const codeFirst = uncapitalised !== null && bestIsCode(read[0]!, rows);
  if (codeFirst) {
    // The word defined as typed is what was asked for (`namedtuple`, not typing's `NamedTuple`).
    const definingAsTyped = documentsMatching(rows, declarationPattern([uncapitalised], 'definition'));
    if (definingAsTyped.size > 0) return { defining: definingAsTyped, assigning: new Set() };
  }
  const { defined, assigned } = asked
    ? { defined: asked.names, assigned: asked.names }
    : namesOfWord(uncapitalised!, rows, codeFirst);
  if (defined.length === 0) return none;
  const definition = declarationPattern(defined, 'definition');
  const reference = asked && !asked.inCodeOnly ? referenceEntryPattern(defined[0]!, asked.qualified === true) : null;
  const defining = documentsMatching(rows, definition, reference);
  const assignment = assigned.length > 0 ? declarationPattern(assigned, 'assignment') : null;
  const assigning = rows.filter((r) => !defining.has(r.documentId) && assignment?.test(r.text));
  return { defining, assigning: new Set(assigning.map((r) => r.documentId)) };
}

/** One word of letters and digits that is not written as an identifier (`livejobcount`), or null. */
function oneWord(typed: string): string | null {
  const word = typed.trim();
  return /^[A-Za-z][A-Za-z0-9]{2,99}$/.test(word) ? word : null;
}

/**
 * The camelCase names in chunks of code that are `word` with other
 * capitals: `livejobcount` typed is `liveJobCount` written, as an editor's
 * symbol search takes it. A word code writes only as itself (`budget`)
 * names nothing, so it lifts nothing.
 */
function camelCaseSpelled(word: string, rows: ReadonlyArray<{ text: string }>): string[] {
  const spelled = new RegExp(`(?<![\\w$])${word}(?![\\w$])`, 'gi');
  const names = new Set<string>();
  for (const { text } of rows) for (const [name] of text.matchAll(spelled)) if (identifierParts(name)) names.add(name);
  return [...names];
}

/**
 * The names one plain word typed asks for, when no code defines it as typed
 * (see documentsDeclaring): the camelCase names spelled so
 * (camelCaseSpelled), and where the best match is code (bestIsCode), the
 * word as code writes it in any case (`Notification`). Only a camelCase
 * name counts when assigned: `attempts = 3` is a setting, not what
 * "attempts" asks for.
 */
function namesOfWord(
  word: string,
  rows: ReadonlyArray<{ text: string }>,
  codeFirst: boolean,
): { defined: string[]; assigned: string[] } {
  const camelCase = camelCaseSpelled(word, rows);
  if (!codeFirst) return { defined: camelCase, assigned: camelCase };
  return { defined: [...camelCase, ...spelledAnyCase(word, rows)], assigned: camelCase };
}

/** The documents of the rows whose text `pattern` (or, in prose, `inProse`) matches. */
function documentsMatching(
  rows: ReadonlyArray<{ documentId: string; text: string; structure?: string; openFence?: string | null }>,
  pattern: RegExp,
  inProse: RegExp | null = null,
): Set<string> {
  const matches = (r: (typeof rows)[number]): boolean =>
    pattern.test(r.text) ||
    (inProse !== null && r.structure !== 'code' && inProse.test(withoutFences(withOpenFence(r.text, r.openFence))));
  return new Set(rows.filter(matches).map((r) => r.documentId));
}

/**
 * Prose without its fenced blocks of code, closed or running to the chunk's
 * end: a line in one is a call ("loop.run_until_complete(coros)" in What's
 * New In Python 3.5's example), not an entry. A chunk begun inside a block
 * has its fence put back first (withOpenFence).
 */
function withoutFences(text: string): string {
  return text.includes('```') || text.includes('~~~')
    ? text.replace(/^([`~]{3,})[^\n]*\n[\s\S]*?(?:^\1[ \t]*$|(?![\s\S]))/gm, '')
    : text;
}

/**
 * An API reference's entry for a name: the name opening a line of its own,
 * with its parameters or alone, after a word such as `class` (Sphinx's
 * "json.loads(_s_, _cls=None_…)", "class json.JSONDecoder(…)",
 * "sys.argv"; JSDoc's and MDN's "console.log(data, ...args)"). Looked for
 * in prose only: in code such a line is a call. On Python's documentation
 * `json.loads` had put "What's New In Python 3.6", which mentions it in
 * passing, above the json module's page.
 *
 * A qualified name alone on a line is an entry only when its last part is
 * no file extension: "report.pdf" on a line of its own is a file listed.
 * An identifier (`OrderedDict`, `GIT_DIR`) is declared under its module's
 * name too ("class collections.OrderedDict([items])"), and alone only as
 * code or as an AsciiDoc term ("`GIT_DIR`", "GIT_DIR::", as Git's manual
 * lists its environment variables): a heading of that name is about it,
 * not its declaration.
 */
function referenceEntryPattern(name: string, qualified: boolean): RegExp {
  const id = escapeRegExp(name);
  // Sphinx's HTML sets the kind in italics ("_class_ collections.OrderedDict(…)", read as Markdown).
  const kinds = `(?:[*_]*(?:${ENTRY_KINDS})[*_]*[ \\t]+)*`;
  // Parameters nest one level at most ("(key=len(x))"); the entry ends the line, so a sentence that goes on
  // ("`collections.namedtuple()` now supports defaults (bpo-32320)") or a chained call is no entry.
  const parameters = '\\((?:[^()\\n]|\\([^()\\n]*\\))*\\)[`*_]*';
  const term = '(?:::)?[ \\t]*$';
  if (qualified) {
    const last = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    const alone = readableFileNames().extensions.includes(last) ? '' : `|${term}`;
    return new RegExp(`^[ \\t]*${kinds}[\`*_]*${id}[\`*_]*(?:[ \\t]*${parameters}[ \\t]*$${alone})`, 'm');
  }
  const withParameters = `${kinds}[\`*_]*(?:[A-Za-z_$][\\w$]*\\.)*${id}[\`*_]*[ \\t]*${parameters}[ \\t]*$`;
  const alone = `\`${id}\`${term}|${id}::[ \\t]*$`;
  // At the margin: an indented line is an example's call ("   asyncio.create_task(b.wait())" in a
  // literal block of a reStructuredText source), an entry is not indented.
  return new RegExp(`^(?:${withParameters}|${alone})`, 'm');
}

/** Words an API reference sets before an entry's name (Sphinx: "class", "exception", "async", "classmethod"...). */
const ENTRY_KINDS =
  'abstract|async|static|final|class|exception|method|function|attribute|data|property|coroutine|classmethod|staticmethod|abstractmethod|decorator|awaitable';

/**
 * Whether the best-ranked document's best chunk is code (`rows` holds the
 * chunks of code read). There a plain word typed (`urlopen`, `copytree`,
 * `crop`) is a name as well, as in an editor's symbol search: its
 * definitions come first. In a library of notes the best match of "budget"
 * is prose, and a `function budget()` lifts nothing.
 */
function bestIsCode(best: FusedGroup, rows: ReadonlyArray<{ id: number }>): boolean {
  const chunk = best.chunks[0]?.chunkId;
  return rows.some((r) => r.id === chunk);
}

/** `word` in every case the chunks of code write it (`Notification` for "notification"). */
function spelledAnyCase(word: string, rows: ReadonlyArray<{ text: string }>): string[] {
  const spelled = new RegExp(`(?<![\\w$])${word}(?![\\w$])`, 'gi');
  return [...new Set(rows.flatMap((r) => Array.from(r.text.matchAll(spelled), ([name]) => name)))];
}

/** What a query asks the declaration of (namesAsked). */
interface NamesAsked {
  names: string[];
  /** Looked for in chunks of code only. */
  inCodeOnly: boolean;
  /** A qualified name (`json.loads`): an API reference's entry for it declares it too. */
  qualified?: boolean;
}

/**
 * A name qualified by its module, class or object, as documentation and
 * code write it: `json.loads`, `os.path.join`, `console.log`,
 * `String.prototype.trim`. A file's name has this shape too (`report.pdf`);
 * such a name declares nothing, so the check changes nothing for it.
 */
function isQualifiedName(typed: string): boolean {
  const name = typed.trim();
  return name.length <= 100 && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(name);
}

/** Words typed apart that may be the words of one name: a name of more is rarely typed so. */
const MAX_NAME_WORDS = 4;

/**
 * The names a query asks the declaration of: an identifier as typed, or
 * two to four plain words as the names code writes of them ("live job
 * count": liveJobCount, LiveJobCount, live_job_count, LIVE_JOB_COUNT;
 * the index has code's names by their words, db/identifier-terms.ts).
 * Words only in chunks of code: prose declares nothing, and "const" or
 * "type" opening a sentence would read as a keyword.
 */
export function namesAsked(typed: string): NamesAsked | null {
  if (looksLikeIdentifier(typed)) return { names: [typed.trim()], inCodeOnly: false };
  if (isQualifiedName(typed)) return { names: [typed.trim()], inCodeOnly: false, qualified: true };
  const words = typed.trim().toLowerCase().split(/\s+/);
  if (words.length < 2 || words.length > MAX_NAME_WORDS || !words.every((w) => /^[a-z][a-z0-9]*$/.test(w))) return null;
  const capital = (w: string): string => w[0]!.toUpperCase() + w.slice(1);
  const camel = words.map(capital).join('');
  return {
    names: [words[0] + camel.slice(words[0]!.length), camel, words.join('_'), words.join('_').toUpperCase()],
    inCodeOnly: true,
  };
}

/** Whether `text` declares `name`, by a definition or an assignment (see documentsDeclaring). */
export function declares(text: string, name: string): boolean {
  return declarationPattern([name], 'definition').test(text) || declarationPattern([name], 'assignment').test(text);
}

/**
 * A declaration of one of `names`: a definition (a keyword that introduces
 * one before it, a C-family declaration, a method, a shell function), or an
 * assignment opening a line.
 */
function declarationPattern(names: readonly string[], kind: 'definition' | 'assignment'): RegExp {
  const id = `(?:${names.map(escapeRegExp).join('|')})`;
  const keyword =
    '(?:function\\*?|class|interface|typealias|enum|struct|trait|protocol|record|union|def|fn|fun|func|sub|module|namespace|object|const|let|var|val|macro_rules!|#define|local|readonly)';
  // `type X` declares X, except as a modifier in a list of names: `import { type X }`, `export { a, type X as Y }`.
  const typeAlias = `type\\s+${id}(?![\\w$])(?!\\s*(?:[,}]|as\\b))`;
  // Go's methods: `func (s *Server) Name(`.
  const goMethod = 'func\\s*\\([^)\\n]*\\)';
  // `name = ...`, `name := ...`, `export name=...` at the start of a line, not a comparison.
  const assigned = `^[ \\t]*(?:export[ \\t]+)?${id}[ \\t]*(?::=|=(?!=))`;
  if (kind === 'assignment') return new RegExp(assigned, 'm');
  // A shell function: `name() {`.
  const shellFunction = `^[ \\t]*${id}[ \\t]*\\(\\)[ \\t]*\\{`;
  // C, C++, Java, C#: types and modifiers, then the name, on a line that ends as a declaration does
  // (`{`, `;`, or the parameters' `)`), never a statement (`return name(x);`) or a sentence. A colon
  // is part of a type (`std::string`) but never ends one: `field?: Name;` in TypeScript uses the type.
  const typed = `^[ \\t]*(?!${PROMPT})(?!(?:${STATEMENT_WORDS})\\b)(?:(?:[\\w<>\\[\\],.*&?]|:(?![ \\t]))+[ \\t]+){1,6}[*&]?${id}[ \\t]*(?:${PARAMETERS}[ \\t]*(?:const|throws[^\\n]*)?[ \\t]*\\{?|(?:=(?!=)[^\\n]*)?;)[ \\t]*$`;
  // A method in a class or object literal (JavaScript, TypeScript): `name(a, b): T {` alone on its line.
  const method = `^[ \\t]*${id}[ \\t]*${PARAMETERS}[ \\t]*\\{[ \\t]*$`;
  return new RegExp(
    `(?:(?:^|[^\\w$.])(?:(?:${keyword}|${goMethod})\\s+${id}(?![\\w$])|${typeAlias}))|(?:${shellFunction})|(?:${typed})|(?:${method})`,
    'm',
  );
}

/** A parameter list without calls or arrow functions in it (`(x, () => {` is a call), and a return type. */
const PARAMETERS = '\\([^()\\n]*\\)(?:[ \\t]*:[^\\n{;=]*)?';

/** An interactive session's prompt (Python's `>>> ` and `... `): what follows it is run, not declared. */
const PROMPT = '(?:>>>|\\.\\.\\.)(?:[ \\t]|$)';

/** Words that open a statement, not a declaration, in the C family. */
const STATEMENT_WORDS =
  'return|await|yield|new|throw|delete|else|case|if|while|for|do|not|and|or|print|echo|assert|raise|del|import|from|using|go|defer|goto|sizeof|typeof';
