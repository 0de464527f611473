import { describe, expect, it } from 'vitest';
import { orTerms, splitPlanSearch } from '../../src/main/core/search/common-terms';
import { keywordMatch } from '../../src/main/core/search/keyword-plan';
import {
  columnWeights,
  keywordSearchWithPlan,
  type KeywordSearchOptions,
} from '../../src/main/core/search/keyword-search';
import type { SearchFilters } from '../../src/main/core/search/types';
import { createLibrary } from './library';

/**
 * The split ("common terms") plan is meant for million-chunk libraries; a
 * lowered `rowBudget` makes a library of a few thousand chunks trigger it,
 * so its rankings can be checked against FTS5's own BM25 order.
 */
const ROW_BUDGET = 400;
const OPTIONS: KeywordSearchOptions = {
  pool: 100,
  titleWeight: 4,
  headingWeight: 2,
  rowBudget: ROW_BUDGET,
  // The frequent words here outnumber the rare ones 3 to 5 times, under what
  // makes the plan pay; its rankings are what these tests check.
  frequentToRare: 1,
  exactTop: 20,
};

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * ~3,000 chunks: "alpha", "beta" and "gamma" in a large share of them (far
 * over the budget), "zircon", "quartz" and "basalt" in a few percent, filler
 * words otherwise, with varied lengths so that BM25 ties are rare.
 */
function buildLibrary() {
  const lib = createLibrary();
  lib.addConnector('folder', 'local_folder');
  lib.addConnector('drive', 'google_drive');
  const random = seeded(11);
  const pick = (p: number, word: string): string[] => (random() < p ? [word] : []);
  const docs: Array<{ id: string; chunkIds: number[]; connectorId: string }> = [];
  for (let d = 0; d < 600; d++) {
    const connectorId = d % 3 === 0 ? 'drive' : 'folder';
    const chunks: string[] = [];
    for (let c = 0; c < 5; c++) {
      const words: string[] = [];
      const length = 10 + Math.floor(random() * 40);
      for (let i = 0; i < length; i++) words.push(`w${Math.floor(random() * 300)}`);
      words.push(...pick(0.45, 'alpha'), ...pick(0.35, 'alphabet'), ...pick(0.3, 'beta'), ...pick(0.5, 'gamma'));
      words.push(...pick(0.04, 'zircon'), ...pick(0.03, 'quartz'), ...pick(0.02, 'basalt'));
      if (random() < 0.01) words.push('zircon', 'zircon', 'quartz');
      // Shuffle so the planted words sit anywhere in the chunk.
      for (let i = words.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [words[i], words[j]] = [words[j]!, words[i]!];
      }
      chunks.push(words.join(' '));
    }
    const title = random() < 0.05 ? 'zircon notes' : `notes ${d}`;
    docs.push({ ...lib.addDocument({ connectorId, title, chunks }), connectorId });
  }
  return { ...lib, docs };
}

const library = buildLibrary();
const { db } = library;

const match = (query: string): string => keywordMatch(db, query)!;

/** How many chunks the FTS5 expression matches. */
function rowsMatching(m: string): number {
  return db.prepare(`SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?`).pluck().get(m) as number;
}

/** FTS5's own score of every matching row (higher is better), with the service's title weight. */
function exactScores(m: string): Map<number, number> {
  const rows = db
    .prepare(
      `SELECT rowid AS id, rank FROM chunks_fts WHERE chunks_fts MATCH ? AND rank MATCH 'bm25(1.0, 4.000, 2.000)'`,
    )
    .all(m) as Array<{ id: number; rank: number }>;
  return new Map(rows.map((r) => [r.id, -r.rank]));
}

/**
 * The split plan's top `n` must hold exactly the scores of the exact plan's
 * top `n`, in the same order (chunks with equal scores may swap places).
 */
function expectSameTop(m: string, filters: SearchFilters | undefined, n: number) {
  const split = keywordSearchWithPlan(db, m, filters, OPTIONS);
  const exact = keywordSearchWithPlan(db, m, filters, { ...OPTIONS, plan: 'exact' });
  expect(split.plan).toBe('split');
  expect(exact.plan).toBe('exact');
  const scores = exactScores(m);
  const top = (hits: typeof split.hits) => hits.slice(0, n).map((h) => scores.get(h.chunkId)!);
  expect(top(split.hits)).toHaveLength(n);
  const want = top(exact.hits);
  top(split.hits).forEach((score, i) => expect(score).toBeCloseTo(want[i]!, 9));
  return { split, exact };
}

describe('keyword search on large libraries (split plan)', () => {
  it('reads the OR-ed terms of a loose-word expression and nothing else', () => {
    expect(orTerms('"zircon" OR "alpha" OR "gam"*')).toEqual(['"zircon"', '"alpha"', '"gam"*']);
    expect(orTerms('"it""s" OR "x"')).toEqual(['"it""s"', '"x"']);
    expect(orTerms('"zircon"')).toBeNull();
    expect(orTerms('"zircon quartz" AND ("zircon quartz" OR "alpha")')).toBeNull();
    expect(orTerms('"zircon" OR alpha')).toBeNull();
    expect(orTerms('"zircon" OR "alpha" NOT "beta"')).toBeNull();
  });

  it('ranks rare plus common words in exact BM25 order', () => {
    expectSameTop(match('zircon quartz alpha '), undefined, OPTIONS.exactTop!);
    expectSameTop(match('zircon beta gamma '), undefined, OPTIONS.exactTop!);
  });

  it('handles a frequent prefix term being typed', () => {
    // "alp"* expands to alpha and alphabet: far over the budget.
    const m = match('zircon quartz alp');
    expect(m).toBe('"zircon" OR "quartz" OR "alp"*');
    expectSameTop(m, undefined, OPTIONS.exactTop!);
  });

  it('keeps the obvious best chunk first', () => {
    const { split } = expectSameTop(match('zircon quartz alpha '), undefined, 5);
    const best = split.hits[0]!.chunkId;
    const text = db.prepare(`SELECT chunk_text FROM imported_doc_chunks WHERE id = ?`).pluck().get(best) as string;
    expect(text.split(' ').filter((w) => w === 'zircon').length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('quartz');
  });

  it('bounds the score of every row it leaves out', () => {
    const m = match('zircon basalt alpha beta ');
    const split = splitPlanSearch(db, m, {
      rowBudget: ROW_BUDGET,
      frequentShare: 0.01,
      frequentToRare: 1,
      minCandidates: 20,
      weights: columnWeights(4, 2),
    })!;
    expect(split).not.toBeNull();
    const kept = new Set(split.ranked.map((c) => c.chunkId));
    const scores = exactScores(m);
    let leftOut = 0;
    for (const [id, score] of scores) {
      if (kept.has(id)) {
        expect(split.ranked.find((c) => c.chunkId === id)!.score).toBeCloseTo(score, 9);
      } else {
        leftOut++;
        expect(score).toBeLessThan(split.bound);
      }
    }
    expect(leftOut).toBeGreaterThan(100);
    expect(split.tightenBound()).toBeLessThanOrEqual(split.bound);
  });

  it('runs the exact query for common words only, phrases and small libraries', () => {
    for (const q of ['alpha ', 'alpha beta gamma ', 'alph', '"alpha beta" zircon ', '"zircon quartz"']) {
      const m = match(q);
      const got = keywordSearchWithPlan(db, m, undefined, OPTIONS);
      const exact = keywordSearchWithPlan(db, m, undefined, { ...OPTIONS, plan: 'exact' });
      expect(got.plan).toBe('exact');
      expect(got.hits).toEqual(exact.hits);
      expect(got.hits.length).toBeGreaterThan(0);
    }
    // The default budget is larger than this whole library.
    const m = match('zircon quartz alpha ');
    expect(keywordSearchWithPlan(db, m, undefined, { pool: 100, titleWeight: 4, headingWeight: 2 }).plan).toBe('exact');
  });

  it('falls back to the exact query when it cannot prove the top hits', () => {
    // "basalt" matches as many rows as must be proven, but a filter keeps only a third of them.
    const m = match('basalt alpha beta ');
    const count = rowsMatching('"basalt"');
    const strict = { ...OPTIONS, exactTop: count };
    expect(keywordSearchWithPlan(db, m, undefined, strict).plan).toBe('split');
    const drive = { connectorIds: ['drive'] };
    const got = keywordSearchWithPlan(db, m, drive, strict);
    expect(got.plan).toBe('fallback');
    expect(got.hits).toEqual(keywordSearchWithPlan(db, m, drive, { ...strict, plan: 'exact' }).hits);
  });

  it('runs the exact query at once when the split plan could not pay', () => {
    const m = match('basalt alpha beta ');
    const count = rowsMatching('"basalt"');
    // Fewer rare rows than hits to prove: it could only fall back.
    const tooFew = keywordSearchWithPlan(db, m, undefined, { ...OPTIONS, exactTop: count + 1 });
    expect(tooFew.plan).toBe('exact');
    // Rare rows (zircon, quartz) against frequent ones (alpha) about 1 to 3.4: at the
    // default ratio, scoring every row costs less than the plan.
    const rareHeavy = match('zircon quartz alpha ');
    const { frequentToRare: _, ...defaults } = OPTIONS;
    const got = keywordSearchWithPlan(db, rareHeavy, undefined, defaults);
    expect(got.plan).toBe('exact');
    expect(keywordSearchWithPlan(db, rareHeavy, undefined, OPTIONS).plan).toBe('split');
    expect(got.hits.slice(0, 20)).toEqual(keywordSearchWithPlan(db, rareHeavy, undefined, OPTIONS).hits.slice(0, 20));
  });

  it('respects filters and leaves out deleted and unfinished documents', () => {
    const m = match('zircon quartz alpha ');
    const drive = { connectorIds: ['drive'] };
    const { split } = expectSameTop(m, drive, OPTIONS.exactTop!);
    const driveChunks = new Set(library.docs.filter((d) => d.connectorId === 'drive').flatMap((d) => d.chunkIds));
    expect(split.hits.every((h) => driveChunks.has(h.chunkId))).toBe(true);

    // Take the documents of the current top 3 out of the library: one
    // removed, one marked deleted, one being reprocessed. None of their
    // chunks may come back.
    const before = keywordSearchWithPlan(db, m, undefined, OPTIONS).hits;
    const [gone, softDeleted, processing] = [...new Set(before.map((h) => h.documentId))];
    db.prepare(`DELETE FROM imported_documents WHERE id = ?`).run(gone);
    db.prepare(`UPDATE imported_documents SET sync_status = 'deleted' WHERE id = ?`).run(softDeleted);
    db.prepare(`UPDATE imported_documents SET sync_status = 'processing' WHERE id = ?`).run(processing);
    const { split: after } = expectSameTop(m, undefined, OPTIONS.exactTop!);
    const hidden = new Set([gone, softDeleted, processing]);
    expect(after.hits.some((h) => hidden.has(h.documentId))).toBe(false);
    expect(after.hits.length).toBeGreaterThanOrEqual(OPTIONS.exactTop!);
  });

  it('stays safe with hostile input', () => {
    const hostile = [
      'zircon" OR alpha) NOT (beta',
      'title:zircon AND alpha NEAR(gamma, 2) *',
      'zircon ^alpha "unbalanced',
      "zircon'; DROP TABLE chunks_fts; -- alpha",
      'zircon alpha '.repeat(40),
    ];
    for (const q of hostile) {
      const m = keywordMatch(db, q);
      expect(m).not.toBeNull();
      expect(() => keywordSearchWithPlan(db, m!, undefined, OPTIONS)).not.toThrow();
    }
    // A doubled quote inside a term is a literal quote, not the end of the string.
    expect(() => keywordSearchWithPlan(db, '"zir""con" OR "alpha" OR "beta"', undefined, OPTIONS)).not.toThrow();
    expect(db.prepare(`SELECT count(*) FROM chunks_fts`).pluck().get()).toBeGreaterThan(2000);
  });

  it('finds what a narrow filter allows however deep in the ranking it sits', () => {
    // Two long documents in a source of their own: their chunks mention "alpha" once among many words,
    // so a thousand chunks of the library rank above them.
    library.addConnector('archive');
    const filler = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const archived = [0, 1].flatMap(
      (d) =>
        library.addDocument({ connectorId: 'archive', title: `archive ${d}`, chunks: [`${filler} alpha`, filler] })
          .chunkIds,
    );
    const m = match('alpha ');
    const scores = exactScores(m);
    const better = [...scores.values()].filter((score) => score > scores.get(archived[0]!)!).length;
    expect(better).toBeGreaterThan(4 * OPTIONS.pool!);
    const want = archived.filter((id) => scores.has(id)).sort((a, b) => scores.get(b)! - scores.get(a)!);
    for (const plan of ['auto', 'exact'] as const) {
      const got = keywordSearchWithPlan(db, m, { connectorIds: ['archive'] }, { ...OPTIONS, plan });
      expect(got.hits.map((h) => h.chunkId)).toEqual(want);
    }
  });
});
