import type { Embedder } from '../../src/main/core/embeddings/types';
import type { BenchModelChoice } from './args';

export interface BenchEmbedder {
  embedder: Embedder;
  /** What it is, for the report. */
  description: string;
  /**
   * Whether retrieval scores from it may be printed: false for the stand-ins,
   * whose random weights make them meaningless (the tiny model's bag-of-words
   * scores are printed with that caveat).
   */
  qualityFigures: boolean;
  close(): Promise<void>;
}

/**
 * The embedder a benchmark runs:
 * - TROVE_BENCH_MODEL_DIR (+ optional TROVE_BENCH_MODEL_ID, default the
 *   default local model) points at an already-downloaded real model;
 * - otherwise the generated model `choice` (bench/lib/bench-model.ts),
 *   downloaded from a local fake hub and loaded as the app loads it.
 * Returns null (and says why) when it cannot be loaded.
 */
export async function loadBenchEmbedder(
  choice: BenchModelChoice,
  log: (line: string) => void = console.log,
): Promise<BenchEmbedder | null> {
  try {
    const realDir = process.env.TROVE_BENCH_MODEL_DIR;
    if (realDir) {
      const { createLocalEmbedder } = await import('../../src/main/core/embeddings/local-embedder');
      const manifests = await import('../../src/main/core/embeddings/manifests');
      const manifest = manifests.getModelManifest(process.env.TROVE_BENCH_MODEL_ID ?? manifests.DEFAULT_LOCAL_MODEL_ID);
      const embedder = await createLocalEmbedder({ modelDir: realDir, manifest });
      return {
        embedder,
        description: `${manifest.displayName} from ${realDir}`,
        qualityFigures: true,
        close: async () => embedder.close?.(),
      };
    }
    const { openBenchEmbedder } = await import('./bench-model');
    const opened = await openBenchEmbedder(choice);
    return {
      embedder: opened.embedder,
      description: opened.model.description,
      qualityFigures: choice === 'tiny',
      close: opened.close,
    };
  } catch (error) {
    log(
      `semantic and hybrid modes skipped: no embedder could be loaded (${error instanceof Error ? error.message : String(error)})`,
    );
    return null;
  }
}
