import { tokenize } from './fts-query';
import { displayText, toSegments } from './snippet-text';
import type { MarkupDialect } from './markup-dialect';
import type { SnippetSegment } from './types';

/** Longest snippet text in characters; longer sentences are cut at a word boundary. */
export const MAX_SNIPPET_CHARS = 280;

/** Splits chunk text, as it is shown (snippet-text.ts), into sentences and lines, dropping empty ones. */
export function splitSentences(text: string, dialect?: MarkupDialect): string[] {
  return displayText(text, dialect)
    .split(/(?<=[.!?。！？])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export function clip(text: string, max = MAX_SNIPPET_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** Cosine similarity of two unit vectors (a dot product). */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length && i < b.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * The sentence sharing the most query words (compared on a 5-letter stem so
 * "flows" meets "flow"); the first sentence when none share any.
 */
export function bestSentenceByWords(sentences: readonly string[], words: readonly string[]): string | undefined {
  const stems = new Set(words.map((w) => w.slice(0, 5)));
  let best: string | undefined;
  let bestScore = -1;
  for (const sentence of sentences) {
    const score = new Set(
      tokenize(sentence)
        .map((t) => t.slice(0, 5))
        .filter((t) => stems.has(t)),
    ).size;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}

/** A displayed sentence (it may hold code markers) as unhighlighted segments, clipped. */
export function plainSnippet(text: string): SnippetSegment[] {
  return toSegments(clip(text.replace(/[ \t]+/g, ' ').trim()));
}
