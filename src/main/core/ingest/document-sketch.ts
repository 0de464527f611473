import { RST_SIGNS } from '../search/rst-shown';
import { displayText } from '../search/snippet-text';
import { looksLikeAsciidoc } from './asciidoc-signs';
import { textSketch } from './text-sketch';

/**
 * The sketch stored for a document (document_sketches). Text written in
 * reStructuredText or AsciiDoc is sketched as search shows it
 * (search/snippet-text.ts `displayText`: roles, directives, attributes and
 * block delimiters as the rendered page shows them), the rest as written.
 *
 * One document in two formats differs mostly in markup, and these two put
 * words of their own into the text: a Sphinx page's `.rst.txt` source
 * writes ":func:`create_subprocess_exec`" and ".. list-table::" where its
 * HTML page, read as Markdown, has a code span and a table. Sketched as
 * written, 71 of the 496 source/page pairs of Python 3.11's documentation
 * resembled too little to fold (0.19 for the asyncio API index); sketched
 * so, 45, and Git's AsciiDoc manuals fold with their pages 231 times of 241
 * (229 before). Markdown's marks are no words, so notes, and the pages
 * read as Markdown, keep the plain sketch, at no cost: showing the text
 * costs about as much again as chunking it (3 s more for 10,000 notes in
 * `bench:ingest`), which only these formats repay. Copies stay copies:
 * the same text is sketched the same.
 */
export function documentSketch(text: string): Uint32Array {
  const dialect = RST_SIGNS.test(text) ? 'rst' : looksLikeAsciidoc(text) ? 'asciidoc' : undefined;
  return textSketch(dialect ? displayText(text, dialect) : text);
}

/**
 * What the stored sketches are of: 1 the text as written, 2 reStructuredText
 * and AsciiDoc as shown. A document with a sketch of an earlier version is
 * sketched again in the background (handlers/sketch-backlog.handler.ts);
 * until then its old sketch still folds its copies. Bump it, with a
 * migration that lists the sketched documents in sketch_backlog, when
 * documentSketch changes.
 */
export const SKETCH_VERSION = 2;
