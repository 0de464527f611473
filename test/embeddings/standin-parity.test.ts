import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCTIC_EMBED_XS } from '../../src/main/core/embeddings/manifests';
import type { Embedder } from '../../src/main/core/embeddings/types';
import { referenceEmbeddings, type ReferenceReply } from '../helpers/reference-embedder';
import { openStandinEmbedder, type OpenedStandin } from '../helpers/test-core';

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
};

const paragraph =
  'Trove keeps every document in one SQLite file. A sync walks the folder, hashes each file, parses the ' +
  'changed ones in worker threads, splits them into chunks by heading and embeds the chunks in the background. ';

/** Chunk-like texts of mixed length: a few tokens, a few hundred, and two past the 512-token limit. */
const DOCUMENTS = [
  '',
  'Install',
  '## Install\n\nRun `npm install` and then `npm start`.',
  `# Guide > Sync\n\n${paragraph}`,
  `# Guide > Sync\n\n${paragraph}Deletions are found by comparing the listing with the database.`,
  `# Notes\n\n- ${paragraph.repeat(2)}\n- | key | value |\n| --- | --- |\n| batch | 32 |`,
  `# Reference\n\n${paragraph.repeat(6)}`,
  `# Long chapter\n\n${paragraph.repeat(14)}`,
  `# Longer chapter\n\n${paragraph.repeat(30)}\n\nThe end.`,
];
const QUERY = 'how does sync find deleted files';

describe("the stand-in model through Trove's embedder matches the transformers.js pipeline", () => {
  let standin: OpenedStandin;
  let embedder: Embedder;
  let reference: ReferenceReply;
  const manifest = ARCTIC_EMBED_XS;

  beforeAll(async () => {
    // The user's path: download from the hub under the real id, verify, load (pooled-graph rewrite).
    standin = await openStandinEmbedder('standin');
    embedder = standin.embedder;
    reference = await referenceEmbeddings({
      modelDir: standin.modelDir,
      dtype: manifest.dtype,
      pooling: manifest.pooling,
      maxTokens: manifest.maxTokens,
      calls: [
        // Trove runs an int8 model on one text at a time (its default for q8), so the reference
        // embeds each text alone; the prefixes come from the manifest, as Trove applies them.
        { texts: DOCUMENTS.map((t) => manifest.documentPrefix + t), batchSize: 1 },
        { texts: [manifest.queryPrefix + QUERY], batchSize: 1 },
      ],
    });
  }, 120_000);

  afterAll(() => standin?.close());

  it('gives every document, short, long or truncated, in one mixed call, the reference vector (cosine >= 0.9999)', async () => {
    const documents = reference.calls[0]!;
    // The call really mixes lengths, and two texts pass the limit.
    expect(documents.tokens.filter((n) => n > manifest.maxTokens)).toHaveLength(2);
    expect(new Set(documents.tokens).size).toBe(DOCUMENTS.length);

    const ours = await embedder.embedDocuments(DOCUMENTS);
    ours.forEach((vector, i) => expect(cosine(vector, documents.vectors[i]!)).toBeGreaterThanOrEqual(0.9999));
  });

  it('gives a text the same vector whatever else is embedded with it or at the same time', async () => {
    // An int8 export quantises a run's activations with one range for the whole run, so a text
    // run beside others could get another vector; Trove runs each text of an int8 model alone.
    const alone = await Promise.all(DOCUMENTS.map((text) => embedder.embedDocuments([text])));
    const [together, , reversed] = await Promise.all([
      embedder.embedDocuments(DOCUMENTS),
      embedder.embedQuery(QUERY),
      embedder.embedDocuments([...DOCUMENTS].reverse(), { priority: 1 }),
    ]);
    DOCUMENTS.forEach((_, i) => {
      expect(Array.from(together[i]!)).toEqual(Array.from(alone[i]![0]!));
      expect(Array.from(reversed[DOCUMENTS.length - 1 - i]!)).toEqual(Array.from(alone[i]![0]!));
    });
  });

  it('truncates as the model was trained (closing [SEP] kept), where the plain pipeline drops it', async () => {
    // transformers.js cuts at 512 tokens without keeping [SEP]; the reference above keeps it, as
    // the Python tokenizers do. One different token of 512 is enough to fail the 0.9999 bar.
    const documents = reference.calls[0]!;
    const ours = await embedder.embedDocuments(DOCUMENTS);
    const truncated = documents.droppedSep.flatMap((vector, i) => (vector ? [i] : []));
    expect(truncated).toHaveLength(2);
    for (const i of truncated) expect(cosine(ours[i]!, documents.droppedSep[i]!)).toBeLessThan(0.9999);
  });

  it('applies the query prefix as the pipeline input does', async () => {
    const ours = await embedder.embedQuery(QUERY);
    expect(cosine(ours, reference.calls[1]!.vectors[0]!)).toBeGreaterThanOrEqual(0.9999);
    // Without the prefix the vector is another one: the comparison would notice a missing prefix.
    const [unprefixed] = await embedder.embedDocuments([QUERY]);
    expect(cosine(unprefixed!, reference.calls[1]!.vectors[0]!)).toBeLessThan(0.99);
  });

  it('tells different texts apart, so the bar means something', () => {
    const vectors = reference.calls[0]!.vectors;
    // Closest pair: the two truncated chapters, whose first 500 tokens are the same.
    for (let a = 0; a < vectors.length; a++) {
      for (let b = a + 1; b < vectors.length; b++) expect(cosine(vectors[a]!, vectors[b]!)).toBeLessThan(0.9995);
    }
  });
});
