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
 * Adaptive sizes by content type (characters; ~4 characters per token).
 *
 * | type          | target | max  | min | overlap | why |
 * |---------------|--------|------|-----|---------|-----|
 * | code          | 1800   | 2600 | 600 | 0       | functions are long and meaningless when cut; no prose to overlap |
 * | documentation | 1200   | 1800 | 450 | 150     | a section's paragraph or two answers one question |
 * | tutorial      | 1400   | 2000 | 500 | 180     | keeps a step with its command and explanation |
 * | notes         | 800    | 1200 | 250 | 100     | short, independent bullets; small chunks stay on topic |
 * | data          | 1600   | 2400 | 500 | 0       | whole row groups with their header; rows do not overlap |
 * | transcript    | 1000   | 1500 | 350 | 150     | a few speaker turns; overlap keeps the question with its answer |
 * | other         | 1000   | 1600 | 350 | 120     | middle of the road |
 *
 * Overlap is 10-15% of the target for prose and zero for code and tables.
 */
export const CHUNK_SIZES: Record<ContentType, ChunkSizes> = {
  code: { target: 1800, max: 2600, min: 600, overlap: 0 },
  documentation: { target: 1200, max: 1800, min: 450, overlap: 150 },
  tutorial: { target: 1400, max: 2000, min: 500, overlap: 180 },
  notes: { target: 800, max: 1200, min: 250, overlap: 100 },
  data: { target: 1600, max: 2400, min: 500, overlap: 0 },
  transcript: { target: 1000, max: 1500, min: 350, overlap: 150 },
  other: { target: 1000, max: 1600, min: 350, overlap: 120 },
};
