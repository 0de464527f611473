/**
 * Writes a BERT encoder as an ONNX graph in the shape and operator set of the
 * int8 exports transformers.js loads (`onnx/model_quantized.onnx` of
 * Snowflake arctic-embed-xs and bge-small-en-v1.5): opset 17, inputs
 * `input_ids`, `attention_mask`, `token_type_ids` (int64), output
 * `last_hidden_state` [batch, seq, hidden].
 *
 * The nodes follow what the PyTorch exporter plus onnxruntime's dynamic
 * quantisation produce, so onnxruntime applies the same graph fusions at load
 * (MatMulInteger -> DynamicQuantizeMatMul, the Erf pattern -> Gelu, ...) and
 * the compute cost per token matches the real model:
 * - embeddings: int8 tables read by Gather then DequantizeLinear (word,
 *   position from a sliced position-id buffer, token type), summed, then
 *   LayerNormalization;
 * - every weight MatMul as DynamicQuantizeLinear (uint8 activations) ->
 *   MatMulInteger (x int8 weights, zero point 0) -> Cast to float -> Mul by
 *   the product of the two scales -> Add bias; Q, K and V share one
 *   quantised input, as the quantiser emits it;
 * - attention: Reshape to [batch, seq, heads, head] and Transpose, MatMul
 *   Q.K^T, Div by sqrt(head), Add the mask ((1 - mask) * float32 min, from
 *   attention_mask), Softmax, MatMul by V, Transpose and Reshape back;
 * - GELU as x * 0.5 * (1 + erf(x / sqrt 2)), post-layer-norm residuals.
 *
 * The weights are seeded random numbers, not a trained model: see
 * make-standin-model.ts for what that means and how their scales were chosen.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { seededRandom } from '../../src/main/core/seeded-random';
import { encodeBertModel, onnx } from '../lib/bert-files';

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
}

/**
 * Standard deviations of the random weights, as multiples of 1/sqrt(fan-in)
 * (1 keeps a unit-variance input at unit variance).
 */
export interface WeightGains {
  /** Word embeddings (rows have this standard deviation). */
  word: number;
  /** Position and token-type embeddings. */
  position: number;
  /** Query and key projections: larger makes attention peakier (less uniform averaging). */
  queryKey: number;
  value: number;
  /** Attention output projection: how much the mixed context adds to the residual stream. */
  attentionOutput: number;
  ffnIn: number;
  ffnOut: number;
  /** Standard deviation of biases and LayerNorm shifts, and of LayerNorm scales around 1. */
  bias: number;
  /**
   * Every input of a quantised MatMul has one dimension fixed at +pin and one
   * at -pin on every token (why: the file comment of make-standin-model.ts).
   */
  pin: number;
}

type Attribute = OnnxTypes.IAttributeProto;

const int = (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i });
const ints = (name: string, values: number[]): Attribute => ({ name, type: AttributeType.INTS, ints: values });
const float = (name: string, f: number): Attribute => ({ name, type: AttributeType.FLOAT, f });

const bytesOf = (array: Float32Array | Int8Array | BigInt64Array): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** Nodes and initializers of one graph, with unique names for intermediate values. */
class GraphWriter {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private counter = 0;
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Adds a node; returns its output names (fresh ones unless given). */
  op(opType: string, inputs: string[], attributes: Attribute[] = [], outputs: number | string[] = 1): string[] {
    const n = ++this.counter;
    const names =
      typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${opType}_${n}_${i}`) : outputs;
    this.nodes.push({ name: `${opType}_${n}`, opType, input: inputs, output: names, attribute: attributes });
    return names;
  }

  /** One-output node. */
  op1(opType: string, inputs: string[], attributes: Attribute[] = []): string {
    return this.op(opType, inputs, attributes)[0]!;
  }

  tensor(name: string, dataType: number, dims: number[], raw: Uint8Array): string {
    this.initializers.push({ name, dataType, dims, rawData: raw });
    return name;
  }

  floats(name: string, dims: number[], values: Float32Array): string {
    return this.tensor(name, DataType.FLOAT, dims, bytesOf(values));
  }

  scalar(name: string, value: number): string {
    return this.floats(name, [], Float32Array.of(value));
  }

  int64s(name: string, values: number[]): string {
    return this.tensor(name, DataType.INT64, [values.length], bytesOf(BigInt64Array.from(values.map(BigInt))));
  }

  /** Seeded normal floats: `mean` plus `std` times a standard normal (Box-Muller). */
  normal(count: number, std: number, mean = 0): Float32Array {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const u = this.next() || 1e-12;
      out[i] = mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    }
    return out;
  }

  /**
   * A seeded int8 weight tensor whose dequantised values have standard
   * deviation `std`, and its per-tensor scale. Values are uniform over
   * [-127, 127] (standard deviation 127/sqrt(3) steps), so every weight
   * uses the full int8 range, as quantised weights do. The `zero` rows and
   * columns of a matrix are all zero (inputs it ignores, outputs that ignore
   * the input).
   */
  int8Weights(
    name: string,
    dims: number[],
    std: number,
    zero: { rows?: readonly number[]; columns?: readonly number[] } = {},
  ): { weights: string; scale: string } {
    const count = dims.reduce((a, b) => a * b, 1);
    const columns = dims[dims.length - 1]!;
    const values = new Int8Array(count);
    for (let i = 0; i < count; i++) values[i] = Math.floor(this.next() * 255) - 127;
    for (const row of zero.rows ?? []) values.fill(0, row * columns, (row + 1) * columns);
    for (const column of zero.columns ?? []) for (let i = column; i < count; i += columns) values[i] = 0;
    const scale = std / (127 / Math.sqrt(3));
    return {
      weights: this.tensor(name, DataType.INT8, dims, bytesOf(values)),
      scale: this.scalar(`${name}_scale`, scale),
    };
  }
}

const INT8_ZERO = 'int8_zero_point';

/** Output columns fixed at a constant on every token: weights zero, bias the constant. */
type Pinned = ReadonlyArray<{ column: number; value: number }>;

/** The quantised linear layer: DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scales) -> Add(bias). */
class QuantisedLinear {
  constructor(
    private readonly g: GraphWriter,
    private readonly gains: WeightGains,
  ) {}

  /** Quantises an activation once; several layers may consume it (as Q, K and V do). */
  quantise(x: string): { q: string; scale: string; zeroPoint: string } {
    const [q, scale, zeroPoint] = this.g.op('DynamicQuantizeLinear', [x], [], 3) as [string, string, string];
    return { q, scale, zeroPoint };
  }

  apply(
    input: ReturnType<QuantisedLinear['quantise']>,
    name: string,
    [fanIn, fanOut]: [number, number],
    gain: number,
    pinned: Pinned = [],
  ): string {
    const { g } = this;
    // Every quantised input has its pinned pair in its last two dimensions; they only fix the
    // quantisation range, so the weights ignore them (zero rows) and texts stay distinguishable.
    const w = g.int8Weights(`${name}.weight_quantized`, [fanIn, fanOut], gain / Math.sqrt(fanIn), {
      rows: [fanIn - 2, fanIn - 1],
      columns: pinned.map((p) => p.column),
    });
    const product = g.op1('MatMulInteger', [input.q, w.weights, input.zeroPoint, INT8_ZERO]);
    const asFloat = g.op1('Cast', [product], [int('to', DataType.FLOAT)]);
    const scale = g.op1('Mul', [input.scale, w.scale]);
    const scaled = g.op1('Mul', [asFloat, scale]);
    const biasValues = g.normal(fanOut, this.gains.bias);
    for (const p of pinned) biasValues[p.column] = p.value;
    return g.op1('Add', [g.floats(`${name}.bias`, [fanOut], biasValues), scaled]);
  }
}

/** The two dimensions pinned at +pin and -pin (the last two of the vector). */
function pinnedPair(size: number, pin: number): Pinned {
  return [
    { column: size - 2, value: pin },
    { column: size - 1, value: -pin },
  ];
}

/** LayerNormalization; `pinned` dimensions get scale 0 and their value as shift. */
function layerNorm(
  g: GraphWriter,
  x: string,
  name: string,
  hidden: number,
  gains: WeightGains,
  pinned: Pinned,
): string {
  const gamma = g.normal(hidden, gains.bias, 1);
  const beta = g.normal(hidden, gains.bias);
  for (const p of pinned) {
    gamma[p.column] = 0;
    beta[p.column] = p.value;
  }
  return g.op1(
    'LayerNormalization',
    [x, g.floats(`${name}.weight`, [hidden], gamma), g.floats(`${name}.bias`, [hidden], beta)],
    [int('axis', -1), float('epsilon', 1e-12)],
  );
}

/** An int8 embedding table read with Gather and dequantised, as the quantiser rewrites a float Gather. */
function embedding(g: GraphWriter, name: string, rows: number, hidden: number, std: number, ids: string): string {
  const table = g.int8Weights(`${name}.weight_quantized`, [rows, hidden], std);
  const gathered = g.op1('Gather', [table.weights, ids], [int('axis', 0)]);
  return g.op1('DequantizeLinear', [gathered, table.scale, INT8_ZERO]);
}

function embeddings(g: GraphWriter, shape: BertShape, gains: WeightGains): string {
  const { hidden } = shape;
  const words = embedding(g, 'embeddings.word_embeddings', shape.vocabSize, hidden, gains.word, 'input_ids');
  // position_ids = the constant buffer [[0, 1, ..., max-1]] sliced to the sequence length.
  const positionIds = g.tensor(
    'embeddings.position_ids',
    DataType.INT64,
    [1, shape.maxPositions],
    bytesOf(BigInt64Array.from({ length: shape.maxPositions }, (_, i) => BigInt(i))),
  );
  const inputShape = g.op1('Shape', ['input_ids']);
  const seqLength = g.op1('Gather', [inputShape, g.int64s('index_one', [1])], [int('axis', 0)]);
  const sliced = g.op1('Slice', [positionIds, g.int64s('slice_start', [0]), seqLength, g.int64s('axis_one', [1])]);
  const positions = embedding(g, 'embeddings.position_embeddings', shape.maxPositions, hidden, gains.position, sliced);
  const types = embedding(
    g,
    'embeddings.token_type_embeddings',
    shape.typeVocabSize,
    hidden,
    gains.position,
    'token_type_ids',
  );
  const sum = g.op1('Add', [g.op1('Add', [words, types]), positions]);
  return layerNorm(g, sum, 'embeddings.LayerNorm', hidden, gains, pinnedPair(hidden, gains.pin));
}

/** (1 - mask) * float32 min, shaped [batch, 1, 1, seq]: 0 on real tokens, a huge negative on padding. */
function additiveMask(g: GraphWriter): string {
  const unsqueezed = g.op1('Unsqueeze', ['attention_mask', g.int64s('mask_axes', [1, 2])]);
  const asFloat = g.op1('Cast', [unsqueezed], [int('to', DataType.FLOAT)]);
  const inverted = g.op1('Sub', [g.scalar('one', 1), asFloat]);
  return g.op1('Mul', [inverted, g.scalar('float_min', -3.4028234663852886e38)]);
}

/** GELU as the exporter writes it: x * (1 + erf(x / sqrt 2)) * 0.5. */
function gelu(g: GraphWriter, x: string, name: string): string {
  const erf = g.op1('Erf', [g.op1('Div', [x, g.scalar(`${name}.sqrt2`, Math.SQRT2)])]);
  const onePlus = g.op1('Add', [erf, g.scalar(`${name}.one`, 1)]);
  return g.op1('Mul', [g.op1('Mul', [x, onePlus]), g.scalar(`${name}.half`, 0.5)]);
}

/** Where GELU is lowest (about -0.17): pinning a column there fixes the minimum of the FFN activations. */
const GELU_ARGMIN = -0.7517916;

function encoderLayer(
  g: GraphWriter,
  linear: QuantisedLinear,
  x: string,
  mask: string,
  l: number,
  shape: BertShape,
  gains: WeightGains,
): string {
  const { hidden, heads, intermediate } = shape;
  const headSize = hidden / heads;
  const name = `encoder.layer.${l}`;
  const pinned = pinnedPair(hidden, gains.pin);
  const quantisedX = linear.quantise(x);
  const split = g.int64s(`${name}.split_heads_shape`, [0, 0, heads, headSize]);
  const heads4d = (projection: string, perm: number[]): string =>
    g.op1('Transpose', [g.op1('Reshape', [projection, split])], [ints('perm', perm)]);
  const project = (part: string, gain: number, pins: Pinned = []) =>
    linear.apply(quantisedX, `${name}.attention.self.${part}`, [hidden, hidden], gain, pins);

  const q = heads4d(project('query', gains.queryKey), [0, 2, 1, 3]); // [b, h, s, d]
  const k = heads4d(project('key', gains.queryKey), [0, 2, 3, 1]); // [b, h, d, s]
  // Attention weights sum to 1, so pinned value dimensions stay pinned in the context.
  const v = heads4d(project('value', gains.value, pinned), [0, 2, 1, 3]); // [b, h, s, d]
  const scores = g.op1('Div', [g.op1('MatMul', [q, k]), g.scalar(`${name}.scale`, Math.sqrt(headSize))]);
  const probabilities = g.op1('Softmax', [g.op1('Add', [scores, mask])], [int('axis', -1)]);
  const context = g.op1('Transpose', [g.op1('MatMul', [probabilities, v])], [ints('perm', [0, 2, 1, 3])]);
  const merged = g.op1('Reshape', [context, g.int64s(`${name}.merge_heads_shape`, [0, 0, hidden])]);
  const attended = linear.apply(
    linear.quantise(merged),
    `${name}.attention.output.dense`,
    [hidden, hidden],
    gains.attentionOutput,
  );
  const afterAttention = layerNorm(
    g,
    g.op1('Add', [attended, x]),
    `${name}.attention.output.LayerNorm`,
    hidden,
    gains,
    pinned,
  );

  const expanded = linear.apply(
    linear.quantise(afterAttention),
    `${name}.intermediate.dense`,
    [hidden, intermediate],
    gains.ffnIn,
    [
      { column: intermediate - 2, value: gains.pin },
      { column: intermediate - 1, value: GELU_ARGMIN },
    ],
  );
  const contracted = linear.apply(
    linear.quantise(gelu(g, expanded, name)),
    `${name}.output.dense`,
    [intermediate, hidden],
    gains.ffnOut,
  );
  // The last layer's output is the model's output, not a quantised input: its pinned pair is 0
  // (instead of carrying the previous layer's constants into every vector).
  const last = l === shape.layers - 1;
  return layerNorm(
    g,
    g.op1('Add', [contracted, afterAttention]),
    `${name}.output.LayerNorm`,
    hidden,
    gains,
    last ? pinnedPair(hidden, 0) : pinned,
  );
}

/** The encoded ONNX model: deterministic bytes for the same shape, gains and seed. */
export function bertModel(shape: BertShape, gains: WeightGains, seed: number): Uint8Array {
  if (shape.hidden % shape.heads !== 0)
    throw new Error(`hidden size ${shape.hidden} is not a multiple of ${shape.heads} heads`);
  const g = new GraphWriter(seed);
  g.tensor(INT8_ZERO, DataType.INT8, [], Uint8Array.of(0));
  const linear = new QuantisedLinear(g, gains);
  let hidden = embeddings(g, shape, gains);
  const mask = additiveMask(g);
  for (let l = 0; l < shape.layers; l++) hidden = encoderLayer(g, linear, hidden, mask, l, shape, gains);
  g.op('Identity', [hidden], [], ['last_hidden_state']);

  return encodeBertModel({
    producer: 'trove-make-standin-model',
    opset: 17,
    name: 'standin_bert',
    nodes: g.nodes,
    initializers: g.initializers,
    hidden: shape.hidden,
  });
}
