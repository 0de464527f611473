import TurndownService from 'turndown';
import { firstMarkdownHeading, usableTitle } from '../document-title';
import { ParseFailure } from '../parse-failure';
import { CHROME_MARK, readPage, wordCount, type HtmlPage } from './html-content';
import type { ParsedDocument } from '../types';
import { fencedCode } from './fenced-code';
import { normaliseText } from './text';

/**
 * HTML to Markdown with turndown, so headings, lists, code and tables keep
 * their structure for the chunker. Also used for DOCX (mammoth -> HTML).
 */

/** The few DOM members we touch; turndown's types need the DOM lib, which the core does not load. */
interface DomNode {
  nodeName: string;
  textContent: string | null;
  firstChild: DomNode | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}

/** Elements that carry no document content. */
const DROPPED_ELEMENTS = new Set([
  'SCRIPT',
  'STYLE',
  'NAV',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'SVG',
  'CANVAS',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
]);

let service: TurndownService | undefined;

/** The page's content (html-content.ts) as Markdown. */
export function htmlToMarkdown(html: string): string {
  return contentAsMarkdown(readPage(html));
}

function contentAsMarkdown(page: HtmlPage): string {
  service ??= createService();
  return normaliseText(service.turndown(page.content as unknown as TurndownService.Node))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Words up to which a page that forwards the browser elsewhere has nothing of its own ("Redirecting to… x.html"). */
const FORWARDING_STUB_WORDS = 30;
/** Seconds of delay up to which a refresh is a redirect rather than a page that reloads itself later. */
const FORWARD_DELAY_SECONDS = 5;

export function parseHtml(html: string): ParsedDocument {
  const page = readPage(html);
  const text = contentAsMarkdown(page);
  if (forwardsElsewhere(html) && wordCount(text) <= FORWARDING_STUB_WORDS) {
    // A saved site's moved-page stubs would otherwise be results titled "Redirecting...".
    throw new ParseFailure(
      'empty',
      'This HTML page only forwards the browser to another page: it has no text of its own.',
    );
  }
  const title = withoutSiteName(usableTitle(page.title), firstMarkdownHeading(text));
  return title ? { text, format: 'markdown', title } : { text, format: 'markdown' };
}

/** " - ", " | ", " – ", " — ", " · ", " • ", " » ": what sites put between a page's name and their own. */
const TITLE_SEPARATOR = /\s+[-|–—·•»]\s+/;

/**
 * A page's `<title>` usually ends with its site's name ("Getting Started -
 * The Rust Programming Language", "Query string | Node.js Documentation"),
 * the same on every page of a saved site. When the page's own first heading
 * holds the part before the separator, the heading is the title ("E0382 -
 * Error codes index" with the heading "Error code E0382"); otherwise the
 * `<title>` stays as it is, since the part after a separator may be the
 * point ("Release notes - 2.0").
 */
function withoutSiteName(title: string | undefined, heading: string | undefined): string | undefined {
  if (!title || !heading) return title ?? heading;
  const [name, ...rest] = title.split(TITLE_SEPARATOR);
  if (rest.length === 0) return title;
  const words = (text: string): string => ` ${(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')} `;
  return words(name as string).trim() !== '' && words(heading).includes(words(name as string)) ? heading : title;
}

/** A `<meta http-equiv="refresh" content="0; url=…">` in the page's head that sends the browser on within seconds. */
function forwardsElsewhere(html: string): boolean {
  const head = html.slice(0, 20_000);
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']?refresh\b/i.test(tag)) continue;
    const refresh = /content\s*=\s*["']?\s*(\d+)\s*[;,]\s*url\s*=/i.exec(tag);
    if (refresh && Number(refresh[1]) <= FORWARD_DELAY_SECONDS) return true;
  }
  return false;
}

function createService(): TurndownService {
  const turndown = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    hr: '---',
  });
  turndown.remove((node) => DROPPED_ELEMENTS.has(asDom(node).nodeName.toUpperCase()));
  turndown.addRule('table', {
    filter: (node) => asDom(node).nodeName === 'TABLE',
    // A table holding tables lays out a page (old sites put the whole page in
    // one); its cells are read as the blocks they are, and the tables inside
    // as tables. Written as one table, every level escaped the pipes of the
    // level inside (`\\\|` after three) and wrote its cells again: a page
    // of tables nested a hundred deep (1.6 KB) held a parser for minutes.
    replacement: (content, node) =>
      `\n\n${holdsTable(asDom(node)) ? content.trim() : tableToMarkdown(asDom(node), turndown)}\n\n`,
  });
  // A link within the page (a heading's permalink, a table of contents) is
  // its text; a link with nothing to read (an icon, a "¶") is nothing: its
  // address would otherwise be indexed and shown in snippets as `[](print.html)`.
  turndown.addRule('linkWithoutDestinationText', {
    filter: (node) => {
      const dom = asDom(node);
      if (dom.nodeName !== 'A' || hasImage(dom)) return false;
      return (dom.getAttribute?.('href') ?? '').startsWith('#') || !READABLE.test(dom.textContent ?? '');
    },
    replacement: (content, node) => (READABLE.test(asDom(node).textContent ?? '') ? content : ''),
  });
  // Preformatted text that is not `<pre><code>` alone (turndown's own rule): GNU
  // manuals' examples, man2html pages, a Word document's code paragraphs
  // (docx.ts). Without this rule it is escaped and reflowed like prose.
  turndown.addRule('preformatted', {
    filter: (node) => asDom(node).nodeName === 'PRE' && !holdsOnlyCode(asDom(node)),
    replacement: (_content, node) => `\n\n${fencedCode(preformattedText(asDom(node)))}\n\n`,
  });
  // Inline images (mammoth embeds DOCX pictures as base64) would put
  // megabytes of base64 into the text; keep only the alt text.
  turndown.addRule('inlineImage', {
    filter: (node) => asDom(node).nodeName === 'IMG' && !/^https?:/i.test(asDom(node).getAttribute?.('src') ?? ''),
    replacement: (_content, node) => asDom(node).getAttribute?.('alt') ?? '',
  });
  // Added last, so it comes before every other rule (turndown tries the
  // latest first): a hidden paragraph or table is dropped, not written.
  turndown.addRule('pageChrome', {
    filter: (node) => asDom(node).getAttribute?.(CHROME_MARK) != null,
    replacement: () => '',
  });
  return turndown;
}

/** What no Markdown is written for: an element of DROPPED_ELEMENTS or the page's chrome (a code block's "copy" button). */
function isDropped(node: DomNode): boolean {
  return DROPPED_ELEMENTS.has(node.nodeName.toUpperCase()) || node.getAttribute?.(CHROME_MARK) != null;
}

/** `<pre><code>…</code></pre>`, turndown's own case (it writes the first child's text, so only when that is all). */
function holdsOnlyCode(pre: DomNode): boolean {
  return pre.childNodes.length === 1 && pre.firstChild?.nodeName === 'CODE';
}

/** The text of a `<pre>` as it shows: line breaks (`<br>`) are new lines, the one after the last line dropped. */
function preformattedText(node: DomNode): string {
  const parts: string[] = [];
  const walk = (from: DomNode): void => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeName === 'BR') parts.push('\n');
      else if (child.nodeName === '#text') parts.push(child.textContent ?? '');
      else if (!isDropped(child)) walk(child);
    }
  };
  walk(node);
  return parts.join('').replace(/\n$/, '');
}

/** A letter or a digit: text a reader can search for. */
const READABLE = /[\p{L}\p{N}]/u;

function hasImage(node: DomNode): boolean {
  return Array.from(node.childNodes).some((child) => child.nodeName === 'IMG' || hasImage(child));
}

function asDom(node: unknown): DomNode {
  return node as DomNode;
}

/** A Markdown table: first row is the header; cells are flattened to one line each. */
function tableToMarkdown(table: DomNode, turndown: TurndownService): string {
  const rows = collectRows(table).map((row) =>
    Array.from(row.childNodes)
      .filter((cell) => cell.nodeName === 'TD' || cell.nodeName === 'TH')
      .map((cell) => cellMarkdown(cell, turndown)),
  );
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return '';
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(Array.from({ length: width }, () => '---')), ...body.map(line)].join('\n');
}

/**
 * A cell's content as one line of Markdown, written by the same rules as the
 * rest of the page (links, code, nothing for scripts): a cell's text alone
 * glued its list items and paragraphs together ("while" and "statement" of
 * an index became "whilestatement") and lost its links.
 */
function cellMarkdown(cell: DomNode, turndown: TurndownService): string {
  return turndown
    .turndown(cell as unknown as TurndownService.Node)
    .replace(/^\s*(?:[-*+]|\d{1,9}\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|');
}

/** Whether a table has another table anywhere inside it. */
function holdsTable(table: DomNode): boolean {
  const inside = (node: DomNode): boolean =>
    Array.from(node.childNodes).some((child) => child.nodeName === 'TABLE' || inside(child));
  return inside(table);
}

/** Rows of this table only (not of tables nested inside its cells). */
function collectRows(node: DomNode, rows: DomNode[] = []): DomNode[] {
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeName === 'TR') rows.push(child);
    else if (child.nodeName === 'THEAD' || child.nodeName === 'TBODY' || child.nodeName === 'TFOOT')
      collectRows(child, rows);
  }
  return rows;
}
