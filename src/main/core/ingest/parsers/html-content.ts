import { createDocument, type DomElement } from '@mixmark-io/domino';
import { ParseFailure } from '../parse-failure';
import { nestsDeeperThan } from './html-depth';
import { withCloneableElements } from './cloneable-elements';

/**
 * An HTML page's title and the part of it that is its content, without the
 * page's chrome. A saved web page or a documentation site is mostly the same menus,
 * toolbars, pop-ups and banners on every page; indexed, they make every page
 * match "keyboard shortcuts" and "search this book", and fill the snippet of
 * a page found by its name. What is chrome is read from the page's own
 * markup, as a screen reader reads it, never guessed from class names:
 *
 * - the content is the page's `<main>` (or `role="main"`) when it has one
 *   with text, which HTML defines as the dominant content of the body; else
 *   its one `<article>` when it has exactly one; else the whole body (also
 *   when several mains stand side by side, which HTML does not allow);
 * - dropped anywhere: elements hidden from every reader (`hidden`,
 *   `aria-hidden="true"`, an inline `display: none` or `visibility: hidden`),
 *   landmarks and widgets that are not content (`role` navigation, banner,
 *   contentinfo, search, menu, menubar, toolbar, dialog, alertdialog;
 *   `<dialog>`), buttons of a few words ("copy", "Share") and drop-down
 *   lists (`<select>`: a language picker's forty names), and bars of links
 *   that turn the pages of a manual (every link has an `accesskey` or a
 *   `rel` of next, prev, up, index...: the "Next: Types, Previous: The
 *   Basics, Up: Using libffi" of a GNU manual, DocBook's Prev / Up / Home /
 *   Next tables). `<nav>`, scripts and the like go in html.ts.
 *
 * A page's own `<header>` and `<footer>` are kept when it marks no main
 * content: a pandoc or hand-written page puts its title and authors there.
 */
export function readPage(html: string): HtmlPage {
  if (nestsDeeperThan(html, MAX_NESTING)) {
    throw new ParseFailure(
      'exceeds_limits',
      `This page nests its elements more than ${MAX_NESTING} levels deep, past what Trove reads safely.`,
    );
  }
  const doc = createDocument(html);
  withCloneableElements(doc);
  // The head's own title: an SVG icon's <title> in the body is not the page's.
  const title = doc.head.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim() || undefined;
  markPageTurningBars(doc.body);
  const landmarks = markChrome(doc.body);
  return { title, content: contentRoot(landmarks) ?? doc.body };
}

/** The attribute that marks an element as chrome for html.ts (a page that sets it itself only hides its own text). */
export const CHROME_MARK = 'data-trove-chrome';

export interface HtmlPage {
  /** The `<title>`, entities decoded and whitespace collapsed, if it has one. */
  title: string | undefined;
  /** The element holding the page's content, chrome marked with CHROME_MARK. */
  content: DomElement;
}

/** Levels of nesting past which a page is not parsed: real pages nest a few dozen (html-depth.ts). */
const MAX_NESTING = 256;
const CHROME_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'search',
  'menu',
  'menubar',
  'toolbar',
  'dialog',
  'alertdialog',
]);
/**
 * Words up to which a button is a control ("copy" in every code block of the
 * Node.js docs, "Share", "Load more"); a longer one is content, as an
 * accordion's question ("Can I return an opened item?").
 */
const MAX_CONTROL_WORDS = 3;
const INVISIBLE_STYLE = /(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

/** The outermost mains and articles outside chrome, in document order. */
interface Landmarks {
  mains: DomElement[];
  articles: DomElement[];
}

/**
 * Marks every chrome element, in one walk of the tree (selectors took 1.5 s
 * on the 8 MB single-page Node.js manual, the walk 60 ms). Marked, not
 * removed: removing an element shifts its siblings, and a page of 100,000
 * hidden paragraphs would take minutes; html.ts drops marked elements as it
 * writes the Markdown. Nothing inside chrome is visited, so a hidden main
 * (a single-page app's template) is never taken for the content.
 */
function markChrome(body: DomElement): Landmarks {
  const landmarks: Landmarks = { mains: [], articles: [] };
  const stack: Array<{ element: DomElement; inMain: boolean; inArticle: boolean }> = [
    { element: body, inMain: false, inArticle: false },
  ];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { element } = next;
    const roles = (element.getAttribute('role') ?? '').toLowerCase().split(/\s+/);
    if (element.hasAttribute(CHROME_MARK) || isChrome(element, roles)) {
      element.setAttribute(CHROME_MARK, '');
      continue;
    }
    const isMain = element.nodeName === 'MAIN' || roles.includes('main');
    const isArticle = element.nodeName === 'ARTICLE';
    if (isMain && !next.inMain) landmarks.mains.push(element);
    if (isArticle && !next.inArticle) landmarks.articles.push(element);
    const inMain = next.inMain || isMain;
    const inArticle = next.inArticle || isArticle;
    // Last child first, so elements come off the stack in document order.
    for (let child = element.lastElementChild; child; child = child.previousElementSibling)
      stack.push({ element: child, inMain, inArticle });
  }
  return landmarks;
}

function isChrome(element: DomElement, roles: readonly string[]): boolean {
  const name = element.nodeName;
  if (name === 'DIALOG' || name === 'SELECT' || element.hasAttribute('hidden')) return true;
  if (element.getAttribute('aria-hidden')?.trim().toLowerCase() === 'true') return true;
  if (roles.some((role) => CHROME_ROLES.has(role))) return true;
  if (INVISIBLE_STYLE.test(element.getAttribute('style') ?? '')) return true;
  if (name === 'BUTTON' || roles.includes('button')) return words(element) <= MAX_CONTROL_WORDS;
  return false;
}

/** `rel` values of links that move through a manual rather than point into its text. */
const PAGE_TURNING_RELS = new Set([
  'next',
  'prev',
  'previous',
  'up',
  'index',
  'contents',
  'toc',
  'home',
  'first',
  'last',
  'start',
]);
/** Elements that can hold a bar of such links (a paragraph, a DocBook header table). */
const BAR_ELEMENTS = new Set(['P', 'DIV', 'TABLE', 'UL', 'OL', 'SPAN', 'HEADER', 'FOOTER']);
/** Words besides its links up to which a block of page-turning links is a bar ("Next:", a part's name). */
const MAX_BAR_WORDS = 12;
/** How far above a link its bar is looked for (a DocBook link sits in a cell, a row, a table body). */
const MAX_BAR_DEPTH = 6;

/**
 * A link that turns a manual's pages. Access keys that are letters ("n",
 * "p", "u", "h") are the page turners; digits number the entries of a
 * chapter's menu of sections, which is the chapter's content.
 */
function turnsPages(link: DomElement): boolean {
  if (/^\s*\p{L}\s*$/u.test(link.getAttribute('accesskey') ?? '')) return true;
  return (link.getAttribute('rel') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .some((rel) => PAGE_TURNING_RELS.has(rel));
}

/**
 * Marks the bars of page-turning links. A link's bar is the nearest block
 * above it holding two links or more; it is chrome when every one of its
 * links turns pages and it says little else. Each block is weighed once, so
 * a page with many such links costs a walk of their bars, not of the page.
 */
function markPageTurningBars(body: DomElement): void {
  const turners = Array.from(body.querySelectorAll('a[accesskey], a[rel]')).filter(turnsPages);
  if (turners.length < 2) return;
  const weighed = new Set<DomElement>();
  for (const link of turners) {
    let block = link.parentElement;
    for (let depth = 0; block && block !== body && depth < MAX_BAR_DEPTH; block = block.parentElement, depth++) {
      if (!BAR_ELEMENTS.has(block.nodeName)) continue;
      if (weighed.has(block)) break;
      weighed.add(block);
      const links = Array.from(block.querySelectorAll('a'));
      if (links.length < 2) continue;
      const otherWords = words(block) - links.reduce((sum, a) => sum + words(a), 0);
      if (links.every(turnsPages) && otherWords <= MAX_BAR_WORDS) block.setAttribute(CHROME_MARK, '');
      break;
    }
  }
}

/** The page's one main content, else its one article (comments nested in a post are part of it), else none. */
function contentRoot({ mains, articles }: Landmarks): DomElement | undefined {
  const [only] = mains.length > 0 ? mains : articles;
  if (mains.length > 1 || (mains.length === 0 && articles.length !== 1) || !only) return undefined;
  return words(only) > 0 ? only : undefined;
}

function words(element: DomElement): number {
  return wordCount(element.textContent ?? '');
}

/** Runs of letters and digits in a text: the words a reader can search for. */
export function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}
