/**
 * The three ways bench:embed embeds the same texts with the same model
 * files. Each runs in its own child process (bench/embed.bench.ts --child=...):
 * onnxruntime-node 1.21 must not run sessions on two threads of one process
 * and cannot be loaded again in a new thread (see the embeddings README), and
 * a fresh process gives each contender the same start.
 */
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { getModelManifest } from '../../src/main/core/embeddings/manifests';
import { ModelManager } from '../../src/main/core/embeddings/model-manager';
import { withPoolingOutput, POOL_WEIGHTS_INPUT, POOLED_OUTPUT } from '../../src/main/core/embeddings/pooled-model';

export interface EmbedJob {
  dataDir: string;
  modelId: string;
  /** Texts as given to Trove's embedDocuments (the document prefix not yet applied). */
  texts: string[];
  /** Texts per pipeline call (what an indexer using the pipeline would pass). */
  pipelineBatch: number;
}

export interface ContenderResult {
  name: string;
  /** How it ran, for the report. */
  setup: string;
  seconds: number;
  /** CPU time of the whole process (all threads) over the same span: less sensitive to other load. */
  cpuSeconds: number;
  /** Unit vectors, concatenated, base64 of a Float32Array (to compare contenders). */
  vectors: string;
  /** For the ceiling: every configuration tried. */
  tried?: Array<{ setup: string; threads: number; seconds: number; cpuSeconds: number }>;
}

const WARMUP_TEXTS = 8;

/** Wall and process CPU time of `work`. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { value, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

const toBase64 = (vectors: Float32Array): string =>
  Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength).toString('base64');

async function verifiedDir(job: EmbedJob): Promise<string> {
  return new ModelManager({ dataDir: job.dataDir }).verifiedModelDir(job.modelId);
}

/** Trove's embedder as the app opens it: ModelManager.openEmbedder with its defaults, through the worker. */
export async function runTrove(job: EmbedJob): Promise<ContenderResult> {
  const models = new ModelManager({ dataDir: job.dataDir });
  const embedder = await models.openEmbedder(job.modelId);
  const manifest = getModelManifest(job.modelId);
  try {
    await embedder.embedDocuments(job.texts.slice(0, WARMUP_TEXTS));
    const { value: vectors, seconds, cpuSeconds } = await timed(() => embedder.embedDocuments(job.texts));
    const flat = new Float32Array(vectors.length * embedder.dimensions);
    vectors.forEach((v, i) => flat.set(v, i * embedder.dimensions));
    return {
      name: 'trove',
      setup: `createLocalEmbedder via ModelManager.openEmbedder, the app's defaults (1 intra-op thread, ${manifest.dtype === 'q8' ? 'one text per run for an int8 model' : 'up to 32 texts per run, by length'}), one embedDocuments call`,
      seconds,
      cpuSeconds,
      vectors: toBase64(flat),
    };
  } finally {
    await embedder.close?.();
  }
}

/** The transformers.js feature-extraction pipeline, as desktop indexers call it: batches in input order. */
export async function runPipeline(job: EmbedJob): Promise<ContenderResult> {
  const manifest = getModelManifest(job.modelId);
  const modelDir = await verifiedDir(job);
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  const extractor = await pipeline('feature-extraction', path.basename(modelDir), { dtype: manifest.dtype });
  const texts = job.texts.map((t) => manifest.documentPrefix + t);
  const options = { pooling: manifest.pooling, normalize: true } as const;
  await extractor(texts.slice(0, WARMUP_TEXTS), options);
  const out = new Float32Array(texts.length * manifest.dimensions);
  const { seconds, cpuSeconds } = await timed(async () => {
    for (let start = 0; start < texts.length; start += job.pipelineBatch) {
      const result = await extractor(texts.slice(start, start + job.pipelineBatch), options);
      out.set(result.data as Float32Array, start * manifest.dimensions);
    }
  });
  await extractor.dispose();
  return {
    name: 'pipeline',
    setup: `transformers.js pipeline('feature-extraction', dtype ${manifest.dtype}), ${job.pipelineBatch} texts per call in input order, ${manifest.pooling} pooling + normalize, default session options`,
    seconds,
    cpuSeconds,
    vectors: toBase64(out),
  };
}

/**
 * The machine's ceiling: bare onnxruntime-node on the same model file, texts
 * tokenised beforehand (not timed) and sorted by length, pooling in the graph
 * (pooled-model.ts: only [batch, dims] leaves the runtime), searched over
 * thread counts and batch shapes; the fastest configuration is the result.
 */
export async function runCeiling(job: EmbedJob): Promise<ContenderResult> {
  const manifest = getModelManifest(job.modelId);
  const modelDir = await verifiedDir(job);
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  const { InferenceSession, Tensor } = await import('onnxruntime-node');
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir));
  // Truncated as Trove does (the closing [SEP] kept).
  const encoded = job.texts.map((t) => {
    const ids = tokenizer.encode(manifest.documentPrefix + t);
    return ids.length <= manifest.maxTokens ? ids : [...ids.slice(0, manifest.maxTokens - 1), ids[ids.length - 1]!];
  });
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.length - encoded[b]!.length);
  const bytes = withPoolingOutput(
    await readFile(path.join(modelDir, 'onnx', manifest.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx')),
  );
  const dims = manifest.dimensions;

  /** Consecutive runs of the sorted texts: at most `texts` per run, or at most `tokens` padded tokens per run. */
  const runsOf = (limit: { texts?: number; tokens?: number }): number[][] => {
    const runs: number[][] = [];
    let run: number[] = [];
    for (const i of order) {
      const longest = Math.max(encoded[i]!.length, ...run.map((j) => encoded[j]!.length));
      const full =
        (limit.texts !== undefined && run.length >= limit.texts) ||
        (limit.tokens !== undefined && run.length > 0 && (run.length + 1) * longest > limit.tokens);
      if (full) {
        runs.push(run);
        run = [];
      }
      run.push(i);
    }
    if (run.length > 0) runs.push(run);
    return runs;
  };

  const embedRuns = async (
    session: import('onnxruntime-node').InferenceSession,
    runs: number[][],
    out: Float32Array,
  ) => {
    for (const rows of runs) {
      const seq = Math.max(...rows.map((i) => encoded[i]!.length));
      const ids = new BigInt64Array(rows.length * seq);
      const mask = new BigInt64Array(rows.length * seq);
      const weights = new Float32Array(rows.length * seq);
      rows.forEach((i, b) => {
        const row = encoded[i]!;
        for (let t = 0; t < row.length; t++) {
          ids[b * seq + t] = BigInt(row[t]!);
          mask[b * seq + t] = 1n;
        }
        if (manifest.pooling === 'cls') weights[b * seq] = 1;
        else weights.fill(1 / row.length, b * seq, b * seq + row.length);
      });
      const shape = [rows.length, seq];
      const feeds: Record<string, import('onnxruntime-node').Tensor> = {
        input_ids: new Tensor('int64', ids, shape),
        attention_mask: new Tensor('int64', mask, shape),
        token_type_ids: new Tensor('int64', new BigInt64Array(rows.length * seq), shape),
        [POOL_WEIGHTS_INPUT]: new Tensor('float32', weights, [rows.length, 1, seq]),
      };
      const result = await session.run(Object.fromEntries(session.inputNames.map((n) => [n, feeds[n]!])));
      const pooled = result[POOLED_OUTPUT]!.data as Float32Array;
      rows.forEach((i, b) => {
        const v = pooled.subarray(b * dims, (b + 1) * dims);
        const norm = Math.hypot(...v) || 1;
        for (let d = 0; d < dims; d++) out[i * dims + d] = v[d]! / norm;
      });
    }
  };

  const shapes: Array<{ label: string; limit: { texts?: number; tokens?: number } }> = [
    ...[1, 8, 16, 32, 64].map((texts) => ({ label: `${texts} texts per run`, limit: { texts } })),
    ...[2048, 8192].map((tokens) => ({ label: `runs of up to ${tokens} padded tokens`, limit: { tokens } })),
  ];
  const tried: NonNullable<ContenderResult['tried']> = [];
  let best: { setup: string; seconds: number; cpuSeconds: number; vectors: Float32Array } | null = null;
  for (const threads of [...new Set([1, os.availableParallelism()])]) {
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
    });
    for (const shape of shapes) {
      const runs = runsOf(shape.limit);
      const out = new Float32Array(job.texts.length * dims);
      await embedRuns(session, runs.slice(0, 2), out);
      const { seconds, cpuSeconds } = await timed(() => embedRuns(session, runs, out));
      const setup = `${threads} intra-op thread${threads > 1 ? 's' : ''}, ${shape.label}`;
      tried.push({ setup, threads, seconds, cpuSeconds });
      if (!best || seconds < best.seconds) best = { setup, seconds, cpuSeconds, vectors: out };
    }
    await session.release();
  }
  return {
    name: 'ceiling',
    setup: `bare onnxruntime-node, pre-tokenised, sorted by length, pooling in the graph; best of ${tried.length}: ${best!.setup}`,
    seconds: best!.seconds,
    cpuSeconds: best!.cpuSeconds,
    vectors: toBase64(best!.vectors),
    tried,
  };
}
