import { isStopword, textTokens } from '../../src/main/core/search/fts-query';
import type { CranfieldDocument } from './cranfield';
import type { JudgedQuery } from './quality';

/**
 * Cranfield's abstracts gathered into files of several parts, for checking
 * how documents are ranked by their chunks against whole-document BM25.
 * Neither grouping looks at the judgments.
 */
export interface CranfieldFile {
  key: string;
  parts: CranfieldDocument[];
}

export type Grouping = 'random' | 'similar';

/**
 * Files of `size` abstracts each. 'random' draws them in a fixed
 * pseudo-random order (a file of unrelated parts, as a notes file or a
 * report with appendices is); 'similar' starts each file from the next
 * abstract in that order and adds its `size - 1` nearest remaining ones by
 * tf-idf cosine (a long document on one subject, whose words recur from
 * part to part). With `size` 1, one abstract per file.
 */
export function cranfieldFiles(
  documents: readonly CranfieldDocument[],
  size: number,
  grouping: Grouping,
): CranfieldFile[] {
  if (size === 1) return documents.map((d) => ({ key: `cran-${d.id}`, parts: [d] }));
  const order = shuffled(documents.length);
  const files: CranfieldFile[] = [];
  if (grouping === 'random') {
    for (let i = 0; i < order.length; i += size)
      files.push({ key: `cran-part-${i / size}`, parts: order.slice(i, i + size).map((j) => documents[j]!) });
    return files;
  }
  const df = documentFrequencies(documents);
  const vectors = documents.map((d) => vectorOf(`${d.title} ${d.body}`, df, documents.length));
  const left = new Set(order);
  for (const seed of order) {
    if (!left.has(seed)) continue;
    left.delete(seed);
    const nearest = [...left]
      .map((i) => [i, cosine(vectors[seed]!, vectors[i]!)] as const)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, size - 1)
      .map(([i]) => i);
    for (const i of nearest) left.delete(i);
    files.push({ key: `cran-similar-${files.length}`, parts: [seed, ...nearest].map((i) => documents[i]!) });
  }
  return files;
}

/** Judgments of the abstracts carried to the files holding them: a file's gain is its best part's. */
export function byBestPart(judged: readonly JudgedQuery[], files: readonly CranfieldFile[]): JudgedQuery[] {
  const fileOf = new Map<string, string>(files.flatMap((f) => f.parts.map((d) => [`cran-${d.id}`, f.key] as const)));
  return judged.map((q) => {
    const gains = new Map<string, number>();
    for (const [doc, gain] of q.gains) {
      const file = fileOf.get(doc) ?? doc;
      gains.set(file, Math.max(gains.get(file) ?? 0, gain));
    }
    return { text: q.text, gains };
  });
}

/** 0..n-1 in a fixed pseudo-random order (the same every run). */
function shuffled(n: number): number[] {
  let seed = 20261203;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Content words of an abstract (function words and words under 3 letters left out). */
const contentWords = (text: string): string[] => textTokens(text).filter((t) => t.length > 2 && !isStopword(t));

function documentFrequencies(documents: readonly CranfieldDocument[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of documents)
    for (const w of new Set(contentWords(`${d.title} ${d.body}`))) df.set(w, (df.get(w) ?? 0) + 1);
  return df;
}

/** An abstract's unit-length tf-idf vector: log-scaled counts of its content words times their idf. */
function vectorOf(text: string, df: ReadonlyMap<string, number>, documents: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of contentWords(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vector = new Map([...counts].map(([w, c]) => [w, (1 + Math.log(c)) * Math.log(documents / (df.get(w) ?? 1))]));
  const norm = Math.sqrt([...vector.values()].reduce((sum, y) => sum + y * y, 0)) || 1;
  for (const [w, y] of vector) vector.set(w, y / norm);
  return vector;
}

function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const [w, x] of a) sum += x * (b.get(w) ?? 0);
  return sum;
}
