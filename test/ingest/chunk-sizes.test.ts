import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertTokenizer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { generatedPieces, sharedVocabularyDir, wordPieceTokenizer } from '../../scripts/standin/vocabulary';
import { DEFAULT_LOCAL_MODEL_ID, getModelManifest } from '../../src/main/core/embeddings/manifests';
import { classifyAndChunk, contextualText } from '../../src/main/core/ingest';
import { parseDelimited } from '../../src/main/core/ingest/parsers/delimited';
import { parseCode, parseMarkdown, parsePlain } from '../../src/main/core/ingest/parsers/text';
import type { ParsedDocument } from '../../src/main/core/ingest/types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BERT_CONFIG = { do_lower_case: true, model_max_length: 1_000_000, cls_token: '[CLS]', sep_token: '[SEP]' };
const { maxTokens } = getModelManifest(DEFAULT_LOCAL_MODEL_ID);

/**
 * WordPiece tokenizers with the default model's vocabulary size: BERT
 * uncased (the default model's own vocabulary) when it is beside the
 * checkout, and the stand-in's generated one, which splits identifiers into
 * more pieces (up to a tenth more tokens on code), so it gets that margin.
 */
function tokenizers(): Array<{ name: string; limit: number; count: (text: string) => number }> {
  const generated = new BertTokenizer(wordPieceTokenizer(generatedPieces(), 1_000_000), BERT_CONFIG);
  const out = [
    { name: 'generated', limit: Math.round(maxTokens * 1.1), count: (text: string) => generated.encode(text).length },
  ];
  const shared = path.join(sharedVocabularyDir(), 'tokenizer.json');
  if (existsSync(shared)) {
    const bert = new BertTokenizer(JSON.parse(readFileSync(shared, 'utf8')), BERT_CONFIG);
    out.push({ name: 'BERT uncased', limit: maxTokens, count: (text) => bert.encode(text).length });
  }
  return out;
}

/** The largest TypeScript files of this repository: real code, of the size people index. */
function largestSourceFiles(count: number): string[] {
  const dir = path.join(ROOT, 'src/main/core');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)
    .slice(0, count);
}

const csv = [
  'id,city,population,area_km2,founded',
  ...Array.from(
    { length: 400 },
    (_, i) => `${i},City number ${i},${i * 1037 + 17},${(i * 3.7).toFixed(1)},${1700 + i}`,
  ),
].join('\n');
const markdownTable = [
  '# Run settings',
  '| key | value | note |',
  '| --- | --- | --- |',
  ...Array.from({ length: 200 }, (_, i) => `| batch_${i} | ${i * 32} | rows per run ${i} |`),
].join('\n');

// Chinese and Japanese run at about a token a character: counted as characters, their chunks were twice the window.
const chineseSentences = [
  '我们在温室里种植番茄和黄瓜，每天早上六点浇水。',
  '夏天的时候要注意通风，避免植物因为潮湿而生病。',
  '去年秋天收获了三百公斤土豆，比前年多了一倍。',
  '新买的传感器可以记录温度和湿度，每十分钟上传一次数据。',
];
const chineseNotes = Array.from({ length: 40 }, (_, i) =>
  Array.from({ length: 3 + (i % 4) }, (_, j) => chineseSentences[(i + j) % chineseSentences.length]).join(''),
).join('\n\n');
const japaneseGuide = Array.from(
  { length: 12 },
  (_, i) =>
    `## 第${i + 1}章 温室の管理\n\n` +
    'トマトの苗は朝のうちに水をやり、午後は窓を開けて風を通します。'.repeat(4 + (i % 3)) +
    'センサーの記録は毎週まとめて確認し、異常があればすぐに対応します。'.repeat(3),
).join('\n\n');

// Korean: the uncased tokenizer takes each syllable apart into its letters, ~1.7 tokens a character.
const koreanNotes = Array.from(
  { length: 30 },
  (_, i) => `${i + 1}. 우리는 온실에서 토마토와 오이를 키우고 매일 아침 물을 줍니다. 여름에는 환기에 신경 써야 합니다.`,
).join(' ');

const chineseCsv = [
  '编号,城市,人口,面积,备注',
  ...Array.from(
    { length: 120 },
    (_, i) => `${i},第${i}号城市,${i * 1037 + 17},${(i * 3.7).toFixed(1)},靠近河流的老城区`,
  ),
].join('\n');

describe('chunk sizes fit the embedding model (every chunk within its 512-token window)', () => {
  const documents: Array<{ name: string; parsed: ParsedDocument }> = [
    ...largestSourceFiles(12).map((file) => ({
      name: path.basename(file),
      parsed: parseCode(readFileSync(file, 'utf8'), 'typescript'),
    })),
    { name: 'cities.csv', parsed: parseDelimited(csv, ',') },
    { name: 'settings.md', parsed: parseMarkdown(markdownTable) },
    { name: '温室笔记.txt', parsed: parsePlain(chineseNotes) },
    { name: 'guide-ja.md', parsed: parseMarkdown(japaneseGuide) },
    { name: 'notes-ko.txt', parsed: parsePlain(koreanNotes) },
    { name: '城市.csv', parsed: parseDelimited(chineseCsv, ',') },
  ];

  it.each(tokenizers())(
    'with the $name vocabulary (at most $limit tokens), code, tables, Chinese, Japanese and Korean included',
    ({ count, limit }) => {
      let chunks = 0;
      for (const { name, parsed } of documents) {
        for (const chunk of classifyAndChunk({ parsed, hints: { fileName: name } }).chunks) {
          chunks++;
          const tokens = count(contextualText(parsed.title ?? name, chunk));
          // Past the window the model never sees the rest of the chunk: search by meaning would miss it.
          expect({ name, tokens }).toEqual({ name, tokens: Math.min(tokens, limit) });
        }
      }
      expect(chunks).toBeGreaterThan(50);
    },
  );

  it('cuts a table in Chinese into row groups that each stay one chunk, naming the columns', () => {
    const parsed = parseDelimited(chineseCsv, ',');
    const chunks = classifyAndChunk({ parsed, hints: { fileName: '城市.csv' } }).chunks;
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.text.startsWith('| 编号 | 城市 | 人口 | 面积 | 备注 |')).toBe(true);
  });
});
