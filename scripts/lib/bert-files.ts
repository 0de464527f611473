/**
 * Pieces both model generators (make-test-model.ts, make-standin-model.ts)
 * write the same way: the BERT-style tokenizer files and the ONNX inputs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS; createRequire keeps its generated types.
export const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto');

/** A tokenizers-library tokenizer.json, as an object. */
export interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; [key: string]: unknown };
  truncation?: unknown;
  padding?: unknown;
  [key: string]: unknown;
}

export const SPECIAL_TOKENS = { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' } as const;

/** What BERT uncased tokenizers do to text first: clean, space out CJK, lower-case, strip accents. */
export const BERT_NORMALIZER = {
  type: 'BertNormalizer',
  clean_text: true,
  handle_chinese_chars: true,
  strip_accents: null,
  lowercase: true,
} as const;

/** Truncation at the model's limit, as the shipped tokenizer files have it. */
export function truncation(maxTokens: number): unknown {
  return { direction: 'Right', max_length: maxTokens, strategy: 'LongestFirst', stride: 0 };
}

/**
 * A BERT-style WordPiece tokenizer.json over `pieces` in id order
 * (BertPreTokenizer, `[CLS] A [SEP]`, `##` continuations), truncating at
 * `maxTokens`, no padding. `pieces` must hold the five special tokens.
 */
export function wordPieceTokenizer(
  pieces: readonly string[],
  maxTokens: number,
  normalizer: unknown = BERT_NORMALIZER,
): TokenizerJson {
  const vocab: Record<string, number> = {};
  pieces.forEach((piece, id) => (vocab[piece] = id));
  const idOf = (token: string): number => vocab[token]!;
  const { cls, sep } = SPECIAL_TOKENS;
  return {
    version: '1.0',
    truncation: truncation(maxTokens),
    padding: null,
    added_tokens: Object.values(SPECIAL_TOKENS).map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer,
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: sep, type_id: 1 } },
      ],
      special_tokens: Object.fromEntries([cls, sep].map((t) => [t, { id: t, ids: [idOf(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: SPECIAL_TOKENS.unk,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** tokenizer_config.json of a lower-casing BertTokenizer; `extra` keys are kept, then the limit is set. */
export function bertTokenizerConfig(maxTokens: number, extra: Record<string, unknown> | null = null): unknown {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    clean_up_tokenization_spaces: true,
    cls_token: SPECIAL_TOKENS.cls,
    sep_token: SPECIAL_TOKENS.sep,
    pad_token: SPECIAL_TOKENS.pad,
    unk_token: SPECIAL_TOKENS.unk,
    mask_token: SPECIAL_TOKENS.mask,
    ...extra,
    model_max_length: maxTokens,
  };
}

function int64Input(name: string): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.INT64,
        shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] },
      },
    },
  };
}

export interface BertGraph {
  /** ModelProto producer_name. */
  producer: string;
  opset: number;
  /** GraphProto name. */
  name: string;
  nodes: OnnxTypes.INodeProto[];
  initializers: OnnxTypes.ITensorProto[];
  /** Width of the per-token output. */
  hidden: number;
}

/**
 * The encoded ONNX model of a BERT export's interface: int64 `input_ids`,
 * `attention_mask`, `token_type_ids` [batch_size, sequence_length] in, float
 * `last_hidden_state` [batch_size, sequence_length, hidden] out.
 */
export function encodeBertModel(graph: BertGraph): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: graph.producer,
    opsetImport: [{ domain: '', version: graph.opset }],
    graph: {
      name: graph.name,
      initializer: graph.initializers,
      node: graph.nodes,
      input: [int64Input('input_ids'), int64Input('attention_mask'), int64Input('token_type_ids')],
      output: [
        {
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: onnx.TensorProto.DataType.FLOAT,
              shape: {
                dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: graph.hidden }],
              },
            },
          },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** True when the module at `moduleUrl` is the script node was started with (`node --import tsx <file>`). */
export function isEntryScript(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}
