import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReferenceRequest {
  /** A verified model folder (ModelManager.verifiedModelDir). */
  modelDir: string;
  dtype: 'fp32' | 'q8';
  pooling: 'mean' | 'cls';
  /** Longest input in tokens, special tokens included. */
  maxTokens: number;
  /**
   * Texts (prefixes already applied) as Trove's embedder receives them: each
   * call is split into runs the way Trove's worker splits one request
   * (lengthBatches over the token counts, at most `batchSize` per run), and
   * each run is one pipeline call, padded to its longest text.
   */
  calls: Array<{ texts: string[]; batchSize: number }>;
}

export interface ReferenceReply {
  calls: Array<{
    /** Unit vectors, one per text, in order. */
    vectors: number[][];
    /** Tokens per text before truncation, special tokens included. */
    tokens: number[];
    /** The runs: indices into the texts, and `pipeline` when the feature-extraction pipeline ran them. */
    runs: Array<{ rows: number[]; path: string }>;
    /** For texts past the limit: the pipeline's own vector, whose truncation drops the closing [SEP]; null for others. */
    droppedSep: Array<number[] | null>;
  }>;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference-embedder.child.ts');

/**
 * Embeds the request's texts with the transformers.js feature-extraction
 * pipeline in a child process (reference-embedder.child.ts), for comparing
 * Trove's embedder against what other indexers compute. Runs are formed as
 * Trove forms them because an int8 model's vectors depend slightly on the
 * batch (DynamicQuantizeLinear's range covers the whole batch, and float
 * rounding that differs with the padding can flip an int8 rounding).
 */
export function referenceEmbeddings(request: ReferenceRequest): Promise<ReferenceReply> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdin.end(JSON.stringify(request));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the reference embedder exited with ${code}: ${err}`));
      resolve(JSON.parse(out) as ReferenceReply);
    });
  });
}
