/**
 * Where a chunk of source code sits: the classes and functions around it,
 * as the heading path a Markdown chunk gets from its headings. A chunk cut
 * from the middle of a method otherwise shows lines with no name to them;
 * with a path it reads "JobQueue › enqueue()", and the names are searchable
 * with it.
 *
 * Nesting is read from indentation, which every language's own style guides
 * keep: a declaration encloses the lines after it that are indented further
 * (brace languages indent bodies too), and ends at the first line indented
 * no further (its `}`, `end`, or the next declaration). A line opening with
 * `)` or `]` closes a multi-line parameter list and ends nothing.
 *
 * Configuration reads the same way: an INI or TOML file's `[section]`
 * heads what follows it, and a YAML key heads the block indented under it.
 *
 * Only declarations are recognised, never statements: a wrong name would
 * mislead, a missing one only leaves the path shorter. Indentation that
 * lies (a template literal or heredoc at column 0 inside a function) ends
 * the enclosing declarations early, which costs only their names.
 */
export class CodeOutline {
  /** `listItem`: a YAML key opened on a `- key:` line, which the next item at its indentation ends. */
  private readonly open: Array<{ indent: number; label: string; listItem?: boolean }> = [];
  /** A signature whose parameters run on below (`enqueue(`), until its `) {` shows it is one. */
  private unclosed: { indent: number; label: string } | null = null;
  /** Offset of the next line not yet read. */
  private next = 0;

  /** `language` as the parser named it: INI-style sections and YAML keys are read for their languages only. */
  constructor(
    private readonly text: string,
    private readonly language?: string,
  ) {}

  /**
   * The declarations enclosing the line holding `offset`,
   * outermost first. Offsets must be asked in increasing order (chunks are
   * in document order), so a whole file is read once.
   */
  enclosing(offset: number): string[] {
    while (this.next < this.text.length) {
      const lineEnd = this.lineEnd(this.next);
      const line = this.text.slice(this.next, lineEnd);
      const indent = indentOf(line);
      const blank = !/\S/.test(line);
      // `)` and `]` close a list opened above, `{` opens the body of the signature above: neither ends anything.
      if (!blank && !CONTINUES_ABOVE.test(line)) {
        this.closeBefore(line, indent);
        if (this.unclosed && indent <= this.unclosed.indent) this.unclosed = null;
      }
      // The line holding `offset` (a chunk may start after its indentation) is the one asked about.
      if (offset <= lineEnd) break;
      if (!blank) this.read(line, indent, this.text.slice(lineEnd + 1, this.lineEnd(lineEnd + 1)));
      this.next = lineEnd + 1;
    }
    const labels = this.open.map((d) => d.label);
    // Stored with every chunk and indexed: a file nested thousands deep must not make each chunk's path as long.
    return labels.length <= MAX_DEPTH
      ? labels
      : [...labels.slice(0, OUTER_KEPT), ...labels.slice(labels.length - (MAX_DEPTH - OUTER_KEPT))];
  }

  private read(line: string, indent: number, nextLine: string): void {
    if (this.sectioned()) this.readSection(line);
    else if (this.language === 'yaml') this.readYamlKey(line, indent);
    else this.readDeclaration(line, indent, nextLine);
  }

  private sectioned(): boolean {
    return this.language === 'toml' || this.language === 'ini';
  }

  /** A section runs to the next one, whatever the indentation of its keys. */
  private readSection(line: string): void {
    const section = INI_SECTION.exec(line);
    if (section) this.open.push({ indent: -1, label: clip((section[1] as string).trim()) });
  }

  private readYamlKey(line: string, indent: number): void {
    const key = YAML_PARENT_KEY.exec(line);
    if (!key) return;
    const label = clip((key[2] as string).replace(/^(["'])(.*)\1$/, '$2'));
    this.open.push({ indent, label, listItem: key[1] !== undefined });
  }

  private readDeclaration(line: string, indent: number, nextLine: string): void {
    if (this.unclosed && indent === this.unclosed.indent && CLOSES_SIGNATURE.test(line)) {
      this.open.push(this.unclosed);
      this.unclosed = null;
      return;
    }
    const label = declarationLabel(line, nextLine);
    if (label) this.open.push({ indent, label });
    else {
      const opened = unclosedSignature(line);
      if (opened) this.unclosed = { indent, label: opened };
    }
  }

  /**
   * Ends the declarations a line indented `indent` is not inside. YAML's
   * `- item` lines may sit at their key's own indentation (`steps:`, then
   * `- run: x`) and still be under it; they end only the item before them.
   */
  private closeBefore(line: string, indent: number): void {
    // A section header ends the section before it (a chunk opening on one is not under the last).
    if (this.sectioned() && INI_SECTION.test(line)) this.open.length = 0;
    const listItem = this.language === 'yaml' && /^\s*-(?:\s|$)/.test(line);
    for (;;) {
      const top = this.open[this.open.length - 1];
      if (!top || top.indent < indent || (top.indent === indent && listItem && top.listItem !== true)) return;
      this.open.pop();
    }
  }

  private lineEnd(from: number): number {
    const end = this.text.indexOf('\n', from);
    return end < 0 ? this.text.length : end;
  }
}

/** Most names in a path; deeper ones keep the outermost OUTER_KEPT and the innermost rest. */
const MAX_DEPTH = 6;
const OUTER_KEPT = 2;

/** Width of a line's leading white space, tabs stopping every 8 columns. */
function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width += 1;
    else if (ch === '\t') width += 8 - (width % 8);
    else break;
  }
  return width;
}

const CONTINUES_ABOVE = /^\s*[)\]{]/;

/** `[server]`, `[tool.poetry]`, `[[bin]]`: an INI or TOML section header. */
const INI_SECTION = /^\s*\[\[?([^\][\n]{1,100})\]\]?\s*(?:[#;].*)?$/;

/** A YAML key whose value is the block below it (`services:`, `- build:`), not one on its line. */
const YAML_PARENT_KEY = /^\s*(-\s+)?([\w.$/@-]{1,100}|"[^"\n]{1,100}"|'[^'\n]{1,100}'):\s*(?:[|>][-+]?\s*)?(?:#.*)?$/;

/** `): Promise<void> {`, `) -> Result<()> {`, `) throws IOException {`: the end of a multi-line signature. */
const CLOSES_SIGNATURE = /^\s*\)\s*(?::[^;=\n]*|->[^;=\n]*|\bthrows\b[^;\n]*)?\s*\{\s*$/;

/** Longer lines are data or generated, never a declaration someone wrote; not reading them keeps the patterns cheap. */
const MAX_DECLARATION_LINE = 400;

/** Longest label kept: a path is a reminder, not a copy of the signature. */
const MAX_LABEL = 60;

/** Modifiers that may come before a declaration's keyword or name, in any of the languages below. */
const MODIFIERS =
  '(?:(?:export|default|declare|public|private|protected|internal|static|async|abstract|final|override|virtual|inline|extern|sealed|open|data|suspend|unsafe|partial|readonly|pub(?:\\([\\w:]+\\))?|const(?=\\s+fn)|local)\\s+)*';

/**
 * `class Name`, `fn name`, `def name`...: the keyword says what the label says.
 * Space (or `<`, `*`, a Go receiver's `(`) must follow the keyword: `impl.run = () => {`
 * and `record.save()` use a variable that has a keyword's name.
 */
const KEYWORD_DECLARATION = new RegExp(
  `^\\s*${MODIFIERS}(class|interface|struct|enum|trait|protocol|record|union|module|namespace|object|extension|type|impl|function|def|fn|fun|func|sub|proc)(?=[\\s<*(])[\\s*]*(?:\\([^)\\n]*\\)\\s*)?([A-Za-z_$][\\w$]*(?:[.:][A-Za-z_$][\\w$]*)*)?`,
);

/**
 * What follows a declared name: its parameters, generics, base classes or
 * body. Prose ("class of problems" in a docstring) has a word there instead.
 */
const AFTER_NAME = /^\s*(?:$|[{:(<[=;]|(?:extends|implements|with|where|struct|interface)\b)/;

/**
 * A test or group of tests, named by its description: `describe('queue', () => {`,
 * `it('retries', async () => {` (Jest, Vitest, Mocha), `it 'retries' do` (RSpec).
 * In a test file these are the names a passage is under.
 */
const TEST_BLOCK =
  /^\s*(?:describe|context|suite|it|test|specify)(?:\.(?:only|skip|each|concurrent|todo))?(?:\(\s*|\s+)(['"`])((?:(?!\1)[^\\\n]|\\.){1,200})\1\s*(?:,.*(?:=>|\bfunction\s*[\w$]*\s*\([^()\n]*\))\s*\{|\s+do(?:\s*\|[^|\n]*\|)?)\s*$/;

/**
 * RSpec's group named by the class it describes: `RSpec.describe Invoice do`,
 * `describe Billing::Plan, type: :model do`. The name is group 2, as in TEST_BLOCK.
 */
const RSPEC_SUBJECT =
  /^\s*(RSpec\.)?(?:describe|context)\s+([A-Z][\w]*(?:::[A-Z][\w]*)*)(?:\s*,[^\n]{0,200})?\s+do(?:\s*\|[^|\n]*\|)?\s*$/;

/** `const name = (a) => {`, `name = function (`, `export const name = async x => {`: a function bound to a name. */
const BOUND_FUNCTION = new RegExp(
  `^\\s*${MODIFIERS}(?:(?:const|let|var|val)\\s+)?([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)\\s*(?::[^=\\n]{1,80})?=\\s*(?:async\\s+)?(?:function\\b|\\([^()\\n]*\\)\\s*(?::[^=\\n]{1,80})?=>|[A-Za-z_$][\\w$]*\\s*=>)`,
);

/** `save: async (doc) => {`, `onClick: function () {`: a function as an object's property, its body below. */
const PROPERTY_FUNCTION =
  /^\s*([A-Za-z_$][\w$]*)\s*:\s*(?:async\s+)?(?:function\s*[\w$]*\s*\([^()\n]*\)|\([^()\n]*\)\s*(?::[^=\n]{1,80})?=>|[A-Za-z_$][\w$]*\s*=>)\s*\{\s*$/;

/** `const NAME = {` / `[`: a declared table or list whose entries run on below. */
const BOUND_OBJECT = new RegExp(
  `^\\s*${MODIFIERS}(?:const|let|var|val)\\s+([A-Za-z_$][\\w$]*)\\s*(?::[^=\\n]{1,80})?=\\s*[{[]\\s*$`,
);

/** A method or C-family function's start: optional types and modifiers, the name, its parameters so far. */
const SIGNATURE_START = String.raw`^\s*(?:[\w$<>[\],.*&:?]+\s+){0,6}[*&]?([A-Za-z_$][\w$]*)\s*(?:<[^<>\n]*>)?\(((?:[^()\n]|\([^()\n]*\))*)`;
/** ...with its parameters closed on the line (the body's `{` comes after them, or on the next line). */
const SIGNATURE = new RegExp(`${SIGNATURE_START}\\)`);

/** Strings, numbers or members between the parentheses: a call with a trailing block (`repeat(3) {`, `withContext(Dispatchers.IO) {`), not parameters. */
const PASSES_VALUES = /["'`]|\b\d|\w\.\w/;

/** Words that open a statement whose parentheses a signature would be mistaken for. */
const STATEMENT =
  /^\s*(?:(?:\}\s*)?(?:if|else|for|foreach|while|switch|catch|with|return|do|try|using|lock|fixed|synchronized|unless|until|elif|elsif|match|when|await|yield|throw|new|sizeof|typeof|case|print|echo|assert|defer|go|select)\b|\})/;

/** The label for a line that opens a declaration, or null. `nextLine` allows a brace on the line below (Allman style). */
export function declarationLabel(line: string, nextLine: string): string | null {
  if (line.length > MAX_DECLARATION_LINE) return null;
  const keyword = KEYWORD_DECLARATION.exec(line);
  if (keyword) {
    const kind = keyword[1] as string;
    // Rust's `impl<T> Display for Store<T> {`: what is implemented for what is the name.
    if (kind === 'impl') return clip(line.trim().replace(IMPL_NOISE, ''));
    const name = keyword[2];
    if (!name || !AFTER_NAME.test(line.slice(keyword[0].length))) return null;
    return clip(FUNCTION_KEYWORDS.has(kind) ? `${name}()` : `${kind} ${name}`);
  }
  const block = TEST_BLOCK.exec(line) ?? RSPEC_SUBJECT.exec(line);
  if (block) return clip(block[2] as string);
  const bound = BOUND_FUNCTION.exec(line) ?? PROPERTY_FUNCTION.exec(line);
  if (bound) return clip(`${bound[1] as string}()`);
  const object = BOUND_OBJECT.exec(line);
  if (object) return clip(object[1] as string);
  return signatureLabel(line, nextLine);
}

/** A method or C-family function: `name(params) {`, or with the brace on the next line. */
function signatureLabel(line: string, nextLine: string): string | null {
  if (STATEMENT.test(line)) return null;
  const signature = SIGNATURE.exec(line);
  if (!signature) return null;
  if (PASSES_VALUES.test(signature[2] ?? '')) return null;
  const rest = line.slice(signature[0].length);
  const opensHere =
    /^\s*(?::[^;=\n]*|->[^;=\n]*|\bconst\b|\bthrows\b[^;\n]*|\bnoexcept\b)?\s*\{\s*(?:\/\/.*|\/\*.*)?$/.test(rest);
  const opensBelow = /^\s*(?:\bconst\b|\bthrows\b[^;\n]*)?\s*$/.test(rest) && /^\s*\{\s*$/.test(nextLine);
  return opensHere || opensBelow ? clip(`${signature[1] as string}()`) : null;
}

/** A signature left open at the end of its line, `name(` or `name(first: string,`: its label if it turns out to be one. */
function unclosedSignature(line: string): string | null {
  if (line.length > MAX_DECLARATION_LINE || STATEMENT.test(line)) return null;
  const opened = SIGNATURE_OPENED.exec(line);
  return opened && !PASSES_VALUES.test(opened[2] ?? '') ? clip(`${opened[1] as string}()`) : null;
}

/** ...with its parameters running on to the next line. */
const SIGNATURE_OPENED = new RegExp(`${SIGNATURE_START}$`);

const IMPL_NOISE = /^pub\S*\s+|\s*\{.*$/g;

const FUNCTION_KEYWORDS = new Set(['function', 'def', 'fn', 'fun', 'func', 'sub', 'proc']);

function clip(label: string): string {
  return label.length <= MAX_LABEL ? label : `${label.slice(0, MAX_LABEL - 1)}…`;
}
