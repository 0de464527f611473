import type { RankedChunk } from './types';

/** The usual RRF constant: damps the head so one list cannot dominate. */
export const RRF_K = 60;

export interface FusedChunk {
  chunkId: number;
  documentId: string;
  score: number;
  keywordRank?: number;
  semanticRank?: number;
}

export interface FusedGroup {
  documentId: string;
  /** Best chunk's fused score. */
  score: number;
  /** Best first; ties by chunk id. */
  chunks: FusedChunk[];
  /** Documents with the same or nearly the same text, folded into this one (near-duplicates.ts), best first. */
  copies?: string[];
}

/**
 * Reciprocal rank fusion: each chunk scores sum(1 / (k + rank)) over the
 * lists it appears in. With a single list this is just a rank-preserving score.
 */
export function fuseRankings(
  keyword: readonly RankedChunk[],
  semantic: readonly RankedChunk[],
  k = RRF_K,
): FusedChunk[] {
  const byChunk = new Map<number, FusedChunk>();
  const add = (list: readonly RankedChunk[], which: 'keywordRank' | 'semanticRank'): void => {
    for (const hit of list) {
      let fused = byChunk.get(hit.chunkId);
      if (!fused) {
        fused = { chunkId: hit.chunkId, documentId: hit.documentId, score: 0 };
        byChunk.set(hit.chunkId, fused);
      }
      fused.score += 1 / (k + hit.rank);
      fused[which] = hit.rank;
    }
  };
  add(keyword, 'keywordRank');
  add(semantic, 'semanticRank');
  return [...byChunk.values()].sort(byChunkScore);
}

/**
 * Groups fused chunks by document. A document ranks by its best chunk, so a
 * long document is not favoured just for having many mediocre matches.
 * Order: score desc, then document id asc (deterministic for paging).
 */
export function groupByDocument(chunks: readonly FusedChunk[]): FusedGroup[] {
  const groups = new Map<string, FusedGroup>();
  for (const chunk of chunks) {
    const group = groups.get(chunk.documentId);
    if (group) group.chunks.push(chunk);
    else groups.set(chunk.documentId, { documentId: chunk.documentId, score: chunk.score, chunks: [chunk] });
  }
  return [...groups.values()].sort(byScore);
}

/** Every chunk id the groups hold, in their order: the chunks a search pooled for them. */
export function chunkIdsOf(groups: readonly FusedGroup[]): number[] {
  return groups.flatMap((g) => g.chunks.map((c) => c.chunkId));
}

/** Score descending, then document id ascending: the order pages are cut in (cursor.ts). */
/** Chunks best score first, ties by chunk id, so every ranking of chunks is the same from run to run. */
export function byChunkScore(a: { score: number; chunkId: number }, b: { score: number; chunkId: number }): number {
  return b.score - a.score || a.chunkId - b.chunkId;
}

export function byScore(a: FusedGroup, b: FusedGroup): number {
  return b.score - a.score || (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0);
}
