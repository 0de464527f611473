import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AutoTokenizer, BertTokenizer, env } from '@huggingface/transformers';
import { generatedPieces, sharedVocabularyDir, wordPieceTokenizer } from '../../scripts/standin/vocabulary';
import type { ModelManifest } from '../../src/main/core/embeddings/manifests';

export interface TokenProfile {
  /** Real tokens of all texts: after truncation, special tokens included, no padding. */
  tokens: number;
  shortest: number;
  longest: number;
  truncated: number;
  /** Tokens per text with other vocabularies on the same texts, one line each. */
  vocabularies: string[];
}

const BERT_CONFIG = { do_lower_case: true, model_max_length: 1_000_000, cls_token: '[CLS]', sep_token: '[SEP]' };

/**
 * How many tokens the texts are for the model in `modelDir` (its tokenizer,
 * its document prefix, its limit), and, to show the stand-in's vocabulary is
 * realistic, tokens per text with the generated WordPiece vocabulary and with
 * the BERT uncased one when it is available. Tokenising only: no model runs
 * in this process.
 */
export async function tokenProfile(modelDir: string, manifest: ModelManifest, texts: string[]): Promise<TokenProfile> {
  env.allowRemoteModels = false;
  env.localModelPath = path.dirname(modelDir) + path.sep;
  const tokenizer = await AutoTokenizer.from_pretrained(path.basename(modelDir));
  const inputs = texts.map((t) => manifest.documentPrefix + t);
  const full = inputs.map((t) => tokenizer.encode(t).length);
  const counts = full.map((n) => Math.min(n, manifest.maxTokens));
  const perText = (tokenize: (text: string) => number): string =>
    (inputs.reduce((s, t) => s + tokenize(t), 0) / texts.length).toFixed(1);

  const vocabularies = [
    `tokens per text before truncation: ${perText((t) => tokenizer.encode(t).length)} with the model's own tokenizer`,
  ];
  const generated = new BertTokenizer(wordPieceTokenizer(generatedPieces(), 1_000_000), BERT_CONFIG);
  vocabularies.push(`${perText((t) => generated.encode(t).length)} with the stand-in's generated WordPiece vocabulary`);
  const shared = path.join(sharedVocabularyDir(), 'tokenizer.json');
  if (existsSync(shared)) {
    const bert = new BertTokenizer(JSON.parse(await readFile(shared, 'utf8')), BERT_CONFIG);
    vocabularies.push(
      `${perText((t) => bert.encode(t).length)} with the BERT uncased vocabulary (${path.dirname(shared)})`,
    );
  }
  return {
    tokens: counts.reduce((a, b) => a + b, 0),
    shortest: Math.min(...counts),
    longest: Math.max(...counts),
    truncated: full.filter((n) => n > manifest.maxTokens).length,
    vocabularies,
  };
}
