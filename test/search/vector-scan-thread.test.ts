import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/core/logger';
import type { SearchService } from '../../src/main/core/search/search.service';
import type { SearchRequest } from '../../src/main/core/search/types';
import { VectorScanThread, type ThreadScan } from '../../src/main/core/search/vector-scan-thread';
import { EmbeddingSpacesRepo } from '../../src/main/core/store/embedding-spaces.repo';
import { VectorsRepo } from '../../src/main/core/store/vectors.repo';
import type { MessagePort } from 'node:worker_threads';
import { SEMANTIC_FAILED_NOTICE } from '../../src/main/core/search/search.service';
import {
  createLibrary,
  HASHING_SPACE,
  HashingEmbedder,
  normalize,
  searchServiceFor,
  seededRandom,
  type Library,
} from './library';

/**
 * A hybrid search's first pass by meaning runs on a thread of its own
 * (search/vector-scan-thread.ts) while the keyword search runs on the main
 * thread: what a person finds must be exactly what the one-thread search
 * finds, whatever the library does between the two.
 */
const WORDS = (
  'river harbour lantern copper orchard meadow glacier violin tundra saffron marble falcon quartz ' +
  'lagoon cedar ember prairie canyon sonnet pepper velvet thunder walnut comet basalt willow'
).split(' ');

function page(random: () => number, length: number): string {
  return Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
}

const QUERIES: SearchRequest[] = [
  { query: 'copper lantern', mode: 'hybrid' },
  { query: 'glacier over the tundra', mode: 'hybrid' },
  { query: 'violin sonnet velvet', mode: 'hybrid', limit: 5 },
  { query: 'falcon', mode: 'hybrid', filters: { mimeTypes: ['text/markdown'] } },
  { query: 'cedar willow walnut', mode: 'hybrid', limit: 20 },
  { query: 'marble quartz basalt', mode: 'semantic' },
];

/** What a person sees of a response: documents, order, scores, snippets. */
function shown(response: Awaited<ReturnType<SearchService['search']>>) {
  return response.groups.map((g) => ({
    id: g.document.id,
    score: g.score,
    snippets: g.chunks.map((c) => c.snippet),
  }));
}

describe('hybrid search with its first pass by meaning on a thread', () => {
  let folder: string;
  let lib: Library;
  let thread: VectorScanThread;
  /** Passes the thread answered. */
  let passes = 0;

  /** A service whose thread passes go through `around` (the moment between the two snapshots). */
  function serviceWith(around: (scan: Promise<ThreadScan>) => Promise<ThreadScan> = (scan) => scan) {
    return searchServiceFor(lib, {
      vectorScan: {
        tryScan: (...args) => {
          const scan = thread.tryScan(...args);
          if (!scan) return undefined;
          return around(scan.then((found) => (passes++, found)));
        },
      },
    }).service;
  }

  /** A service with `embedder` whose thread passes are counted. */
  function serviceWithEmbedder(embedder: HashingEmbedder) {
    return searchServiceFor(lib, {
      embedder,
      vectorScan: { tryScan: (...args) => thread.tryScan(...args)?.then((found) => (passes++, found)) },
    }).service;
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'trove-vector-scan-'));
    lib = createLibrary(join(folder, 'trove.db'));
    lib.addConnector('notes');
    const random = seededRandom(7);
    for (let i = 0; i < 120; i++) {
      lib.addDocument({
        connectorId: 'notes',
        title: `${page(random, 2)} ${i}`,
        mimeType: i % 3 === 0 ? 'text/markdown' : 'text/plain',
        chunks: [page(random, 40), page(random, 40)],
      });
    }
    thread = new VectorScanThread(join(folder, 'trove.db'), silentLogger);
    expect(await thread.start()).toBe(true);
  });

  afterAll(async () => {
    await thread.close();
    lib.db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('finds what the one-thread search finds, filters and page sizes included', async () => {
    const alone = searchServiceFor(lib).service;
    const beside = serviceWith();
    const before = passes;
    for (const request of QUERIES) {
      const expected = shown(await alone.search(request));
      expect(expected.length).toBeGreaterThan(0);
      expect(shown(await beside.search(request))).toEqual(expected);
    }
    expect(passes - before).toBe(QUERIES.length);
  });

  it('answers searches made at once, the thread taking one pass and the main connection the others', async () => {
    const alone = searchServiceFor(lib).service;
    const expected = await Promise.all(QUERIES.map(async (request) => shown(await alone.search(request))));
    const before = passes;
    const beside = serviceWith();
    expect(await Promise.all(QUERIES.map(async (request) => shown(await beside.search(request))))).toEqual(expected);
    expect(passes - before).toBeGreaterThan(0);
    expect(passes - before).toBeLessThan(QUERIES.length);
  });

  it('searches by keyword again when the library changed between the two snapshots', async () => {
    const request: SearchRequest = { query: 'saffron comet', mode: 'hybrid' };
    const alone = searchServiceFor(lib).service;
    // A sync commits a document about the query while the pass runs.
    const beside = serviceWith((scan) =>
      scan.then((found) => {
        lib.addDocument({ connectorId: 'notes', title: 'saffron comet', chunks: ['saffron comet saffron comet'] });
        return found;
      }),
    );
    const response = await beside.search(request);
    expect(response.groups[0]?.document.title).toBe('saffron comet');
    expect(shown(response)).toEqual(shown(await alone.search(request)));
  });

  it('leaves out a document removed after the thread found it', async () => {
    const request: SearchRequest = { query: 'basalt marble quartz', mode: 'hybrid' };
    const alone = searchServiceFor(lib).service;
    const first = (await alone.search(request)).groups[0]!.document.id;
    const beside = serviceWith((scan) =>
      scan.then((found) => {
        // As a sync marks a file gone from its folder.
        lib.db.prepare(`UPDATE imported_documents SET sync_status = 'deleted' WHERE id = ?`).run(first);
        return found;
      }),
    );
    const response = await beside.search(request);
    expect(response.groups.map((g) => g.document.id)).not.toContain(first);
    expect(shown(response)).toEqual(shown(await alone.search(request)));
  });

  it('scans a copy of the vectors once the library is still, and the table again once it changed', async () => {
    const alone = searchServiceFor(lib).service;
    const beside = serviceWith();
    const expected = await Promise.all(QUERIES.map(async (request) => shown(await alone.search(request))));
    // The thread copies the vectors once the library has not changed for a second.
    for (let waited = 0; !thread.lastPassFromCopy && waited < 15_000; waited += 250) {
      await beside.search(QUERIES[0]!);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(thread.lastPassFromCopy).toBe(true);
    for (const [i, request] of QUERIES.entries()) expect(shown(await beside.search(request))).toEqual(expected[i]);
    expect(thread.lastPassFromCopy).toBe(true);

    // A sync adds a document and its vector: the copy no longer stands for the library.
    const { embedder, space } = searchServiceFor(lib);
    const text = 'ember prairie canyon ember prairie canyon';
    const { chunkIds } = lib.addDocument({ connectorId: 'notes', title: 'prairie notes', chunks: [text] });
    new VectorsRepo(lib.db).upsert(space, [
      { chunkId: chunkIds[0]!, vector: embedder.embed(`prairie notes\n${text}`) },
    ]);
    const request: SearchRequest = { query: 'ember prairie canyon', mode: 'hybrid' };
    const response = await beside.search(request);
    expect(thread.lastPassFromCopy).toBe(false);
    expect(response.groups[0]?.document.title).toBe('prairie notes');
    expect(shown(response)).toEqual(shown(await alone.search(request)));
  });

  it('scans as soon as the embedder posts the vector to the thread, before the search hears of it', async () => {
    /** Posts the vector to the thread at once, as the model's thread does; tells the search once the pass answered. */
    class PostingFirst extends HashingEmbedder {
      passAnswered: Promise<unknown> = Promise.resolve();
      answeredFirst = 0;
      async embedQueryTo(text: string, copyTo: MessagePort): Promise<Float32Array> {
        copyTo.postMessage(this.embed(text));
        copyTo.close();
        const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 1_000));
        if ((await Promise.race([this.passAnswered, timeout])) !== 'timeout') this.answeredFirst++;
        return this.embedQuery(text);
      }
    }
    const embedder = new PostingFirst(HASHING_SPACE);
    const alone = searchServiceFor(lib).service;
    const expected = await Promise.all(QUERIES.map(async (request) => shown(await alone.search(request))));
    const beside = searchServiceFor(lib, {
      embedder,
      vectorScan: {
        tryScan: (...args) => {
          const scan = thread.tryScan(...args);
          embedder.passAnswered = scan ?? new Promise(() => undefined);
          return scan;
        },
      },
    }).service;
    for (const [i, request] of QUERIES.entries()) expect(shown(await beside.search(request))).toEqual(expected[i]);
    expect(embedder.answeredFirst).toBe(QUERIES.length);
  });

  it('searches by keyword when the query cannot be embedded, and the thread takes the next pass', async () => {
    /** Fails as the model's thread does: the port closed without a vector. */
    class Failing extends HashingEmbedder {
      fail = true;
      async embedQueryTo(text: string, copyTo: MessagePort): Promise<Float32Array> {
        if (!this.fail) return super.embedQuery(text);
        copyTo.close();
        throw new Error('the model stopped');
      }
    }
    const embedder = new Failing(HASHING_SPACE);
    const service = serviceWithEmbedder(embedder);
    const failed = await service.search({ query: 'copper lantern', mode: 'hybrid' });
    expect(failed.mode).toBe('keyword');
    expect(failed.notice).toBe(SEMANTIC_FAILED_NOTICE);
    expect(failed.groups.length).toBeGreaterThan(0);
    embedder.fail = false;
    const before = passes;
    const again = await service.search({ query: 'copper lantern', mode: 'hybrid' });
    expect(again.mode).toBe('hybrid');
    expect(passes - before).toBe(1);
  });

  it('scans on the main connection when the pass fails or read other tables', async () => {
    const alone = searchServiceFor(lib).service;
    const failing = serviceWith((scan) => scan.then(() => Promise.reject(new Error('The search thread ended.'))));
    const otherIndex = serviceWith((scan) =>
      scan.then(() => ({ found: { candidates: [{ chunkId: 1, distance: 0 }], complete: true }, index: '[]' })),
    );
    const before = passes;
    for (const request of QUERIES) {
      const expected = shown(await alone.search(request));
      expect(shown(await failing.search(request))).toEqual(expected);
      expect(shown(await otherIndex.search(request))).toEqual(expected);
    }
    expect(passes - before).toBe(2 * QUERIES.length);
  });

  it('does not wait past its timeout for a pass, and takes no other until that one is answered', async () => {
    // A space whose exact scan takes ~10 ms or more: 20,000 vectors of 384 dimensions.
    const big = new EmbeddingSpacesRepo(lib.db, lib.clock).ensure({
      provider: 'local',
      model: 'test/large',
      dimensions: 384,
    });
    const random = seededRandom(11);
    const vectors = Array.from({ length: 20_000 }, (_, i) => ({
      chunkId: i + 1,
      vector: normalize(Float32Array.from({ length: 384 }, () => random() - 0.5)),
    }));
    new VectorsRepo(lib.db).upsert(big, vectors);
    const slow = new VectorScanThread(join(folder, 'trove.db'), silentLogger, 1);
    try {
      expect(await slow.start()).toBe(true);
      const pass = slow.tryScan(big.id, vectors[0]!.vector, 10, { pool: 10 });
      expect(pass).toBeDefined();
      expect(slow.tryScan(big.id, vectors[1]!.vector, 10, { pool: 10 })).toBeUndefined();
      await expect(pass).rejects.toThrow(/took over 1 ms/);
      // The thread is still on it: a search asking now scans on its own connection.
      expect(slow.tryScan(big.id, vectors[1]!.vector, 10, { pool: 10 })).toBeUndefined();
      // Once it answers, it takes passes again.
      let next: Promise<ThreadScan> | undefined;
      for (let waited = 0; !next && waited < 5_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        next = slow.tryScan(big.id, vectors[1]!.vector, 10, { pool: 10 });
      }
      expect(next).toBeDefined();
      await next?.catch(() => undefined);
    } finally {
      await slow.close();
    }
  });

  it('fails a search whose keyword side fails, and a pass failing after it is no unhandled rejection', async () => {
    const broken = createLibrary(join(folder, 'broken.db'));
    const brokenThread = new VectorScanThread(join(folder, 'broken.db'), silentLogger);
    try {
      broken.addConnector('notes');
      broken.addDocument({ connectorId: 'notes', title: 'copper', chunks: ['copper lantern'] });
      /** Set when the pass has failed; the test attaches nothing to the pass itself. */
      let passFailed = false;
      const service = searchServiceFor(broken, {
        vectorScan: {
          tryScan: (...args) =>
            // The pass fails a moment after the keyword search has thrown.
            brokenThread.tryScan(...args)?.then(
              () =>
                new Promise<ThreadScan>((_, reject) =>
                  setTimeout(() => {
                    passFailed = true;
                    reject(new Error('ended'));
                  }, 20),
                ),
            ),
        },
      }).service;
      expect(await brokenThread.start()).toBe(true);
      // The keyword index's ranking unreadable (its document sizes gone): the keyword search throws.
      broken.db.unsafeMode(true);
      broken.db.exec('DROP TABLE chunks_fts_docsize');
      broken.db.unsafeMode(false);
      await expect(service.search(QUERIES[0]!)).rejects.toThrow();
      for (let waited = 0; !passFailed && waited < 2_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(passFailed).toBe(true);
      // A turn for an unhandled rejection to be reported (vitest fails the run on one).
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await brokenThread.close();
      broken.db.close();
    }
  });

  it('gives up quietly on a library it cannot open, and search goes on without it', async () => {
    const missing = new VectorScanThread(join(folder, 'missing', 'trove.db'), silentLogger);
    try {
      expect(await missing.start()).toBe(false);
      const service = searchServiceFor(lib, { vectorScan: missing }).service;
      const expected = shown(await searchServiceFor(lib).service.search(QUERIES[0]!));
      expect(shown(await service.search(QUERIES[0]!))).toEqual(expected);
      expect(missing.tryScan(1, new Float32Array(64), 10, { pool: 10 })).toBeUndefined();
    } finally {
      await missing.close();
    }
  });
});
