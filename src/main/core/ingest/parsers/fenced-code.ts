/**
 * `code` fenced with more backticks than any run inside it, so the fence
 * cannot close early, and named with its `language` when known; '' for
 * blank code.
 */
export function fencedCode(code: string, language = ''): string {
  if (code.trim() === '') return '';
  const longest = (code.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

/** `lines` joined, without the indentation all of them that hold text share (a block indented under its paragraph). */
export function withoutSharedIndent(lines: readonly string[]): string {
  const indentOf = (line: string): number => line.length - line.trimStart().length;
  const indents = lines.filter((line) => line.trim() !== '').map(indentOf);
  const shared = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(shared, indentOf(line)))).join('\n');
}

/**
 * Typefaces whose letters all have one width, in which documents set code:
 * the ones office suites, pandoc and editors use.
 */
export const MONOSPACED_FONTS =
  /^(courier( new)?|consolas|menlo|monaco|lucida (console|sans typewriter)|andale mono|dejavu sans mono|liberation mono|source code pro|fira (code|mono)|jetbrains mono|cascadia (code|mono)|roboto mono|ubuntu mono|sf mono|noto (sans )?mono|inconsolata|ibm plex mono|pt mono|monospace)$/i;

/**
 * Style names that mean code, in Word and OpenDocument alike: pandoc's
 * "Source Code", Word's "HTML Preformatted" and "Plain Text", LibreOffice's
 * "Preformatted Text", the "Code" styles people make; and for runs of text,
 * pandoc's "Verbatim Char", Word's "HTML Code", LibreOffice's "Source Text".
 */
export const CODE_PARAGRAPH_STYLES =
  /^(source code|code|code block|html preformatted|preformatted( text)?|plain text|macro text|verbatim|listing)$/i;
export const CODE_RUN_STYLES = /^(verbatim char|html code|code char|inline code|source code char|source text|code)$/i;
