import type { PageStart } from '../types';

/** Between two pages of a document's text (the PDF parser's convention). */
export const PAGE_SEPARATOR = '\n\n';

/**
 * Joins pages of text the way the PDF parser does and records where each
 * starts; empty strings for pages whose text OCR has not produced yet.
 */
export function joinPages(texts: readonly string[], firstPage = 1): { text: string; pages: PageStart[] } {
  const pages: PageStart[] = [];
  let text = '';
  texts.forEach((pageText, i) => {
    if (i > 0) text += PAGE_SEPARATOR;
    pages.push({ page: firstPage + i, start: text.length });
    text += pageText;
  });
  return { text, pages };
}

/** The text of a document of `count` pages none of which has text yet. */
export function pendingOcrText(count: number): { text: string; pages: PageStart[] } {
  return joinPages(Array.from({ length: count }, () => ''));
}

/** Splits a document's text back into its pages (the inverse of joinPages). */
export function splitPages(text: string, pages: readonly PageStart[]): string[] {
  return pages.map((page, i) => {
    const next = pages[i + 1];
    return text.slice(page.start, next ? next.start - PAGE_SEPARATOR.length : text.length);
  });
}
