import { tokenize } from './fts-query';
import { shownText } from './shown-text-cache';
import { toSegments } from './snippet-segments';
import type { MarkupDialect } from './markup-dialect';
import type { SnippetSegment } from './types';

/** Longest snippet text in characters; longer sentences are cut at a word boundary. */
export const MAX_SNIPPET_CHARS = 280;

/** Splits chunk text, as it is shown (snippet-text.ts), into sentences and lines, dropping empty ones. */
export function splitSentences(text: string, dialect?: MarkupDialect): string[] {
  return shownText(text, dialect)
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

/** Shortest opening shown of a chunk none of whose sentences shares a query word. */
export const MIN_OPENING_CHARS = 120;

/**
 * The sentence sharing the most query words (compared on a 5-letter stem so
 * "flows" meets "flow"). When none shares any (the chunk matched by its
 * heading or its title), the chunk's opening: its first sentences up to
 * MIN_OPENING_CHARS, as a section found by its heading "Stake the vines"
 * had shown only its first line, "Tags: garden".
 */
export function bestSentenceByWords(sentences: readonly string[], words: readonly string[]): string | undefined {
  const stems = new Set(words.map((w) => w.slice(0, 5)));
  let best = -1;
  let bestScore = -1;
  sentences.forEach((sentence, i) => {
    const score = new Set(
      tokenize(sentence)
        .map((t) => t.slice(0, 5))
        .filter((t) => stems.has(t)),
    ).size;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best < 0) return undefined;
  let text = sentences[best]!;
  if (bestScore > 0) return text;
  for (let next = best + 1; next < sentences.length && text.length < MIN_OPENING_CHARS; next++) {
    text += ` ${sentences[next]!}`;
  }
  return text;
}

/** A displayed sentence (it may hold code markers) as unhighlighted segments, clipped. */
export function plainSnippet(text: string): SnippetSegment[] {
  return toSegments(clip(text.replace(/[ \t]+/g, ' ').trim()));
}
