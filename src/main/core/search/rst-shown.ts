import { ownEntry } from '../../../shared/own-entry';
import { indentOf, nextNonBlank } from './text-lines';

/**
 * reStructuredText and MyST (the Markdown Sphinx and Jupyter Book read) as
 * Sphinx shows them: directives as their labels and arguments, literal
 * blocks as code, build-only directives and targets as nothing.
 */

/** A reStructuredText table's border: `+-----+------+` (grid) or `===== ======` (simple). */
export const RST_TABLE_BORDER = /^\s*(?:\+(?:[-=]+\+)+|=+(?:\s+=+)+)\s*$/;
/** reStructuredText markup lines: a hyperlink target (`.. _label:`) or substitution (`.. |name| image::`), shown as nothing. */
export const RST_TARGET = /^\s*\.\.\s+(?:_[^:]*:|\|[^|]+\|)/;
/** A reStructuredText directive (`.. method:: writerow(row)`, `.. note::`): its argument is what shows. */
const RST_DIRECTIVE = /^(\s*)\.\.\s+([\w:.-]+)::\s*/;
/**
 * Directives for the build, not the reader: index entries (`single: (?P<; in
 * regular expressions`), an included file's path, the code language, a table
 * of contents' file names, authors, doctest set-up. They and the lines
 * indented under them show as nothing, as Sphinx renders them.
 */
const HIDDEN_DIRECTIVES =
  'index|include|highlight|toctree|sectionauthor|moduleauthor|codeauthor|currentmodule|default-role|testsetup|testcleanup';
export const RST_HIDDEN_DIRECTIVE = new RegExp(`^\\s*\\.\\.\\s+(?:${HIDDEN_DIRECTIVES})::`);
/**
 * MyST, the Markdown Sphinx and Jupyter Book read, writes a directive as a
 * fence named in braces (```{note}, :::{warning}, ````{toctree}), its
 * argument after the name; the same directives as reStructuredText's.
 */
const MYST_DIRECTIVE = /^\s{0,3}(`{3,}|~{3,}|:{3,})\{([\w:.-]+)\}[ \t]*(.*)$/;
const MYST_HIDDEN = new RegExp(`^(?:${HIDDEN_DIRECTIVES})$`);
/** A MyST target above a heading, `(install-guide)=`: a label for links, shown as nothing. */
export const MYST_TARGET = /^\s{0,3}\([^()\s]+\)=\s*$/;
/**
 * A colon fence: MyST's (`:::{note}`) or a Pandoc and Quarto fenced div
 * (`::: {.callout-warning}`, `::: note`, a bare `:::` closing one). It
 * holds prose; the fence shows as its admonition's label, if any.
 */
const COLON_FENCE = /^\s{0,3}(:{3,})\s*(?:\{\.?(?:callout-)?([\w-]+)[^}]*\}|([\w-]+))?.*$/;
/** A directive's option line under its fence (`:maxdepth: 2`, `:class: tip`). */
const DIRECTIVE_OPTION = /^\s*:[\w-]+:(?:\s.*)?$/;
/** The label Sphinx writes before a version note's version or an admonition's text. */
const RST_LABELS: Readonly<Record<string, string>> = {
  versionadded: 'New in version',
  versionchanged: 'Changed in version',
  deprecated: 'Deprecated since version',
  'deprecated-removed': 'Deprecated since version',
  seealso: 'See also:',
  note: 'Note:',
  tip: 'Tip:',
  hint: 'Hint:',
  important: 'Important:',
  warning: 'Warning:',
  caution: 'Caution:',
  attention: 'Attention:',
  danger: 'Danger:',
  error: 'Error:',
};

/** The label an admonition or version note named `name` shows with ("Note:", "New in version"), if it has one. */
export function admonitionLabel(name: string): string | undefined {
  return ownEntry(RST_LABELS, name);
}

/** A role (`:func:`), a directive (`.. note::`) or a target (`.. _label:`): text written in reStructuredText. */
export const RST_SIGNS = /:[\w.+-]+:`|^\s*\.\.\s+(?:[\w:.-]+::|_[^:\n]*:)/m;
/** Directives whose indented body is code (the rest, `.. note::`, hold prose). */
const CODE_DIRECTIVE = /^\s*\.\.\s+(?:code-block|code|sourcecode|literalinclude|doctest|productionlist)::/;

/** "See this example::" or a lone "::": reStructuredText's start of a literal block. */
const LITERAL_MARK = /(^|[^:\s])?(\s*)::\s*$/;

/**
 * Whether line `i` opens a reStructuredText literal block (the next
 * non-blank line is indented deeper), and its text as shown: "example::"
 * reads "example:", a lone "::" and a code directive nothing.
 */
export function literalBlockAt(lines: readonly string[], i: number): { text: string } | undefined {
  const line = lines[i] as string;
  const isDirective = CODE_DIRECTIVE.test(line);
  const mark = isDirective ? null : LITERAL_MARK.exec(line);
  if (!isDirective && (!mark || /^\s*\.\./.test(line))) return undefined;
  // A blank line comes first, as reStructuredText requires: AsciiDoc's "--force::" has its text right under it.
  const next = nextNonBlank(lines, i);
  if (next === i + 1 || next >= lines.length || indentOf(lines[next] as string) <= indentOf(line)) return undefined;
  // A code directive's argument is the language's name: nothing to read.
  if (isDirective) return { text: '' };
  // "word::" shows one colon; "word ::" and a lone "::" show none (as docutils renders them).
  return { text: mark?.[1] && (mark[2] ?? '') === '' ? line.replace(/::\s*$/, ':') : line.replace(/\s*::\s*$/, '') };
}

/**
 * Whether line `i` is an option of the reStructuredText directive right
 * above it (`:widths: 50 50` and `:class: full-width-table` under
 * `.. list-table::`, `:noindex:` under `.. function::`), which Sphinx shows
 * as nothing. Options follow the directive with no blank line between and
 * are indented under it; a field list after a blank line (`:param x:`) is
 * the directive's text and shows.
 */
export function rstDirectiveOptionAt(lines: readonly string[], i: number): boolean {
  const line = lines[i] as string;
  if (!DIRECTIVE_OPTION.test(line)) return false;
  const indent = indentOf(line);
  for (let above = i - 1; above >= 0; above--) {
    const text = lines[above] as string;
    if (RST_DIRECTIVE.test(text)) return indentOf(text) < indent;
    if (!DIRECTIVE_OPTION.test(text) || indentOf(text) !== indent) return false;
  }
  return false;
}

/** A directive line as Sphinx shows it: "Changed in version 3.11:", "Note: Mind the gap", a signature as it is. */
export function rstDirectiveShown(line: string): string {
  const directive = RST_DIRECTIVE.exec(line);
  if (!directive) return line;
  const [prefix, indent, name] = directive as unknown as [string, string, string];
  return directiveShown(indent, name, line.slice(prefix.length));
}

/** A directive named `name` with the text after it, as Sphinx shows it (see rstDirectiveShown). */
function directiveShown(indent: string, name: string, rest: string): string {
  const label = ownEntry(RST_LABELS, name);
  if (!label) return `${indent}${rest}`;
  if (label.endsWith(':')) return `${indent}${label} ${rest}`;
  // A version note: its version, then the text under it.
  return `${indent}${label}${rest.trim() === '' ? '' : ` ${rest.trim()}`}:`;
}

/**
 * MyST directive fences and fenced divs (MYST_DIRECTIVE, COLON_FENCE), met
 * line by line outside code: which are open around prose, innermost last,
 * and the one whose lines show as nothing.
 */
export class DirectiveFences {
  private readonly prose: string[] = [];
  private hidden: string | null = null;
  /** Just under a directive's fence, where its option lines are. */
  private options = false;

  /**
   * What `line` shows when it is such a fence, an option under one, or a
   * line of one shown as nothing ('' for nothing); null for any other line,
   * which the caller reads as usual.
   */
  read(line: string): string | null {
    if (this.hidden !== null) {
      if (closesFence(line, this.hidden)) this.hidden = null;
      return '';
    }
    const innermost = this.prose[this.prose.length - 1];
    if (innermost !== undefined && closesFence(line, innermost)) {
      this.prose.pop();
      return '';
    }
    if (this.options && DIRECTIVE_OPTION.test(line)) return '';
    this.options = false;
    const myst = MYST_DIRECTIVE.exec(line);
    if (myst) {
      const [, marks, name, argument] = myst as unknown as [string, string, string, string];
      if (MYST_HIDDEN.test(name)) {
        this.hidden = marks;
        return '';
      }
      // A backtick fence named otherwise may be code: R Markdown's ```{r}, a ```{code-block}.
      if (marks[0] !== ':' && !ownEntry(RST_LABELS, name) && name !== 'admonition') return null;
      this.prose.push(marks);
      this.options = true;
      return directiveShown('', name, argument);
    }
    const div = COLON_FENCE.exec(line);
    if (!div) return null;
    this.prose.push(div[1]!);
    const name = div[2] ?? div[3] ?? '';
    return ownEntry(RST_LABELS, name) ? directiveShown('', name, '') : '';
  }
}

/** Whether `line` is a bare fence that closes one opened with `marks`: the same character, at least as many. */
function closesFence(line: string, marks: string): boolean {
  const bare = /^\s{0,3}(`{3,}|~{3,}|:{3,})\s*$/.exec(line);
  return bare !== null && bare[1]![0] === marks[0] && bare[1]!.length >= marks.length;
}
