import type { ContentType } from '../types';

/** Chunk size limits in characters. */
export interface ChunkSizes {
  /** Aim for chunks about this long: blocks are packed until the next one would pass it. */
  target: number;
  /** Never longer than this, except a single heading line kept with its first block. */
  max: number;
  /** A chunk is not cut shorter than this when a later cut is possible. */
  min: number;
  /** Characters of the previous chunk repeated at the start of the next (prose in one section only). */
  overlap: number;
}

/**
 * Adaptive sizes by content type (characters).
 *
 * | type          | target | max  | min | overlap | why |
 * |---------------|--------|------|-----|---------|-----|
 * | code          | 1000   | 1200 | 350 | 0       | functions stay whole where they fit the model's window; no prose to overlap |
 * | documentation | 1200   | 1800 | 450 | 150     | a section's paragraph or two answers one question |
 * | tutorial      | 1400   | 2000 | 500 | 180     | keeps a step with its command and explanation |
 * | notes         | 800    | 1200 | 250 | 100     | short, independent bullets; small chunks stay on topic |
 * | data          | 800    | 1000 | 300 | 0       | whole row groups with their header; rows do not overlap |
 * | transcript    | 1000   | 1500 | 350 | 150     | a few speaker turns; overlap keeps the question with its answer |
 * | other         | 1000   | 1600 | 350 | 120     | middle of the road |
 *
 * Overlap is 10-15% of the target for prose and zero for code and tables.
 *
 * Every `max` fits the default model's window of 512 tokens, title and
 * heading path included (test/ingest/chunk-sizes.test.ts): the model never
 * sees what is past it, so search by meaning would miss the end of a longer
 * chunk. English prose is ~4.3 characters per WordPiece token (1,800
 * characters ~ 420 tokens), code ~3.2 and CSV ~2.3; with code at 2,600 and
 * tables at 2,400 characters, a fifth of the code chunks of this repository
 * ran past the window (4.6% of their tokens unseen) and a CSV chunk by half.
 * Code dense with symbols (regular expressions, chained calls, tables of
 * CONSTANT_NAMES) is nearer 1.6 characters a token, so code is measured by
 * its characters' kinds (text-measure.ts), in characters of code of the
 * usual mix: with a max of 1,200 so measured, no chunk of this repository's
 * code passes the window, nor 0.02% of Python's and 0.03% of C headers'.
 *
 * Chinese, Japanese and Korean are about a token a character or more: the
 * chunker measures them by text-measure.ts, so their chunks fit too.
 */
export const CHUNK_SIZES: Record<ContentType, ChunkSizes> = {
  code: { target: 1000, max: 1200, min: 350, overlap: 0 },
  documentation: { target: 1200, max: 1800, min: 450, overlap: 150 },
  tutorial: { target: 1400, max: 2000, min: 500, overlap: 180 },
  notes: { target: 800, max: 1200, min: 250, overlap: 100 },
  data: { target: 800, max: 1000, min: 300, overlap: 0 },
  transcript: { target: 1000, max: 1500, min: 350, overlap: 150 },
  other: { target: 1000, max: 1600, min: 350, overlap: 120 },
};
