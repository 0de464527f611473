import type { ParsedDocument } from '../types';
import { normaliseText } from './text';
import { fencedCode, withoutSharedIndent } from './fenced-code';
import { ownEntry } from '../../../../shared/own-entry';

/**
 * Org mode files (`.org`, Emacs's outlines and notes) written as Markdown,
 * the form the chunker, snippets and preview read. Read as plain text, an
 * Org file had no title but its name, no sections, `** TODO` and `#+STARTUP:`
 * in its snippets, and its links lost their words: `[[url][soil guide]]`
 * showed the address only.
 *
 * - `#+TITLE:` is the title; the author, date, subtitle, description and
 *   file tags stay as labelled lines ("Author: Ann"); settings for Emacs and
 *   exporters (`#+STARTUP:`, `#+OPTIONS:`...) and `# comments` are dropped.
 * - Headlines (`*`, `**`...) are headings, with their TODO keyword and
 *   without priority cookies; their tags follow as a line ("Tags: garden").
 * - Source, example and fixed-width (`: `) blocks are code; quote blocks
 *   quotes; other blocks' markers go and their text stays.
 * - Drawers (`:PROPERTIES:`, `:LOGBOOK:` ... `:END:`) are settings and
 *   clock records: dropped.
 * - Links read as Markdown links with their description; `*bold*`,
 *   `/italic/`, `+struck+`, `=verbatim=` and `~code~` as Markdown writes them.
 * - Indentation outside blocks is dropped: Org indents a section's text under
 *   its headline, which Markdown would read as code from four spaces.
 */
export function parseOrg(text: string): ParsedDocument {
  const lines = normaliseText(text).split('\n');
  const out: string[] = [];
  let title: string | undefined;
  let block: { kind: 'code' | 'quote' | 'other'; end: RegExp; lines: string[]; language: string } | null = null;
  let fixedWidth: string[] = [];
  // The lines of a drawer being read, or null: an unclosed one is no drawer, and its lines are text.
  let drawer: string[] | null = null;
  const flushFixedWidth = (): void => {
    if (fixedWidth.length > 0) out.push(fencedCode(fixedWidth.join('\n')), '');
    fixedWidth = [];
  };

  for (const line of lines) {
    if (block) {
      if (block.end.test(line)) {
        out.push(block.kind === 'code' ? codeFence(block.lines, block.language) : '');
        block = null;
      } else if (block.kind === 'code') block.lines.push(line);
      else if (block.kind === 'quote') out.push(`> ${inline(line.trim())}`);
      else out.push(inline(line.trim()));
      continue;
    }
    if (drawer) {
      if (DRAWER_END.test(line)) drawer = null;
      else if (!HEADLINE.test(line)) drawer.push(line);
      else {
        out.push(...drawer.map(proseLine));
        drawer = null;
      }
      if (drawer || DRAWER_END.test(line)) continue;
    }
    const fixed = FIXED_WIDTH.exec(line);
    if (fixed) {
      fixedWidth.push(fixed[1] ?? '');
      continue;
    }
    flushFixedWidth();
    const begin = BLOCK_BEGIN.exec(line);
    if (begin) {
      const name = begin[1]!.toLowerCase();
      const kind = CODE_BLOCKS.has(name) ? 'code' : name === 'quote' ? 'quote' : 'other';
      const language = name === 'src' ? (begin[2]?.trim().split(/\s+/)[0] ?? '') : '';
      block = { kind, end: new RegExp(`^\\s*#\\+end_${name}\\b`, 'i'), lines: [], language };
      continue;
    }
    if (DRAWER_START.test(line)) {
      drawer = [line];
      continue;
    }
    const keyword = KEYWORD.exec(line);
    if (keyword) {
      const name = keyword[1]!.toLowerCase();
      const value = keyword[2]!.trim();
      if (name === 'title' && value !== '') title = title ? `${title} ${value}` : value;
      const label = ownEntry(KEPT_KEYWORDS, name);
      // File tags are written `:garden:summer:`.
      const shown = name === 'filetags' ? value.split(':').filter(Boolean).join(', ') : value;
      if (label && shown !== '') out.push(`${label}: ${inline(shown)}`, '');
      continue;
    }
    if (COMMENT.test(line)) continue;
    const headline = HEADLINE.exec(line);
    if (headline) {
      const level = Math.min(headline[1]!.length, 6);
      const { words, tags } = headlineParts(headline[2]!);
      out.push('', `${'#'.repeat(level)} ${inline(words.replace(PRIORITY, '').trim())}`, '');
      if (tags.length > 0) out.push(`Tags: ${tags.join(', ')}`, '');
      continue;
    }
    out.push(proseLine(line));
  }
  if (block?.kind === 'code') out.push(codeFence(block.lines, block.language));
  if (drawer) out.push(...drawer.map(proseLine));
  flushFixedWidth();
  const markdown = out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return title ? { text: markdown, format: 'markdown', title } : { text: markdown, format: 'markdown' };
}

const BLOCK_BEGIN = /^\s*#\+begin_(\w+)(.*)$/i;
const CODE_BLOCKS = new Set(['src', 'example', 'export']);
const DRAWER_START = /^\s*:[\w-]+:\s*$/;
const DRAWER_END = /^\s*:end:\s*$/i;
/** A fixed-width line, `: output` (or a lone `:`), which Org shows as code. */
const FIXED_WIDTH = /^\s*:(?: (.*)|)$/;
const KEYWORD = /^\s*#\+(\w+):(.*)$/;
/** `# a comment`, and `#` alone. */
const COMMENT = /^\s*#(?:\s|$)/;
const HEADLINE = /^(\*+)\s+(.*)$/;
/** A headline's tags, its last word: `:garden:summer:`. */
const TAGS = /^:(?:[\w@#%]+:)+$/;
const PRIORITY = /\[#[A-Z0-9]\]\s*/;
/** Keywords that say something about the document, shown with their label; the rest configure Emacs. */
const KEPT_KEYWORDS: Readonly<Record<string, string>> = {
  subtitle: 'Subtitle',
  author: 'Author',
  date: 'Date',
  description: 'Description',
  keywords: 'Keywords',
  filetags: 'Tags',
};

/** A headline's words and its tags (its last word, when that is `:tag:tag:`). */
function headlineParts(text: string): { words: string; tags: string[] } {
  const trimmed = text.trimEnd();
  const last = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\t'));
  const word = trimmed.slice(last + 1);
  if (last < 0 || !TAGS.test(word)) return { words: trimmed, tags: [] };
  return { words: trimmed.slice(0, last), tags: word.split(':').filter(Boolean) };
}

function codeFence(lines: readonly string[], language: string): string {
  const code = fencedCode(withoutSharedIndent(lines), language);
  return code === '' ? '' : `${code}\n`;
}

/**
 * A line of prose: its indentation gone, a description list's `::` as a
 * colon, a line break's `\\` dropped; a table's rule (`|---+---|`) as
 * Markdown writes it.
 */
function proseLine(line: string): string {
  let text = line.trim();
  if (/^\|[-+:]+\|?$/.test(text)) return text.replace(/\+/g, '|');
  if (text.endsWith('\\\\')) text = text.slice(0, -2).trimEnd();
  // Found by position, not by a pattern: `(.*?)\s+::` took a minute over a megabyte of spaces.
  const term = LIST_MARK.exec(text) ? text.indexOf(' ::') : -1;
  if (term > 0 && (text.length === term + 3 || /\s/.test(text[term + 3]!))) {
    text = `${text.slice(0, term).trimEnd()}: ${text.slice(term + 3).trimStart()}`.trimEnd();
  }
  return inline(text);
}

const LIST_MARK = /^(?:[-+]|\d+[.)])\s/;

/** Org's links and emphasis as Markdown writes them; code spans are left as they are. */
function inline(text: string): string {
  const withCode = text.replace(VERBATIM, (_, pre: string, _mark: string, body: string) => `${pre}\`${body}\``);
  return withCode
    .split(/(`[^`]*`)/)
    .map((piece, i) => (i % 2 === 1 ? piece : emphasis(links(piece))))
    .join('');
}

/** `[[target][words]]` and `[[target]]`; a target holds no bracket, so a run of `[[` is read in one pass. */
function links(text: string): string {
  return text
    .replace(/\[\[([^[\]\n]+)\]\[([^[\]\n]+)\]\]/g, (_, target: string, words: string) =>
      isAddress(target) ? `[${words}](${target})` : words,
    )
    .replace(/\[\[([^[\]\n]+)\]\]/g, (_, target: string) => (isAddress(target) ? `<${target}>` : target));
}

function isAddress(target: string): boolean {
  return /^(?:https?|ftp|mailto):/i.test(target);
}

/**
 * Longest emphasised or verbatim run, in characters. Org's own limit is a
 * line or two; without one, a line of a megabyte with a mark after every
 * space ("x *y x *y ...") took a minute, each mark searching to the line's end.
 */
const MAX_MARKED_CHARS = 300;

/** `=verbatim=` and `~code~`, with Org's rule: after a space or an opening mark, not padded inside. */
const VERBATIM = new RegExp(
  `(^|[\\s({'"])([=~])(\\S(?:[^\\n]{0,${MAX_MARKED_CHARS}}?\\S)?)\\2(?=$|[\\s.,;:!?')}"-])`,
  'g',
);

function emphasis(text: string): string {
  return text
    .replace(marked('\\*'), '$1**$2**')
    .replace(marked('/'), '$1*$2*')
    .replace(marked('\\+'), '$1~~$2~~')
    .replace(marked('_'), '$1$2');
}

/** Text between two `mark`s, as Org reads emphasis: after a space or an opening mark, not padded inside. */
function marked(mark: string): RegExp {
  return new RegExp(
    `(^|[\\s({'"])${mark}([^\\s${mark}](?:[^\\n]{0,${MAX_MARKED_CHARS}}?[^\\s${mark}])?)${mark}(?=$|[\\s.,;:!?')}"-])`,
    'g',
  );
}
