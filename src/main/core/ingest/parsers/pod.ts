import type { ParsedDocument } from '../types';
import { fencedCode, withoutSharedIndent } from './fenced-code';
import { normaliseText } from './text';
import { ownEntry } from '../../../../shared/own-entry';

/**
 * Perl's POD documentation (`.pod`: perlfunc, a module's manual) written as
 * Markdown. Read as plain text it showed its markup: `=head1 NAME`,
 * `=item *`, `C<init>` and `L<perlfunc/open>`.
 *
 * - `=head1` to `=head4` are headings; the NAME section's line
 *   ("Locale::Maketext - framework for localization") is the title, as a
 *   man page's is.
 * - `=item` opens a list item; `=over`, `=back`, `=pod`, `=cut`,
 *   `=encoding` and `=for` show as nothing, and so do `=begin` blocks for
 *   other formats (HTML, LaTeX); text before the first command is no POD.
 * - An indented paragraph is code (a verbatim paragraph).
 * - Formatting codes read as Markdown: `B<>` bold, `I<>` and `F<>` italic,
 *   `C<>` code, `L<>` its text or target, `E<gt>` the character; `S<>` its
 *   text, `X<>` and `Z<>` nothing; `C<< $a <=> $b >>` too.
 */
export function parsePod(text: string): ParsedDocument {
  const paragraphs = normaliseText(text).split(/\n[ \t]*\n/);
  const out: string[] = [];
  let inPod = false;
  let hiddenBlock: string | null = null;
  let section = '';
  let title: string | undefined;
  let pendingItem = false;
  let verbatim: string[] | null = null;
  const flushVerbatim = (): void => {
    const lines = verbatim?.flatMap((paragraph) => paragraph.split('\n')).map((line) => line.trimEnd());
    if (lines) out.push(fencedCode(withoutSharedIndent(lines)));
    verbatim = null;
  };
  for (const paragraph of paragraphs) {
    const command = /^=([a-z]+\d?)\b[ \t]*([\s\S]*)$/.exec(paragraph);
    if (command) {
      flushVerbatim();
      inPod = command[1] !== 'cut';
      const [, name = '', rest = ''] = command;
      const argument = rest.trim();
      if (hiddenBlock !== null) {
        if (name === 'end' && argument.split(/\s/)[0] === hiddenBlock) hiddenBlock = null;
        continue;
      }
      const level = /^head([1-4])$/.exec(name)?.[1];
      if (level) {
        section = inline(argument);
        out.push(`${'#'.repeat(Number(level))} ${section}`);
      } else if (name === 'item') {
        const label = inline(argument.replace(/^(?:\*|\d+\.?)\s*/, ''));
        if (label) out.push(`- ${label}`);
        pendingItem = label === '';
      } else if (name === 'begin' && !/^:?(?:text|pod)\b/.test(argument)) {
        hiddenBlock = argument.split(/\s/)[0] ?? '';
      }
      continue;
    }
    if (!inPod || hiddenBlock !== null || paragraph.trim() === '') continue;
    if (/^[ \t]/.test(paragraph)) {
      // Verbatim paragraphs in a row are one block with blank lines in it, as perldoc shows them.
      if (verbatim) verbatim.push('', paragraph);
      else verbatim = [paragraph];
      continue;
    }
    flushVerbatim();
    const shown = inline(
      paragraph
        .split('\n')
        .map((line) => line.trim())
        .join(' ')
        .trim(),
    );
    if (section.toUpperCase() === 'NAME' && title === undefined) title = shown;
    out.push(pendingItem ? `- ${shown}` : shown);
    pendingItem = false;
  }
  flushVerbatim();
  const markdown = out.filter((part) => part !== '').join('\n\n');
  return title ? { text: markdown, format: 'markdown', title } : { text: markdown, format: 'markdown' };
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', verbar: '|', sol: '/', quot: '"', amp: '&' };
/** Deepest nesting of codes read; deeper ones are kept as written. */
const MAX_DEPTH = 32;

interface OpenCode {
  code: string;
  /** Angle brackets that opened it: `C<< >>` closes with whitespace and two. */
  brackets: number;
  /** Its content so far, in pieces: joined once, when it closes. */
  parts: string[];
}

/** Formatting codes as Markdown, in one pass: an open code is closed by its own closer. */
function inline(text: string): string {
  const root: string[] = [];
  const open: OpenCode[] = [];
  const into = (): string[] => open[open.length - 1]?.parts ?? root;
  let i = 0;
  let plainFrom = 0;
  const flushPlain = (to: number): void => {
    if (to > plainFrom) into().push(text.slice(plainFrom, to));
  };
  while (i < text.length) {
    const top = open[open.length - 1];
    const closer = top ? closerAt(text, i, top.brackets) : 0;
    if (top && closer > 0) {
      flushPlain(i);
      open.pop();
      into().push(shownCode(top.code, top.parts.join('')));
      i += closer;
      plainFrom = i;
      continue;
    }
    const code = text[i]!;
    if (CODE_LETTERS.has(code) && text[i + 1] === '<' && !/[A-Za-z0-9]/.test(text[i - 1] ?? '')) {
      let brackets = 1;
      while (text[i + 1 + brackets] === '<' && brackets < 10) brackets++;
      const spaced = brackets === 1 || /\s/.test(text[i + 1 + brackets] ?? '');
      if (spaced && open.length < MAX_DEPTH) {
        flushPlain(i);
        open.push({ code, brackets, parts: [] });
        i += 1 + brackets + (brackets > 1 ? 1 : 0);
        plainFrom = i;
        continue;
      }
    }
    i++;
  }
  flushPlain(text.length);
  // Codes never closed: their text as written.
  while (open.length > 0) {
    const top = open.pop()!;
    into().push(`${top.code}${'<'.repeat(top.brackets)}${top.parts.join('')}`);
  }
  return root.join('');
}

const CODE_LETTERS = new Set(['B', 'I', 'C', 'F', 'L', 'E', 'S', 'X', 'Z']);

/** Length of the closer of a code opened with `brackets` angle brackets at `i`, or 0. */
function closerAt(text: string, i: number, brackets: number): number {
  if (brackets === 1) return text[i] === '>' ? 1 : 0;
  let j = i;
  while (j < text.length && /[ \t\n]/.test(text[j]!)) j++;
  if (j === i) return 0;
  for (let k = 0; k < brackets; k++) if (text[j + k] !== '>') return 0;
  return j - i + brackets;
}

function shownCode(code: string, content: string): string {
  switch (code) {
    case 'B':
      return `**${content}**`;
    case 'I':
    case 'F':
      return `*${content}*`;
    case 'C':
      return `\`${content}\``;
    case 'L': {
      // `L<text|target>`, `L<page/section>`, `L<https://...>`.
      const bar = content.indexOf('|');
      const words = bar >= 0 ? content.slice(0, bar) : content;
      const target = bar >= 0 ? content.slice(bar + 1) : content;
      if (/^https?:\/\//.test(target)) return bar >= 0 ? `[${words}](${target})` : `<${target}>`;
      return words.replace(/^"|"$/g, '').replace(/\/"?([^"]*)"?$/, (_, part: string) => ` › ${part}`);
    }
    case 'E':
      return entity(content);
    case 'X':
    case 'Z':
      return '';
    default:
      return content;
  }
}

function entity(name: string): string {
  const named = ownEntry(ENTITIES, name);
  if (named !== undefined) return named;
  const code = /^0x[0-9a-f]+$/i.test(name) ? parseInt(name, 16) : /^\d+$/.test(name) ? Number(name) : NaN;
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : `E<${name}>`;
}
