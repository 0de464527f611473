import { AppError } from '../../../shared/errors';
import { spaceKey, type Embedder } from '../embeddings/types';
import type { Logger } from '../logger';
import { RecentlyUsed } from './recently-used';
import { clip, dot, plainSnippet } from './sentence-snippets';
import { CODE_CLOSE, CODE_OPEN } from './snippet-segments';
import type { SnippetSegment } from './types';

export interface MeaningSnippetOptions {
  /** Sentences of one chunk considered. Default 8. */
  sentencesPerChunk?: number;
  /** Most sentences embedded by one search's model call. Default 24 (one short call: ~25 ms of one core with the default model). */
  maxSentencesPerCall?: number;
  /** Sentence vectors kept (LRU). Default 4096 (6 MB at 384 dimensions). */
  cacheSize?: number;
  /**
   * How long a search waits for its sentence call before answering with the
   * lexical snippets, ms. Default 0: never; the call still fills the cache.
   */
  waitMs?: number;
}

/** A chunk found by meaning only, with its sentences (the lexical snippet already chosen from them). */
export interface MeaningSnippetItem {
  chunkId: number;
  sentences: string[];
}

/**
 * Snippets for chunks a search found by meaning only (no query word in
 * them, so the lexical choice is little more than the first sentence): the
 * sentence closest in meaning to the query, where that is cheap.
 *
 * A sentence's vector does not depend on the query, so vectors are cached
 * by embedding space and sentence. A search replaces a chunk's lexical
 * snippet only when the vectors of all its candidate sentences are known;
 * the sentences still missing go to the model in at most ONE call per search
 * (at most `maxSentencesPerCall`, served after queries and before indexing
 * work, see EmbedOptions.purpose), which the search does not wait for by
 * default. So results are never held up by the model, and paging, retyping
 * or refining a search shows the better snippets.
 */
export class MeaningSnippets {
  private readonly sentencesPerChunk: number;
  private readonly maxSentencesPerCall: number;
  private readonly waitMs: number;
  private readonly vectors: RecentlyUsed<Float32Array>;
  /** Sentences being embedded now (by space), so concurrent searches do not ask twice. */
  private readonly inFlight = new Set<string>();
  private readonly calls = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    options: MeaningSnippetOptions = {},
  ) {
    this.sentencesPerChunk = options.sentencesPerChunk ?? 8;
    this.maxSentencesPerCall = options.maxSentencesPerCall ?? 24;
    this.waitMs = options.waitMs ?? 0;
    this.vectors = new RecentlyUsed<Float32Array>(options.cacheSize ?? 4096);
  }

  /**
   * Sets `snippets` of the items whose sentence vectors are known to the
   * sentence closest to `query`; asks the model for missing ones in one call.
   */
  async improve(
    items: readonly MeaningSnippetItem[],
    query: Float32Array,
    embedder: Embedder,
    snippets: Map<number, SnippetSegment[]>,
  ): Promise<void> {
    const space = spaceKey(embedder.space);
    // One sentence: nothing to choose.
    const candidates = items
      .map((item) => ({
        chunkId: item.chunkId,
        sentences: item.sentences.slice(0, this.sentencesPerChunk).map((s) => clip(s, 1000)),
      }))
      .filter((item) => item.sentences.length >= 2);
    const missing = new Set<string>();
    for (const { sentences } of candidates) {
      for (const sentence of sentences) {
        if (missing.size >= this.maxSentencesPerCall) break;
        if (!this.vectors.get(space, sentence) && !this.inFlight.has(`${space}\n${sentence}`)) missing.add(sentence);
      }
    }
    if (missing.size > 0) {
      const call = this.embed(space, [...missing], embedder);
      if (this.waitMs > 0) await Promise.race([call, new Promise((resolve) => setTimeout(resolve, this.waitMs))]);
    }
    for (const { chunkId, sentences } of candidates) {
      const scored = sentences.map((sentence) => ({ sentence, vector: this.vectors.get(space, sentence) }));
      if (scored.some((s) => !s.vector)) continue;
      let best = scored[0]!;
      for (const s of scored) if (dot(s.vector!, query) > dot(best.vector!, query)) best = s;
      snippets.set(chunkId, plainSnippet(best.sentence));
    }
  }

  /** Resolves when the sentence calls started so far have finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.calls]);
  }

  private embed(space: string, sentences: string[], embedder: Embedder): Promise<void> {
    const keys = sentences.map((s) => `${space}\n${s}`);
    for (const key of keys) this.inFlight.add(key);
    const call = embedder
      // The model reads the words only: code markers are for display.
      .embedDocuments(
        sentences.map((s) => s.replaceAll(CODE_OPEN, ' ').replaceAll(CODE_CLOSE, ' ')),
        { purpose: 'search' },
      )
      .then((vectors) => sentences.forEach((s, i) => vectors[i] && this.vectors.set(space, s, vectors[i])))
      .catch((error: unknown) => {
        // The lexical snippet stays; a later search asks again.
        this.logger.warn('sentence embedding for snippets failed', {
          code: AppError.is(error) ? error.code : 'INTERNAL',
        });
      })
      .finally(() => {
        for (const key of keys) this.inFlight.delete(key);
        this.calls.delete(call);
      });
    this.calls.add(call);
    return call;
  }
}
