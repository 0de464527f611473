import { createDocument, type DomDocument, type DomElement } from '@mixmark-io/domino';
import { ParseFailure } from '../parse-failure';
import { nestsDeeperThan } from './html-depth';

/** Levels of nesting past which a page is not parsed: real pages nest a few dozen (html-depth.ts). */
const MAX_NESTING = 256;

/**
 * An HTML page's title and the part of it that is its content, without the
 * page's chrome.
 * A saved web page or a documentation site is mostly the same menus,
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
 *   lists (`<select>`: a language picker's forty names). `<nav>`, scripts
 *   and the like go in html.ts.
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
  // The head's own title: an SVG icon's <title> in the body is not the page's.
  const title = doc.head.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim() || undefined;
  // Marked, not removed: removing an element shifts its siblings, and a page
  // of 100,000 hidden paragraphs would take minutes. html.ts drops marked
  // elements as it writes the Markdown.
  for (const element of all(doc, CHROME_SELECTOR)) element.setAttribute(CHROME_MARK, '');
  for (const element of all(doc, '[style]')) {
    if (INVISIBLE_STYLE.test(element.getAttribute('style') ?? '')) element.setAttribute(CHROME_MARK, '');
  }
  for (const element of all(doc, 'button, [role~="button" i]')) {
    const words = element.textContent?.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    if (words <= MAX_CONTROL_WORDS) element.setAttribute(CHROME_MARK, '');
  }
  return { title, content: contentRoot(doc.body) ?? doc.body };
}

/** The attribute that marks an element as chrome for html.ts (a page that sets it itself only hides its own text). */
export const CHROME_MARK = 'data-trove-chrome';

export interface HtmlPage {
  /** The `<title>`, entities decoded and whitespace collapsed, if it has one. */
  title: string | undefined;
  /** The element holding the page's content, chrome removed. */
  content: DomElement;
}

const CHROME_ROLES = [
  'navigation',
  'banner',
  'contentinfo',
  'search',
  'menu',
  'menubar',
  'toolbar',
  'dialog',
  'alertdialog',
];
const CHROME_SELECTOR = [
  '[hidden]',
  '[aria-hidden="true" i]',
  'dialog',
  'select',
  // A role attribute may list several roles (fallbacks for older readers).
  ...CHROME_ROLES.map((role) => `[role~="${role}" i]`),
].join(', ');
/**
 * Words up to which a button is a control ("copy" in every code block of the
 * Node.js docs, "Share", "Load more"); a longer one is content, as an
 * accordion's question ("Can I return an opened item?").
 */
const MAX_CONTROL_WORDS = 3;
const INVISIBLE_STYLE = /(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)\b/i;

const MAIN_SELECTOR = 'main, [role~="main" i]';

/**
 * The page's one main content, else its one article (nested articles, such
 * as comments inside a post, are part of it), else none. Elements come in
 * document order, so the first is outermost, and it is the only one at the
 * top when all the others are inside it: one count, however the page nests.
 */
function contentRoot(body: DomElement): DomElement | undefined {
  for (const selector of [MAIN_SELECTOR, 'article']) {
    const found = all(body, selector);
    const first = found[0];
    if (!first) continue;
    if (first.querySelectorAll(selector).length !== found.length - 1) return undefined;
    // A hidden one (a single-page app's template) is no content; nor is an empty one.
    return hasText(first) && !first.closest(`[${CHROME_MARK}]`) ? first : undefined;
  }
  return undefined;
}

function all(scope: DomElement | DomDocument, selectors: string): DomElement[] {
  return Array.from(scope.querySelectorAll(selectors));
}

function hasText(element: DomElement): boolean {
  return /[\p{L}\p{N}]/u.test(element.textContent ?? '');
}
