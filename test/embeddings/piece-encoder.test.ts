import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeMarkdownCorpus } from '../../bench/lib/ingest-corpus';
import { ensureTestModel } from '../../scripts/make-test-model';
import {
  createTextEncoder,
  isWhitespaceLocal,
  type EncodingTokenizer,
  type TokenizerConfig,
} from '../../src/main/core/embeddings/piece-encoder';

const BERT: TokenizerConfig = {
  normalizer: { type: 'BertNormalizer' },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  model: { type: 'WordPiece' },
};

describe('piece encoder (tokenise each space-separated piece once)', () => {
  let tokenizer: EncodingTokenizer;
  let config: TokenizerConfig;

  beforeAll(async () => {
    const dir = await ensureTestModel();
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(dir) + path.sep;
    tokenizer = (await AutoTokenizer.from_pretrained(path.basename(dir))) as unknown as EncodingTokenizer;
    config = JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')) as TokenizerConfig;
  });

  it('gives exactly the full tokenizer ids on a Markdown corpus and hostile text', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'trove-pieces-'));
    try {
      writeMarkdownCorpus(dir, 40, 200_000);
      const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      const texts = files.map((f) => readFileSync(path.join(f.parentPath, f.name), 'utf8'));
      texts.push(
        'passage: Ünïcödé — “quotes”, ‘single’, naïve café; 中文 text; emoji 🚀🔥; math ∑x² ≤ 10⁶',
        'tabs\tand\r\nCRLF\u00a0nbsp\u2009thin\u200bzero-width\ufeffBOM\u0000NUL\u0007BEL',
        '[CLS][SEP] [UNK]x [MASK] ##suffix ####',
        'a'.repeat(300) + ' ' + 'word-'.repeat(80),
      );
      const encoder = createTextEncoder(tokenizer, config, { checkFirst: 0, checkEvery: 1_000_000 });
      expect(encoder.fast()).toBe(true);
      for (const text of texts) expect(encoder.encode(text)).toEqual(tokenizer.encode(text));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is used only for tokenizers whose steps all treat whitespace as a word boundary', () => {
    expect(isWhitespaceLocal(BERT)).toBe(true);
    expect(isWhitespaceLocal(config)).toBe(true); // the tiny model: Lowercase + a stopword Replace + BERT splitting
    expect(isWhitespaceLocal({ ...BERT, model: { type: 'BPE' } })).toBe(false);
    expect(isWhitespaceLocal({ ...BERT, pre_tokenizer: { type: 'Metaspace' } })).toBe(false);
    expect(isWhitespaceLocal({ ...BERT, pre_tokenizer: null })).toBe(false);
    const replace = (Regex: string): TokenizerConfig => ({
      ...BERT,
      normalizer: { type: 'Sequence', normalizers: [{ type: 'Replace', pattern: { Regex } }] },
    });
    expect(isWhitespaceLocal(replace('[^\\p{L}\\s]'))).toBe(true);
    expect(isWhitespaceLocal(replace('\\s+'))).toBe(false); // joins or splits across spaces
    expect(isWhitespaceLocal(replace('new york'))).toBe(false);
    expect(isWhitespaceLocal(replace('a.b'))).toBe(false);
  });

  it('falls back to the full tokenizer when the pieces disagree with it', () => {
    // Claims to be BERT but numbers words by their position in the whole text.
    const positional: EncodingTokenizer = {
      encode: (text, options) => {
        const words = text.split(/\s+/).filter(Boolean);
        const ids = words.map((_, i) => 1000 + i);
        return options?.add_special_tokens === false ? ids : [1, ...ids, 2];
      },
    };
    const encoder = createTextEncoder(positional, BERT);
    expect(encoder.fast()).toBe(false);
    expect(encoder.encode('one two three')).toEqual([1, 1000, 1001, 1002, 2]);

    // Agrees on the probes, disagrees on a real text later: switches back for good.
    let calls = 0;
    const drifting: EncodingTokenizer = {
      encode: (text, options) => {
        calls++;
        const ids = text
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => (w === 'drift' && text.includes(' ') ? 9 : w.length));
        return options?.add_special_tokens === false ? ids : [1, ...ids, 2];
      },
    };
    const checked = createTextEncoder(drifting, BERT, { checkFirst: 2, checkEvery: 1_000_000 });
    expect(checked.fast()).toBe(true);
    expect(checked.encode('some drift here')).toEqual([1, 4, 9, 4, 2]);
    expect(checked.fast()).toBe(false);
    expect(calls).toBeGreaterThan(0);
  });
});
