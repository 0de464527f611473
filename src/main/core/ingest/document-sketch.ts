import { linksAsText } from '../search/markdown-marks';
import { RST_SIGNS } from '../search/rst-shown';
import { displayText } from '../search/snippet-text';
import { looksLikeAsciidoc } from './asciidoc-signs';
import { textSketch } from './text-sketch';

/**
 * The sketch stored for a document (document_sketches): of its words as a
 * reader sees them. Text written in reStructuredText or AsciiDoc is
 * sketched as search shows it (search/snippet-text.ts `displayText`: roles,
 * directives, attributes and block delimiters as the rendered page shows
 * them); Markdown, and pages read as Markdown, without their links'
 * destinations and titles (`[run](asyncio-subprocess.html#asyncio.run
 * "asyncio.run")` is "run" on the page).
 *
 * One document in two formats differs mostly in markup, and these put words
 * of their own into the text: a Sphinx page's `.rst.txt` source writes
 * ":func:`create_subprocess_exec`" and ".. list-table::" where its HTML
 * page, read as Markdown, has a code span in a link to its entry. Sketched
 * as written, 71 of the 496 source/page pairs of Python 3.11's
 * documentation resembled too little to fold (0.19 for the asyncio API
 * index); sketched so, 26 (index pages whose table of contents the HTML
 * spells out), and Git's AsciiDoc manuals fold with their pages 231 times
 * of 241 (229 before). Markdown's own marks are no words, so the rest
 * costs one pass for its links: showing every text as search does added 2
 * to 3 s to the 10,000 notes of `bench:ingest`, a third more work for the
 * parser threads. Copies stay copies: the same text is sketched the same.
 * Changing what this sketches means a new SKETCH_VERSION (sketch-version.ts).
 */
export function documentSketch(text: string): Uint32Array {
  const dialect = RST_SIGNS.test(text) ? 'rst' : looksLikeAsciidoc(text) ? 'asciidoc' : undefined;
  return textSketch(dialect ? displayText(text, dialect) : linksAsText(text));
}
