import { headingText } from '../heading-text';
import type { Block } from './blocks';

/** A list item's text after its marker ("-", "*", "+", "1.", "2)"), at any indent. */
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(.+)$/gm;

/** Items a list needs before it is taken for a table of contents: two could be a coincidence. */
const MIN_ITEMS = 3;

/** Share of its items that must name headings below it. */
const MIN_SHARE_NAMED = 0.6;

/** What a contents section is called, in the languages Trove's users write most. */
const CONTENTS_NAME =
  /^(?:(?:table of )?contents|toc|on this page|in this (?:article|page|section|document)|sommaire|table des mati[eè]res|inhalt|inhaltsverzeichnis|[íi]ndice|contenido|contenuti|inhoud|inhoudsopgave|spis tre[śs]ci|содержание|оглавление|目次|目录|目錄)$/i;

/**
 * The headings whose section is the document's own table of contents: a
 * section of nothing but lists whose items, for the most part, are the
 * titles of headings further down. Such a heading is no parent of what
 * follows, though pages often nest it so: npm's and many generated sites'
 * pages put "## Table of contents" above "### Synopsis", "### Description",
 * and every section then read "Table of contents › Description" as its
 * heading path.
 *
 * A section that lists its own subsections ("## Commands", "- init",
 * "- build", then "### init"...) has the same shape and is their parent, so
 * the list must also be named as contents are, or run to the end of the
 * document with nothing at its level after it, as a misplaced contents
 * heading does and a section in the middle of a page does not.
 */
export function contentsHeadings(text: string, blocks: readonly Block[]): Set<Block> {
  const found = new Set<Block>();
  // Where each title is last a heading: an item names a heading below its list when that is further down.
  const lastHeadingAt = new Map<string, number>();
  // The highest level (smallest number) of any heading after each block.
  const highestAfter: number[] = new Array<number>(blocks.length);
  let highest = Infinity;
  for (let index = blocks.length - 1; index >= 0; index--) {
    highestAfter[index] = highest;
    const block = blocks[index] as Block;
    if (block.type === 'heading') highest = Math.min(highest, block.level ?? 1);
  }
  blocks.forEach((block, index) => {
    if (block.type === 'heading') lastHeadingAt.set(comparable(block.title ?? ''), index);
  });
  blocks.forEach((block, index) => {
    if (block.type !== 'heading') return;
    const runsToEnd = (highestAfter[index] as number) > (block.level ?? 1);
    if (!runsToEnd && !CONTENTS_NAME.test(comparable(block.title ?? ''))) return;
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
