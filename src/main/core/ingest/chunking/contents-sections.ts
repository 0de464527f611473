import { headingText } from '../heading-text';
import type { Block } from './blocks';

/** A list item's text after its marker ("-", "*", "+", "1.", "2)"), at any indent. */
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(.+)$/gm;

/** Items a list needs before it is taken for a table of contents: two could be a coincidence. */
const MIN_ITEMS = 3;

/** Share of its items that must name headings below it. */
const MIN_SHARE_NAMED = 0.6;

/**
 * The headings whose section is the document's own table of contents: a
 * section of nothing but lists whose items, for the most part, are the
 * titles of headings further down. Such a heading is no parent of what
 * follows, though pages often nest it so: npm's and many generated sites'
 * pages put "## Table of contents" above "### Synopsis", "### Description",
 * and every section then read "Table of contents › Description" as its
 * heading path. Judged by what the list points at, not by the heading's
 * words, so it holds in any language and for "Contents", "On this page" or
 * a heading with no such name.
 */
export function contentsHeadings(text: string, blocks: readonly Block[]): Set<Block> {
  const found = new Set<Block>();
  // Where each title is last a heading: an item names a heading below its list when that is further down.
  const lastHeadingAt = new Map<string, number>();
  blocks.forEach((block, index) => {
    if (block.type === 'heading') lastHeadingAt.set(comparable(block.title ?? ''), index);
  });
  blocks.forEach((block, index) => {
    if (block.type !== 'heading') return;
    const section: Block[] = [];
    for (let next = index + 1; next < blocks.length && blocks[next]?.type === 'list'; next++)
      section.push(blocks[next] as Block);
    const sectionEnd = index + 1 + section.length;
    if (section.length === 0 || (sectionEnd < blocks.length && blocks[sectionEnd]?.type !== 'heading')) return;
    const items = section.flatMap((list) => listItems(text.slice(list.start, list.end)));
    if (items.length < MIN_ITEMS) return;
    const named = items.filter((item) => (lastHeadingAt.get(comparable(headingText(item))) ?? -1) > sectionEnd).length;
    if (named >= MIN_SHARE_NAMED * items.length) found.add(block);
  });
  return found;
}

function listItems(list: string): string[] {
  return [...list.matchAll(LIST_ITEM)].map((match) => match[1] as string);
}

/** Titles compared as a reader would: case, spacing and the numbering a contents list may add or drop do not count. */
function comparable(title: string): string {
  return title
    .toLowerCase()
    .replace(/^(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
