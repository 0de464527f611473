import type { Embedder } from '../../src/main/core/embeddings/types';

export interface BenchEmbedder {
  embedder: Embedder;
  /** What it is, for the report. */
  description: string;
}

/**
 * The embedder the benchmarks can use without any download:
 * - TROVE_BENCH_MODEL_DIR (+ optional TROVE_BENCH_MODEL_ID, default the
 *   default local model) points at an already-downloaded real model;
 * - otherwise the tiny generated test model (scripts/make-test-model.ts),
 *   which exercises the real loading path but knows only a small vocabulary.
 * Returns null (and says why) when neither can be loaded.
 */
export async function loadBenchEmbedder(log: (line: string) => void = console.log): Promise<BenchEmbedder | null> {
  try {
    const { createLocalEmbedder } = await import('../../src/main/core/embeddings/local-embedder');
    const manifests = await import('../../src/main/core/embeddings/manifests');
    const realDir = process.env.TROVE_BENCH_MODEL_DIR;
    if (realDir) {
      const manifest = manifests.getModelManifest(process.env.TROVE_BENCH_MODEL_ID ?? manifests.DEFAULT_LOCAL_MODEL_ID);
      const embedder = await createLocalEmbedder({ modelDir: realDir, manifest, threads: 2 });
      return { embedder, description: `${manifest.displayName} from ${realDir}` };
    }
    const { ensureTestModel } = await import('../../scripts/make-test-model');
    const dir = await ensureTestModel();
    const manifest = manifests.TINY_TEST_MODEL;
    const embedder = await createLocalEmbedder({ modelDir: dir, manifest, threads: 2 });
    return {
      embedder,
      description: `the tiny generated test model (${manifest.id}, ${manifest.dimensions} dims, small vocabulary: not a real retrieval model)`,
    };
  } catch (error) {
    log(
      `semantic and hybrid modes skipped: no embedder could be loaded (${error instanceof Error ? error.message : String(error)})`,
    );
    return null;
  }
}
