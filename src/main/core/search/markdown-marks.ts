/** Markdown's block marks at a line's start, and its one-line code span, as shown text reads them. */
export const HEADING = /^\s{0,3}#{1,6}(?:\s+|$)/;
export const HEADING_TAIL = /\s+#+\s*$/;
export const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
export const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
export const LIST = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:[-*+]\s+)?(?:\[[ xX]\]\s+)?/;
export const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
export const REFERENCE_DEFINITION = /^\s{0,3}\[(?!\^)[^\]]+\]:\s+\S+/;
/** A footnote's text, `[^1]: The source.`: shown without its label, as the note under the page reads. */
export const FOOTNOTE_DEFINITION = /^\s{0,3}\[\^[^\]]+\]:[ \t]*/;

/** A code span on one line: its backtick run, its code, the same run closing it. */
export const MARKDOWN_CODE_SPAN = /(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)/g;

/** A Markdown link or image: `[text](destination "title")`, its text in group 1 (one level of nested brackets). */
export const MARKDOWN_LINK = /!?\[((?:[^[\]]|\[[^[\]]*\])*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g;

/** Markdown's links and images as the text they show, without their destinations and titles. */
export function linksAsText(text: string): string {
  return text.includes('](') ? text.replace(MARKDOWN_LINK, '$1') : text;
}
