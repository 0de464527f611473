import { firstMarkdownHeading } from '../document-title';
import type { ParsedDocument } from '../types';
import { fencedCode } from './fenced-code';
import { normaliseText } from './text';
import { closingIndex } from '../balanced';

/**
 * LaTeX sources (`.tex`) written as Markdown, the form the chunker, snippets
 * and preview read. Read as plain text, a paper was its markup: titled by
 * its file name, no sections, and `\textbf{`, `\cite{smith2020}` and the
 * preamble's `\usepackage` lines in its snippets.
 *
 * - `\title{}` is the title, else the first heading; the preamble
 *   (packages, macros) is dropped, the author and the abstract kept.
 * - `\part` to `\subsubsection` and `\paragraph` are headings (starred ones
 *   too); `\label`, `\ref`, `\cite` and other references show as nothing.
 * - `verbatim`, `lstlisting` and `minted` environments are code; `itemize`
 *   and `enumerate` items are list items; `\emph`, `\textbf`, `\texttt`,
 *   `\href` and `\url` read as Markdown writes them; other commands keep
 *   their argument's words (`\textsc{Nasa}` reads "Nasa").
 * - Comments (`%` to the line's end, not `\%`) are dropped; math stays as
 *   written, where its symbols are what a person searches for.
 */
export function parseLatex(text: string): ParsedDocument {
  const source = normaliseText(text);
  const preamble = withoutComments(source);
  const title = argumentOf(preamble, 'title');
  const begin = source.indexOf('\\begin{document}');
  const end = source.indexOf('\\end{document}');
  const body = begin >= 0 ? source.slice(begin + '\\begin{document}'.length, end > begin ? end : undefined) : source;
  const author = argumentOf(preamble, 'author');
  const lines = [...(author ? [`Author: ${plainText(author)}`, ''] : []), ...bodyLines(body)];
  const markdown = lines
    .join('\n')
    .split('\n')
    // Line by line: `[ \t]+\n` over the text took minutes on a long run of spaces not ending a line.
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // A chapter's file of a book has no \title: its first heading names it, as a Markdown file's first H1 does.
  const shownTitle = title ? plainText(title) : (firstMarkdownHeading(markdown) ?? '');
  return shownTitle
    ? { text: markdown, format: 'markdown', title: shownTitle }
    : { text: markdown, format: 'markdown' };
}

const HEADING_LEVELS: Readonly<Record<string, number>> = {
  part: 1,
  chapter: 1,
  section: 1,
  subsection: 2,
  subsubsection: 3,
  paragraph: 4,
  subparagraph: 5,
};
const CODE_ENVIRONMENTS = /^(verbatim\*?|lstlisting|minted|Verbatim|alltt|comment)$/;
/** Environments whose text is read as it is, their markers dropped: the abstract, a quote, a figure's caption. */
const LIST_ENVIRONMENTS = /^(itemize|enumerate|description)$/;
/** Commands that only point elsewhere or set layout: shown as nothing, argument and all. */
const HIDDEN_COMMANDS =
  /^(label|ref|eqref|pageref|autoref|cref|Cref|cite|citep|citet|citeauthor|citeyear|nocite|bibliography|bibliographystyle|includegraphics|input|include|vspace|hspace|setlength|addtolength|newcommand|renewcommand|usepackage|documentclass|thispagestyle|pagestyle|maketitle|tableofcontents|newpage|clearpage|centering|noindent|small|large|Large|footnotesize|normalsize|hline|toprule|midrule|bottomrule)$/;

/** Deepest nesting of commands read as commands; real documents nest a handful. */
const MAX_NESTING = 32;

function bodyLines(body: string): string[] {
  const out: string[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const begin = /^\s*\\begin\{([^}]+)\}/.exec(line);
    if (begin && CODE_ENVIRONMENTS.test(begin[1]!)) {
      const name = begin[1]!;
      const close = `\\end{${name}}`;
      const code: string[] = [];
      const language =
        name === 'minted' ? (/\\begin\{minted\}(?:\[[^\]\n]{0,200}\])?\{([\w+#-]+)\}/.exec(line)?.[1] ?? '') : '';
      for (i++; i < lines.length && !lines[i]!.includes(close); i++) code.push(lines[i]!);
      const fenced = fencedCode(code.join('\n'), language);
      if (name !== 'comment' && fenced) out.push('', fenced, '');
      continue;
    }
    out.push(proseLine(line));
  }
  return out;
}

/** A line of prose as Markdown, without the spaces that dropped commands (`~\\cite{x}`) leave behind. */
function proseLine(line: string): string {
  return markdownLine(line)
    .replace(/([^ \n]) {2,}/g, '$1 ')
    .replace(/([^ \n]) +([.,;:!?)])/g, '$1$2');
}

function markdownLine(line: string): string {
  const trimmed = withoutComments(line).trim();
  const heading = /^\\(part|chapter|section|subsection|subsubsection|paragraph|subparagraph)\*?(?:\[[^\]]*\])?\{/.exec(
    trimmed,
  );
  if (heading) {
    const argument = bracedFrom(trimmed, heading[0].length - 1);
    const rest = trimmed.slice(heading[0].length - 1 + argument.length + 2);
    return `\n${'#'.repeat(HEADING_LEVELS[heading[1]!]!)} ${plainText(argument)}\n\n${inline(rest)}`;
  }
  // An environment's own arguments (a table's columns `{ll}`, a figure's placement `[h]`) are no text.
  const environment = /^\\(begin|end)\{([^}]+)\}(?:\[[^\]]*\]|\{[^}]*\})*(.*)$/.exec(trimmed);
  if (environment) {
    const name = environment[2]!;
    // A list's end, or any environment's marker: a paragraph break; an abstract says what it is.
    const label = environment[1] === 'begin' && name === 'abstract' ? '**Abstract.** ' : '';
    return LIST_ENVIRONMENTS.test(name) || !label ? `\n${inline(environment[3] ?? '')}` : `\n${label}`;
  }
  const item = /^\\item(?:\[([^\]]*)\])?\s*(.*)$/.exec(trimmed);
  if (item) return `- ${item[1] ? `${plainText(item[1])}: ` : ''}${inline(item[2] ?? '')}`;
  const row = trimmed.replace(/\\\\(?:\[[^\]\\]{0,50}\])?$/, '');
  // A table's row, `a & b \\`: its cells apart, as a result shows a table's.
  if (row !== trimmed && /(?<!\\)&/.test(row))
    return row
      .split(/(?<!\\)&/)
      .map((cell) => inline(cell.trim()))
      .join(' · ');
  return inline(row);
}

/** `\\verb|code|`: any mark but a letter or a space delimits the code, on one line. */
const VERB = /\\verb\*?([^\sA-Za-z*])(.{0,500}?)\1/y;
const COMMAND = /\\([A-Za-z]+)\*?/y;
/** A command's optional argument, `[11pt]`. */
const OPTIONS = /\[[^\]\n]{0,200}\]/y;

/**
 * `pattern` (sticky) matched where `at` is. A match on `text.slice(at)`
 * copied the rest of the line each time: a megabyte of backslashes took two
 * minutes.
 */
function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** A line's commands as text: emphasis and links as Markdown writes them, other commands their argument. */
function inline(text: string, depth = 0): string {
  // Commands nested deeper than any document writes them (`\\x{\\x{\\x{...` a megabyte long) are read as
  // their words: each level is a call, and the stack would run out.
  if (depth > MAX_NESTING) return text.replace(/\\[A-Za-z]*|[{}]/g, ' ');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('\\', i);
    // Braces outside a command's argument only group (`{\\bf x}`), or close an argument begun on an earlier line.
    out += text.slice(i, at < 0 ? undefined : at).replace(/[{}]/g, '');
    if (at < 0) break;
    const verb = matchAt(VERB, text, at);
    if (verb) {
      out += `\`${verb[2]}\``;
      i = at + verb[0].length;
      continue;
    }
    const command = matchAt(COMMAND, text, at);
    if (!command) {
      // `\%`, `\&`, `\_`: the character itself; `\\` a line break.
      const next = text[at + 1] ?? '';
      out += next === '\\' ? ' ' : next;
      i = at + 2;
      continue;
    }
    let j = at + command[0].length;
    const options = matchAt(OPTIONS, text, j);
    if (options) j += options[0].length;
    const args: string[] = [];
    while (text[j] === '{' && args.length < 2) {
      const argument = bracedFrom(text, j);
      args.push(argument);
      j += argument.length + 2;
    }
    out += commandText(command[1]!, args, depth + 1);
    i = j;
  }
  // `~` is a space that does not break; ``quotes'' are typewriter quotes.
  return out.replace(/~/g, ' ').replace(/``|''/g, '"');
}

function commandText(name: string, args: readonly string[], depth: number): string {
  const [first = '', second = ''] = args;
  if (HIDDEN_COMMANDS.test(name)) return '';
  if (name === 'emph' || name === 'textit') return `*${inline(first, depth)}*`;
  if (name === 'textbf') return `**${inline(first, depth)}**`;
  if (name === 'texttt') return `\`${first}\``;
  if (name === 'href') return `[${inline(second, depth)}](${first})`;
  if (name === 'url') return `<${first}>`;
  if (name === 'footnote') return ` (${inline(first, depth)})`;
  if (name === 'LaTeX') return 'LaTeX';
  if (name === 'TeX') return 'TeX';
  return args
    .map((arg) => inline(arg, depth))
    .filter((arg) => arg.trim() !== '')
    .join(' ');
}

/** The text between the brace at `open` and its match, or to the end when it never closes. */
function bracedFrom(text: string, open: number): string {
  const close = closingIndex(text, open, '{', '}');
  return close < 0 ? text.slice(open + 1) : text.slice(open + 1, close);
}

/** The argument of the first `\name{...}` in the text (the preamble's `\title`, `\author`), or undefined. */
function argumentOf(text: string, name: string): string | undefined {
  const match = new RegExp(`\\\\${name}(?:\\[[^\\]\\n]{0,200}\\])?\\{`).exec(text);
  if (!match) return undefined;
  return bracedFrom(text, match.index + match[0].length - 1).trim() || undefined;
}

/** Text with its commands read (see inline) and no Markdown marks: for titles, headings and authors. */
function plainText(latex: string): string {
  return inline(latex.replace(/\\(?:and|\\)/g, ','))
    .replace(/[*`]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?,(?: ?,)* ?/g, ', ')
    .trim();
}

/** The text without its comments: `%` to the line's end, unless escaped (`\%`). Code keeps its `%`. */
function withoutComments(text: string): string {
  return text.replace(/(^|[^\\])%.*$/gm, '$1');
}
