/**
 * Synthetic libraries for the speed benchmark: unit vectors drawn around a
 * few thousand cluster centres (real embeddings cluster; uniform random
 * vectors would flatter binary quantisation and defeat IVF indexes), and
 * text whose topic words follow the same clusters, over a Zipf background.
 * Everything is seeded, so two runs build the same library.
 */
import { seededRandom } from '../../src/main/core/seeded-random';

export { seededRandom };

export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

export function normalizeInPlace(v: Float32Array, offset = 0, length = v.length): void {
  let n = 0;
  for (let i = offset; i < offset + length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  for (let i = offset; i < offset + length; i++) v[i]! /= n;
}

export interface SyntheticOptions {
  dims: number;
  clusters: number;
  /** Per-dimension noise around a centre; 0.03 at 384 dims gives ~0.73 cosine between cluster mates. */
  noise: number;
  vocabulary: number;
  wordsPerChunk: number;
  topicWordsPerCluster: number;
  seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  dims: 384,
  clusters: 3000,
  noise: 0.03,
  vocabulary: 20000,
  wordsPerChunk: 48,
  topicWordsPerCluster: 12,
  seed: 42,
};

const SYLLABLES = 'ka ri to ne mo sa lu vi de pa ro mi tu fe ga ze lo bi nu ha ye wo xi qu ja'.split(' ');

/** The shared generator: centres, vocabulary and topic words. Chunks and queries are drawn from it. */
export class SyntheticWorld {
  readonly centres: Float32Array;
  readonly words: string[];
  private readonly zipfCdf: Float64Array;
  private readonly topics: Uint32Array;

  constructor(readonly options: SyntheticOptions = DEFAULT_SYNTHETIC) {
    const random = seededRandom(options.seed);
    const gauss = gaussian(random);
    const { dims, clusters } = options;
    this.centres = new Float32Array(clusters * dims);
    for (let c = 0; c < clusters; c++) {
      for (let d = 0; d < dims; d++) this.centres[c * dims + d] = gauss();
      normalizeInPlace(this.centres, c * dims, dims);
    }
    const seen = new Set<string>();
    this.words = [];
    while (this.words.length < options.vocabulary) {
      const n = 2 + Math.floor(random() * 3);
      let w = '';
      for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
      if (!seen.has(w)) {
        seen.add(w);
        this.words.push(w);
      }
    }
    this.zipfCdf = new Float64Array(options.vocabulary);
    let sum = 0;
    for (let r = 0; r < options.vocabulary; r++) this.zipfCdf[r] = sum += 1 / (r + 1);
    for (let r = 0; r < options.vocabulary; r++) this.zipfCdf[r]! /= sum;
    this.topics = new Uint32Array(clusters * options.topicWordsPerCluster);
    // Topic words come from the rarer half of the vocabulary, as real topical terms do.
    for (let i = 0; i < this.topics.length; i++)
      this.topics[i] = 500 + Math.floor(random() * (options.vocabulary - 500));
  }

  private zipfWord(random: () => number): string {
    const x = random();
    let lo = 0;
    let hi = this.zipfCdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.zipfCdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo]!;
  }

  private topicWord(cluster: number, random: () => number): string {
    const t = this.options.topicWordsPerCluster;
    return this.words[this.topics[cluster * t + Math.floor(random() * t)]!]!;
  }

  /** Writes a vector near `cluster`'s centre into `out` at `offset`. */
  vectorNear(cluster: number, random: () => number, out: Float32Array, offset: number): void {
    const { dims, noise } = this.options;
    const gauss = gaussian(random);
    for (let d = 0; d < dims; d++) out[offset + d] = this.centres[cluster * dims + d]! + noise * gauss();
    normalizeInPlace(out, offset, dims);
  }

  chunkText(cluster: number, random: () => number): string {
    const parts: string[] = [];
    for (let i = 0; i < this.options.wordsPerChunk; i++) {
      parts.push(random() < 0.3 ? this.topicWord(cluster, random) : this.zipfWord(random));
      if (i % 12 === 11) parts[parts.length - 1] += '.';
    }
    return parts.join(' ');
  }

  /** Two topic words of the cluster and one moderately common word: a typical short search. */
  queryText(cluster: number, random: () => number): string {
    const common = this.words[50 + Math.floor(random() * 450)]!;
    return `${this.topicWord(cluster, random)} ${this.topicWord(cluster, random)} ${common}`;
  }
}
