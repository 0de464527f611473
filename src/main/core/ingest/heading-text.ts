import {
  decodeEntities,
  LINKED_IMAGE,
  linksAsText,
  MARKDOWN_IMAGE,
  rstRolesAsText,
  unescapeMarkdown,
  withoutEmphasis,
} from './markdown-inline';

/**
 * A heading's words as a person reads them, from the Markdown (and the
 * inline HTML Markdown allows) it is written in. Shown as a result's title
 * and heading path and indexed in their columns, so what is dropped here
 * is what nobody would type: link targets, image sources, badge pictures.
 *
 * - A linked image or an image is dropped: in a heading it is a badge
 *   ("[![npm](…/v/x.svg)](…)", "<img src=ci.svg>") or a logo beside the
 *   name. Only a heading of nothing but images is read by the alt text of
 *   its first image that is not a link (`# ![Chalk](logo.svg)`); one of
 *   badges alone has no words.
 * - A link reads as its text; an autolink as its address.
 * - Inline HTML of the tags READMEs put in headings loses its tags and keeps
 *   its text; anything else in angle brackets is text ("<type> values").
 * - Emphasis and code marks go (underscores only at word edges: `snake_case`
 *   keeps its own), as do a closing run of `#` and backslash escapes.
 */

const INLINE_TAG_NAMES =
  'a|abbr|b|big|br|center|code|del|div|em|font|h[1-6]|hr|i|img|ins|kbd|mark|p|picture|s|samp|small|source|span|strike|strong|sub|sup|tt|u|var';
const INLINE_TAG = new RegExp(`</?(?:${INLINE_TAG_NAMES})(?:\\s[^<>]*)?/?>`, 'gi');
const COMMENT = /<!--[\s\S]*?-->/g;
const HTML_IMAGE = /<img\b[^<>]*>/gi;
const ALT_ATTRIBUTE = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/**
 * Source characters of a heading read: a "heading" longer than this is a
 * line of something else, and the link patterns cost time with the square
 * of an unclosed bracket run's length (a hostile file's heading line).
 */
const MAX_HEADING_SOURCE_CHARS = 1000;

export function headingText(raw: string): string {
  const source = raw.slice(0, MAX_HEADING_SOURCE_CHARS);
  return headingWords(source) || inlineText(firstAltText(source.replace(COMMENT, ' ').replace(LINKED_IMAGE, ' ')));
}

/**
 * The words of Markdown text outside its images, tags and markup: '' when it
 * holds only pictures. Unbounded: callers pass text of a bounded length.
 */
export function headingWords(raw: string): string {
  return inlineText(
    raw
      .replace(COMMENT, ' ')
      .replace(LINKED_IMAGE, ' ')
      .replace(MARKDOWN_IMAGE, ' ')
      .replace(HTML_IMAGE, ' ')
      .replace(INLINE_TAG, ' '),
  );
}

/** The alt text of the first image in `text`, or ''. */
function firstAltText(text: string): string {
  const markdown = /!\[([^\]]*)\]/.exec(text);
  const html = /<img\b[^<>]*>/i.exec(text);
  if (markdown && (!html || markdown.index < html.index)) return markdown[1]!;
  const alt = html ? ALT_ATTRIBUTE.exec(html[0]) : null;
  return alt ? (alt[1] ?? alt[2] ?? '') : '';
}

/**
 * A heading's text without links, code marks, emphasis, entities, a closing
 * `#` run or escapes; reStructuredText's roles read as their text, and its
 * spaced " --- " as the dash Sphinx shows (":mod:`csv` --- CSV File Reading").
 */
function inlineText(text: string): string {
  const words = withoutEmphasis(linksAsText(rstRolesAsText(text)).replace(/(`+)(.+?)\1/g, '$2'));
  return unescapeMarkdown(decodeEntities(words).replace(/\s+#+\s*$/, ''))
    .replace(/\s+---\s+/g, ' — ')
    .replace(/\s+/g, ' ')
    .trim();
}
