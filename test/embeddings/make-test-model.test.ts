import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crudeStem, makeTestModel } from '../../scripts/make-test-model';
import { TINY_TEST_MODEL } from '../../src/main/core/embeddings/manifests';

describe('tiny test model generator', () => {
  const dirs: string[] = [];
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trove-make-model-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes the files the manifest lists, byte-identical on every run, and different for another seed', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    const info = await makeTestModel(a, { dimensions: 16 });
    await makeTestModel(b, { dimensions: 16 });
    await makeTestModel(c, { dimensions: 16, seed: 7 });
    expect(info.files).toEqual(TINY_TEST_MODEL.files);
    for (const file of info.files) {
      expect((await readFile(path.join(a, file))).equals(await readFile(path.join(b, file)))).toBe(true);
    }
    const onnx = 'onnx/model.onnx';
    expect((await readFile(path.join(a, onnx))).equals(await readFile(path.join(c, onnx)))).toBe(false);
  });

  it('describes a BERT model with a WordPiece vocabulary that grows with extra words', async () => {
    const dir = await tempDir();
    const info = await makeTestModel(dir, { dimensions: 8, extraWords: ['zyxwvut'] });
    const config = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 8, vocab_size: info.vocabSize });
    const tokenizer = JSON.parse(await readFile(path.join(dir, 'tokenizer.json'), 'utf8')) as {
      model: { type: string; vocab: Record<string, number> };
    };
    expect(tokenizer.model.type).toBe('WordPiece');
    expect(tokenizer.model.vocab['[PAD]']).toBe(0);
    expect(tokenizer.model.vocab['zyxwvut']).toBeTypeOf('number');
    expect(tokenizer.model.vocab['computing']).toBeTypeOf('number');
    expect(Object.keys(tokenizer.model.vocab)).toHaveLength(info.vocabSize);
  });

  it('groups word families under one crude stem', () => {
    expect(new Set(['compute', 'computer', 'computing', 'computers'].map(crudeStem)).size).toBe(1);
    expect(crudeStem('heat')).not.toBe(crudeStem('heal'));
  });
});
