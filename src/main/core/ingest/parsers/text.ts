import { joinHyphenatedWords } from '../dehyphenate';
import { firstMarkdownHeading } from '../document-title';
import { frontMatterTitle } from '../front-matter';
import { withoutManPageFurniture } from '../man-page-furniture';
import { ParseFailure } from '../parse-failure';
import { plainTextTitle } from '../plain-title';
import type { ParsedDocument } from '../types';

/**
 * Plain text, Markdown and source code: no heavy work, so these parsers are
 * cheap enough to run on the calling thread.
 */

/** LF line endings, no BOM, no NUL characters: offsets stay stable across platforms. */
export function normaliseText(text: string): string {
  let out = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (out.includes('\r')) out = out.replace(/\r\n?/g, '\n');
  if (out.includes('\u0000')) out = out.split('\u0000').join('');
  return out;
}

export function parseMarkdown(text: string): ParsedDocument {
  const normalised = normaliseText(text);
  const title = frontMatterTitle(normalised) ?? firstMarkdownHeading(normalised);
  return title ? { text: normalised, format: 'markdown', title } : { text: normalised, format: 'markdown' };
}

/**
 * Words split by a typesetter's hyphen are joined again, so the stored text, chunks and snippets hold them
 * whole; a rendered manual page's running header and footer are dropped once its title is read.
 */
export function parsePlain(text: string): ParsedDocument {
  const normalised = joinHyphenatedWords(normaliseText(text));
  const title = plainTextTitle(normalised);
  const body = withoutManPageFurniture(normalised);
  return title ? { text: body, format: 'plain', title } : { text: body, format: 'plain' };
}

export function parseCode(text: string, language: string): ParsedDocument {
  const normalised = normaliseText(text);
  const meanLine = MINIFIED_LANGUAGES.has(language) ? meanLineLength(normalised) : 0;
  if (normalised.length >= MINIFIED_MIN_CHARS && meanLine > MINIFIED_MEAN_LINE) {
    // A minified library or a build's data blob (a docs site's search index:
    // 2 MB on one line, 1,500 chunks that outrank every page they copy).
    throw new ParseFailure(
      'generated',
      `This file is minified code (lines of ${Math.round(meanLine).toLocaleString('en-US')} characters on average), ` +
        'written by a build tool rather than for reading, so Trove does not index it.',
    );
  }
  return { text: normalised, format: 'code', language };
}

/** Languages that build tools minify. */
const MINIFIED_LANGUAGES = new Set(['javascript', 'css']);
/** Mean characters per line above which such code was written by a tool, the line GitHub's linguist draws too. */
const MINIFIED_MEAN_LINE = 110;
/** Smaller files are read whatever their lines: a one-line bookmarklet is still someone's code. */
const MINIFIED_MIN_CHARS = 4096;

function meanLineLength(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  return text.length / lines;
}
