import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { BertTokenizer } from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureStandinModel, makeStandinModel, STANDIN_MODELS } from '../../scripts/make-standin-model';
import {
  BERT_VOCAB_SIZE,
  generatedPieces,
  sharedVocabularyDir,
  wordPieceTokenizer,
  type TokenizerJson,
} from '../../scripts/standin/vocabulary';

const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto');

async function decodeModel(dir: string) {
  return onnx.ModelProto.decode(await readFile(path.join(dir, 'onnx', 'model_quantized.onnx')));
}

function opCounts(model: import('onnx-proto').onnx.ModelProto): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of model.graph!.node!) counts.set(node.opType!, (counts.get(node.opType!) ?? 0) + 1);
  return counts;
}

describe('stand-in model generator', () => {
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trove-make-standin-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("writes the files the real model's manifest lists, byte-identical for the same options", async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    const info = await makeStandinModel(a, { layers: 2 });
    await makeStandinModel(b, { layers: 2 });
    await makeStandinModel(c, { layers: 2, seed: 7 });
    expect(info.files).toEqual(STANDIN_MODELS.standin.manifest.files);
    for (const file of info.files) {
      expect((await readFile(path.join(a, file))).equals(await readFile(path.join(b, file)))).toBe(true);
    }
    const weights = 'onnx/model_quantized.onnx';
    expect((await readFile(path.join(a, weights))).equals(await readFile(path.join(c, weights)))).toBe(false);
  });

  it("has the default model's shape, operators and size: a 6-layer int8 BERT, hidden 384, 12 heads, FFN 1536", async () => {
    const { dir } = await ensureStandinModel({ layers: 6 });
    const model = await decodeModel(dir);
    expect(model.opsetImport!.map((o) => [o.domain ?? '', Number(o.version)])).toEqual([['', 17]]);
    const graph = model.graph!;
    expect(graph.input!.map((i) => [i.name, i.type!.tensorType!.elemType])).toEqual([
      ['input_ids', onnx.TensorProto.DataType.INT64],
      ['attention_mask', onnx.TensorProto.DataType.INT64],
      ['token_type_ids', onnx.TensorProto.DataType.INT64],
    ]);
    const output = graph.output![0]!;
    expect(output.name).toBe('last_hidden_state');
    expect(output.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
      'batch_size',
      'sequence_length',
      384,
    ]);

    // Per layer: Q, K, V, attention output and the two FFN MatMuls quantised; Q/K/V share one quantised input.
    const ops = opCounts(model);
    expect(ops.get('MatMulInteger')).toBe(6 * 6);
    expect(ops.get('DynamicQuantizeLinear')).toBe(6 * 4);
    expect(ops.get('MatMul')).toBe(6 * 2); // Q.K^T and attention x V: activations only
    expect(ops.get('Softmax')).toBe(6);
    expect(ops.get('Erf')).toBe(6);
    expect(ops.get('LayerNormalization')).toBe(1 + 6 * 2);
    expect(ops.get('Gather')).toBeGreaterThanOrEqual(3); // word, position, token type embeddings

    const byName = new Map(graph.initializer!.map((t) => [t.name!, t]));
    const dims = (name: string) => byName.get(name)!.dims!.map(Number);
    expect(dims('embeddings.word_embeddings.weight_quantized')).toEqual([BERT_VOCAB_SIZE, 384]);
    expect(dims('embeddings.position_embeddings.weight_quantized')).toEqual([512, 384]);
    expect(dims('encoder.layer.0.intermediate.dense.weight_quantized')).toEqual([384, 1536]);
    expect(dims('encoder.layer.5.output.dense.weight_quantized')).toEqual([1536, 384]);
    const weights = graph.initializer!.filter((t) => t.name!.endsWith('.weight_quantized'));
    expect(weights.every((t) => t.dataType === onnx.TensorProto.DataType.INT8)).toBe(true);

    // About the size of the real int8 file (23 MB).
    const { size } = await stat(path.join(dir, 'onnx', 'model_quantized.onnx'));
    expect(size / 1e6).toBeGreaterThan(21);
    expect(size / 1e6).toBeLessThan(25);
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'bert', num_hidden_layers: 6, hidden_size: 384, vocab_size: 30522 });
  });

  it("has 12 layers in bge-small-en-v1.5's shape for the 12-layer variant", async () => {
    const { dir } = await ensureStandinModel({ layers: STANDIN_MODELS['standin-12'].layers });
    const ops = opCounts(await decodeModel(dir));
    expect(ops.get('MatMulInteger')).toBe(12 * 6);
    expect(ops.get('Softmax')).toBe(12);
  });

  it('caches generated models in the OS temp folder, keyed by the options', async () => {
    const first = await ensureStandinModel({ layers: 6 });
    const again = await ensureStandinModel({ layers: 6 });
    const twelve = await ensureStandinModel({ layers: 12 });
    expect(again.dir).toBe(first.dir);
    expect(twelve.dir).not.toBe(first.dir);
    expect(path.dirname(first.dir)).toBe(os.tmpdir());
    expect((await readdir(first.dir)).sort()).toEqual(
      ['.generator-version', 'config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json'].sort(),
    );
  });
});

describe('generated WordPiece vocabulary (used when the BERT uncased vocabulary is not available)', () => {
  const pieces = generatedPieces();

  it('has the BERT uncased layout: 30,522 distinct pieces, the same special-token ids', () => {
    expect(pieces).toHaveLength(BERT_VOCAB_SIZE);
    expect(new Set(pieces).size).toBe(BERT_VOCAB_SIZE);
    expect([0, 100, 101, 102, 103].map((id) => pieces[id])).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  });

  // Real English: the repository's own documentation, cut into paragraph-sized texts.
  const englishTexts = async (): Promise<string[]> => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const files = ['README.md', ...(await readdir(path.join(root, 'docs'))).map((f) => path.join('docs', f))];
    const texts = await Promise.all(files.map((f) => readFile(path.join(root, f), 'utf8')));
    return texts.flatMap((t) => t.split(/\n\n+/)).filter((t) => t.length > 200);
  };
  const bertConfig = { do_lower_case: true, model_max_length: 1_000_000, cls_token: '[CLS]', sep_token: '[SEP]' };
  const tokensPerText = (tokenizer: BertTokenizer, texts: string[]): number =>
    texts.reduce((sum, text) => sum + tokenizer.encode(text).length, 0) / texts.length;

  it.skipIf(!existsSync(path.join(sharedVocabularyDir(), 'tokenizer.json')))(
    'splits English into about as many tokens as the BERT uncased vocabulary (within 10%)',
    async () => {
      const texts = await englishTexts();
      expect(texts.length).toBeGreaterThan(20);
      const real = JSON.parse(
        await readFile(path.join(sharedVocabularyDir(), 'tokenizer.json'), 'utf8'),
      ) as TokenizerJson;
      const generated = tokensPerText(new BertTokenizer(wordPieceTokenizer(pieces, 1_000_000), bertConfig), texts);
      const reference = tokensPerText(new BertTokenizer(real, bertConfig), texts);
      expect(generated / reference).toBeGreaterThan(0.9);
      expect(generated / reference).toBeLessThan(1.1);
    },
  );
});
