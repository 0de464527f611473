import { joinHyphenatedWords } from '../dehyphenate';
import { firstMarkdownHeading } from '../document-title';
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

/** Words split by a typesetter's hyphen are joined again, so the stored text, chunks and snippets hold them whole. */
export function parsePlain(text: string): ParsedDocument {
  const normalised = joinHyphenatedWords(normaliseText(text));
  const title = plainTextTitle(normalised);
  return title ? { text: normalised, format: 'plain', title } : { text: normalised, format: 'plain' };
}

export function parseCode(text: string, language: string): ParsedDocument {
  return { text: normaliseText(text), format: 'code', language };
}

function frontMatterTitle(text: string): string | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const end = text.indexOf('\n---', 4);
  if (end < 0) return undefined;
  const match = /^title:\s*["']?(.+?)["']?\s*$/m.exec(text.slice(4, end));
  return match?.[1];
}
