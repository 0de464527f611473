import { createHash } from 'node:crypto';
import { classifyContent } from '../classify';
import type {
  BoundaryType,
  ChunkDraft,
  ChunkingStrategy,
  ContentType,
  PageStart,
  ParsedDocument,
  StructureType,
} from '../types';
import { CodeOutline } from './code-outline';
import { codeBlocks, lineBlocks, markdownBlocks, plainBlocks, type Block, type BlockType } from './blocks';
import { boundaryCohesion, sentenceCohesion } from './cohesion';
import { CHUNK_SIZES, type ChunkSizes } from './sizes';
import { splitOversized } from './split-oversized';
import { markOpenFences } from './open-fences';
import { contentsHeadings } from './contents-sections';
import { measureText, type TextMeasure } from './text-measure';

/**
 * Bump when chunk boundaries or heading paths change for the same input, so
 * stored documents are re-chunked at their next sync. Hashes do not include
 * it: identical chunk text under an identical heading path keeps its vectors
 * across versions. 4: headings without badges and link targets, HTML headings.
 * 5: code chunks of at most 1,200 characters (sizes.ts); Chinese, Japanese
 *    and Korean measured as the tokens they are (text-measure.ts).
 * 6: code (and JSON) measured by its characters' kinds, symbols and digits
 *    heavy, spaces light (text-measure.ts).
 * 7: in plain text, a command between two rules (AsciiDoc's one-line listing
 *    block) is no longer an over- and underlined heading, and "= Title",
 *    "== Section" (AsciiDoc) lines are, none inside a listing block
 *    (plain-headings.ts); wiki and AsciiDoc links in headings read as text.
 * 8: source code chunks carry the classes and functions around them as
 *    their heading path (code-outline.ts).
 * 9: a chunk that begins inside a fenced code block opened in an earlier
 *    chunk says so (`openFence`, open-fences.ts). Boundaries and text do
 *    not change, so re-chunking keeps every row and vector.
 * 10: in plain text, a one-line AsciiDoc listing block no longer pairs its
 *    opening rule with the next block's, which hid the headings between
 *    them and made headings of a listing's contents (plain-headings.ts);
 *    in text that shows it is AsciiDoc, a chunk that begins inside a
 *    listing or literal block says so (`openFence` `----` or `....`).
 * 11: a heading over the document's own table of contents is no longer the
 *    parent of the sections after it (contents-sections.ts).
 * 12: in plain text, a line opening with a date or a time, in figures or
 *    with the month spelled out (a GNU ChangeLog's entries, "18 January
 *    2023: Wouter", a log's records) no longer heads a section of its own
 *    (plain-headings.ts): such entries pack into chunks of the usual size;
 *    nor does a table's row of columns set apart by runs of spaces.
 */
export const CHUNKER_VERSION = 12;

/** Characters below which overlap is dropped rather than squeezed in. */
const MIN_OVERLAP = 40;

export interface ChunkOptions {
  /** Drives chunk sizes (see sizes.ts). Default: `classifyContent(parsed)`. */
  contentType?: ContentType;
}

/** A span of text the chunker treats as indivisible: a block, or a piece of an oversized one. */
interface Unit {
  type: BlockType;
  start: number;
  end: number;
}

interface RawChunk {
  units: Unit[];
  headingPath: string[];
  boundary: BoundaryType;
  strategy: ChunkingStrategy;
}

/**
 * Structure-aware, adaptive chunking.
 *
 * - Text is split into blocks (headings, paragraphs, lists, tables, code
 *   fences, quotes). Every heading closes the chunk before it
 *   (`structure_boundary`) and extends the heading path carried by the
 *   chunks under it.
 * - Within a section, blocks are packed up to the content type's target
 *   size. When the next block does not fit, the chunk is cut at the block
 *   boundary with the least word overlap between its two sides among those
 *   leaving at least `min` characters (`semantic_break`; strategy
 *   `semantic` when there was a choice, `adaptive` when there was one).
 * - A block is only split when it alone exceeds `max`, at line, item or
 *   sentence boundaries (`size_limit`; strategy `fixed` if it had to cut
 *   mid-word).
 * - Consecutive prose chunks of one section overlap by about `overlap`
 *   characters, starting at a sentence or word boundary.
 *
 * Invariant: `chunk.text === parsed.text.slice(chunk.charStart, chunk.charEnd)`.
 */
export function chunkDocument(parsed: ParsedDocument, options: ChunkOptions = {}): ChunkDraft[] {
  const contentType = options.contentType ?? classifyContent(parsed);
  const sizes = CHUNK_SIZES[contentType];
  const measure = measureText(parsed.text, { code: parsed.format === 'code' });
  const raw = packBlocks(parsed.text, blocksOf(parsed, contentType), sizes, measure);
  if (parsed.format === 'code') {
    const outline = new CodeOutline(parsed.text, parsed.language);
    for (const chunk of raw) chunk.headingPath = outline.enclosing((chunk.units[0] as Unit).start);
  }
  const chunks = raw.map((chunk, index) => finishChunk(parsed, chunk, index, raw[index - 1], sizes, measure));
  // A source file is code throughout: its snippets show it so whatever fences it holds.
  if (parsed.format !== 'code') markOpenFences(parsed.text, chunks, parsed.format);
  return chunks;
}

function blocksOf(parsed: ParsedDocument, contentType: ContentType): Block[] {
  switch (parsed.format) {
    case 'markdown':
    case 'table':
      return markdownBlocks(parsed.text);
    case 'code':
      return codeBlocks(parsed.text);
    case 'plain':
      // In a transcript each line is a speaker turn: the natural unit to keep whole.
      return contentType === 'transcript' ? lineBlocks(parsed.text) : plainBlocks(parsed.text, parsed.headings);
  }
}

function packBlocks(text: string, blocks: Block[], sizes: ChunkSizes, measure: TextMeasure): RawChunk[] {
  const chunks: RawChunk[] = [];
  const headings: Array<{ level: number; title: string; contents: boolean }> = [];
  const contents = contentsHeadings(text, blocks);
  let pending: Unit[] = [];
  const path = (): string[] => headings.map((heading) => heading.title);
  const hasContent = (units: Unit[]): boolean => units.some((unit) => unit.type !== 'heading');
  const emit = (units: Unit[], boundary: BoundaryType, strategy: ChunkingStrategy): void => {
    if (units.length > 0) chunks.push({ units, headingPath: path(), boundary, strategy });
  };

  const place = (block: Block): void => {
    for (;;) {
      const first = pending[0];
      const size = measure.length((first ?? block).start, block.end);
      if (size <= sizes.target) {
        pending.push(block);
        return;
      }
      if (measure.length(block.start, block.end) > sizes.max) {
        placeOversized(block);
        return;
      }
      const pendingSize = first ? measure.length(first.start, (pending[pending.length - 1] as Unit).end) : 0;
      // A heading stays with its first block; a short run is not cut off on its own.
      if (!hasContent(pending) || (size <= sizes.max && pendingSize < sizes.min)) {
        pending.push(block);
        return;
      }
      const cut = chooseCut(text, pending, block, sizes, measure);
      emit(pending.slice(0, cut.index + 1), 'semantic_break', cut.hadChoice ? 'semantic' : 'adaptive');
      pending = pending.slice(cut.index + 1);
    }
  };

  const placeOversized = (block: Block): void => {
    if (hasContent(pending)) {
      emit(pending, 'semantic_break', 'adaptive');
      pending = [];
    }
    const headingStart = pending[0]?.start ?? block.start;
    const firstMax = Math.max(sizes.min, sizes.max - measure.length(headingStart, block.start));
    const pieces = splitOversized(text, block.start, block.end, block.type, measure, sizes.max, firstMax);
    pieces.forEach((piece, i) => {
      const unit: Unit = { type: block.type, start: piece.start, end: piece.end };
      if (i === pieces.length - 1) {
        // The last piece may share a chunk with the blocks that follow.
        pending.push(unit);
        return;
      }
      emit([...pending, unit], 'size_limit', piece.hardCut ? 'fixed' : 'adaptive');
      pending = [];
    });
  };

  for (const block of blocks) {
    // A "heading" longer than a chunk is a formatting accident: treat it as text.
    if (block.type !== 'heading' || measure.length(block.start, block.end) > sizes.max) {
      place(block.type === 'heading' ? { ...block, type: 'paragraph' } : block);
      continue;
    }
    if (hasContent(pending)) {
      emit(pending, 'structure_boundary', 'adaptive');
      pending = [];
    } else if (pending.length > 0 && measure.length((pending[0] as Unit).start, block.end) > sizes.target) {
      // Headings with no text between them (a table of contents, a list set in
      // capitals) are cut like text: one chunk holding them all would outgrow
      // the model's window, and scanning the run for text at every heading
      // made a long one quadratic.
      emit(pending, 'size_limit', 'adaptive');
      pending = [];
    }
    const level = block.level ?? 1;
    const top = (): { level: number; contents: boolean } | undefined => headings[headings.length - 1];
    // A table of contents heads its own list only, whatever level the page gave it.
    while (top()?.contents || (top()?.level ?? 0) >= level) headings.pop();
    if (block.title) headings.push({ level, title: block.title, contents: contents.has(block) });
    pending.push(block);
  }
  emit(pending, 'document_end', 'adaptive');
  const last = chunks[chunks.length - 1];
  if (last) last.boundary = 'document_end';
  return chunks;
}

/**
 * Picks the unit after which to cut: the boundary with the least word
 * overlap across it, among boundaries leaving a chunk of at least `min`
 * characters. Ties go to the later boundary (fewer, fuller chunks).
 */
function chooseCut(
  text: string,
  pending: Unit[],
  next: Unit,
  sizes: ChunkSizes,
  measure: TextMeasure,
): { index: number; hadChoice: boolean } {
  const start = (pending[0] as Unit).start;
  const candidates: number[] = [];
  pending.forEach((unit, i) => {
    if (unit.type !== 'heading' && measure.length(start, unit.end) >= sizes.min) candidates.push(i);
  });
  if (candidates.length === 0) return { index: pending.length - 1, hadChoice: false };
  if (candidates.length === 1) return { index: candidates[0] as number, hadChoice: false };
  let best = candidates[0] as number;
  let bestScore = Infinity;
  for (const i of candidates) {
    const score = boundaryCohesion(text, pending[i] as Unit, pending[i + 1] ?? next);
    if (score <= bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return { index: best, hadChoice: true };
}

function finishChunk(
  parsed: ParsedDocument,
  chunk: RawChunk,
  index: number,
  previous: RawChunk | undefined,
  sizes: ChunkSizes,
  measure: TextMeasure,
): ChunkDraft {
  const naturalStart = (chunk.units[0] as Unit).start;
  const charEnd = (chunk.units[chunk.units.length - 1] as Unit).end;
  const structureType = structureOf(chunk.units);
  // Overlap never pushes a chunk past `max`; a sliver of overlap is not worth having.
  const overlapBudget = Math.min(sizes.overlap, sizes.max - measure.length(naturalStart, charEnd));
  const overlaps =
    previous !== undefined &&
    overlapBudget >= MIN_OVERLAP &&
    previous.boundary !== 'structure_boundary' &&
    isProse(structureType) &&
    isProse(structureOf(previous.units));
  const charStart = overlaps
    ? overlapStart(
        parsed.text,
        (previous.units[0] as Unit).start,
        naturalStart,
        measure.reachBack(naturalStart, overlapBudget),
      )
    : naturalStart;
  const text = parsed.text.slice(charStart, charEnd);
  return {
    index,
    text,
    contentHash: hashChunk(text, chunk.headingPath),
    headingPath: chunk.headingPath,
    charStart,
    charEnd,
    page: pageAt(parsed.pages, charStart),
    structureType,
    boundaryType: chunk.boundary,
    strategy: chunk.strategy,
    semanticScore: structureType === 'code' || structureType === 'table' ? null : sentenceCohesion(text),
  };
}

/** sha256 of the heading path and the text: stable across positions and re-chunks of unchanged passages. */
export function hashChunk(text: string, headingPath: string[]): string {
  return createHash('sha256').update(JSON.stringify(headingPath)).update('\n').update(text).digest('hex');
}

function structureOf(units: Unit[]): StructureType {
  const types = new Set<StructureType>();
  for (const unit of units) {
    if (unit.type === 'heading') continue;
    types.add(unit.type === 'blockquote' ? 'paragraph' : unit.type);
  }
  if (types.size === 0) return 'heading';
  return types.size === 1 ? (types.values().next().value as StructureType) : 'mixed';
}

function isProse(type: StructureType): boolean {
  return type === 'paragraph' || type === 'list' || type === 'mixed';
}

/**
 * Moves a chunk's start back into the previous chunk, at most to `earliest`,
 * landing on a sentence start if there is one in range, else a word.
 */
function overlapStart(text: string, previousStart: number, naturalStart: number, earliest: number): number {
  const from = Math.max(previousStart + 1, earliest);
  if (from >= naturalStart) return naturalStart;
  const window = text.slice(from, naturalStart);
  const sentence = /(?:[.!?]["')\]]?|\n)\s+(?=\S)/.exec(window);
  if (sentence) return from + sentence.index + sentence[0].length;
  const word = /\s+(?=\S)/.exec(window);
  return word ? from + word.index + word[0].length : naturalStart;
}

function pageAt(pages: PageStart[] | undefined, offset: number): number | null {
  if (!pages || pages.length === 0) return null;
  let low = 0;
  let high = pages.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((pages[mid] as PageStart).start <= offset) low = mid;
    else high = mid - 1;
  }
  return (pages[low] as PageStart).page;
}
