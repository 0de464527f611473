/**
 * Moves pooling into the ONNX graph. An embedding model's output is one
 * vector per token, [batch, tokens, dims]; onnxruntime-node copies that whole
 * tensor into JavaScript on every run, and pooling then reads it again, while
 * only [batch, dims] is wanted. For the tiny test model that copy and pooling
 * were nine tenths of the embedding time, and they are real work for every
 * model. So before the session is created, the graph gets one more input, the
 * pooling weights [batch, 1, tokens], and its only output becomes
 *
 *   pooled = MatMul(weights, token_vectors)     -> [batch, 1, dims]
 *
 * Mean pooling passes 1/length for each real token (0 for padding), CLS
 * pooling passes 1 for the first token: the same graph serves both, and the
 * token vectors never leave the runtime. (Keeping the old outputs beside the
 * new one is not an option: onnxruntime-node 1.21 labels the outputs of a run
 * with a subset of fetches by the wrong names.)
 *
 * The rewrite works on the protobuf wire format directly: ModelProto and
 * GraphProto fields are copied byte for byte, except the graph's outputs,
 * which are replaced, and one node and one input are appended. No protobuf
 * library or ONNX schema is needed, and the weights (nearly all of the file)
 * are copied once, never decoded.
 */

/** Names the rewritten graph uses for its pooling input and its only output. */
export const POOL_WEIGHTS_INPUT = 'trove_pool_weights';
export const POOLED_OUTPUT = 'trove_pooled';

/** Graph outputs that hold per-token vectors, in the order they are preferred. */
const TOKEN_VECTOR_OUTPUTS = ['last_hidden_state', 'token_embeddings'];

// Field numbers from onnx.proto.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_ELEM_TYPE = 1;
const TENSOR_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const ELEM_FLOAT = 1;

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** One field of a protobuf message: its number, wire type and byte ranges. */
interface Field {
  number: number;
  wireType: number;
  /** The whole field, tag included. */
  start: number;
  end: number;
  /** The payload of a length-delimited field (empty range otherwise). */
  valueStart: number;
  valueEnd: number;
  /** The value of a varint field. */
  varint: number;
}

export class PooledModelError extends Error {}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: i + 1 };
  }
  throw new PooledModelError('the ONNX file is not a valid protobuf message (bad varint)');
}

function readFields(bytes: Uint8Array, start = 0, end = bytes.length): Field[] {
  const fields: Field[] = [];
  let at = start;
  while (at < end) {
    const tag = readVarint(bytes, at);
    const field: Field = {
      number: Math.floor(tag.value / 8),
      wireType: tag.value % 8,
      start: at,
      end: 0,
      valueStart: tag.next,
      valueEnd: tag.next,
      varint: 0,
    };
    switch (field.wireType) {
      case WIRE_VARINT: {
        const v = readVarint(bytes, tag.next);
        field.varint = v.value;
        field.end = v.next;
        break;
      }
      case WIRE_I64:
        field.end = tag.next + 8;
        break;
      case WIRE_I32:
        field.end = tag.next + 4;
        break;
      case WIRE_LEN: {
        const length = readVarint(bytes, tag.next);
        field.valueStart = length.next;
        field.valueEnd = length.next + length.value;
        field.end = field.valueEnd;
        break;
      }
      default:
        throw new PooledModelError(`the ONNX file is not a valid protobuf message (wire type ${field.wireType})`);
    }
    if (field.end > end) throw new PooledModelError('the ONNX file is truncated');
    fields.push(field);
    at = field.end;
  }
  return fields;
}

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/** A length-delimited field: tag, length, payload. */
function lengthField(number: number, payload: Uint8Array): Uint8Array {
  const head = [...varint(number * 8 + WIRE_LEN), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function varintField(number: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(number * 8 + WIRE_VARINT), ...varint(value)]);
}

const utf8 = new TextEncoder();
const stringField = (number: number, value: string): Uint8Array => lengthField(number, utf8.encode(value));

const concat = (parts: readonly Uint8Array[]): Uint8Array => Buffer.concat(parts);

/** A float tensor ValueInfoProto; `dims` are symbolic names or fixed sizes. */
function floatTensorInfo(name: string, dims: ReadonlyArray<string | number>): Uint8Array {
  const shape = concat(
    dims.map((d) =>
      lengthField(SHAPE_DIM, typeof d === 'number' ? varintField(DIM_VALUE, d) : stringField(DIM_PARAM, d)),
    ),
  );
  const tensor = concat([varintField(TENSOR_ELEM_TYPE, ELEM_FLOAT), lengthField(TENSOR_SHAPE, shape)]);
  return concat([stringField(VALUE_INFO_NAME, name), lengthField(VALUE_INFO_TYPE, lengthField(TYPE_TENSOR, tensor))]);
}

const decoder = new TextDecoder();

/** Name and element type of a graph output (ValueInfoProto). */
function describeOutput(bytes: Uint8Array, output: Field): { name: string; elemType: number | null } {
  let name = '';
  let elemType: number | null = null;
  for (const f of readFields(bytes, output.valueStart, output.valueEnd)) {
    if (f.number === VALUE_INFO_NAME && f.wireType === WIRE_LEN) {
      name = decoder.decode(bytes.subarray(f.valueStart, f.valueEnd));
    } else if (f.number === VALUE_INFO_TYPE && f.wireType === WIRE_LEN) {
      const tensor = readFields(bytes, f.valueStart, f.valueEnd).find((t) => t.number === TYPE_TENSOR);
      const elem =
        tensor && readFields(bytes, tensor.valueStart, tensor.valueEnd).find((e) => e.number === TENSOR_ELEM_TYPE);
      if (elem?.wireType === WIRE_VARINT) elemType = elem.varint;
    }
  }
  return { name, elemType };
}

/**
 * Returns the model with pooling in the graph (see the file comment). Throws
 * PooledModelError when the file is not an ONNX model with a float
 * per-token output (`last_hidden_state` or `token_embeddings`).
 */
export function withPoolingOutput(model: Uint8Array): Uint8Array {
  const modelFields = readFields(model);
  const graphs = modelFields.filter((f) => f.number === MODEL_GRAPH && f.wireType === WIRE_LEN);
  if (graphs.length !== 1) throw new PooledModelError('the ONNX file has no graph');
  const graph = graphs[0]!;
  const graphFields = readFields(model, graph.valueStart, graph.valueEnd);
  const outputs = graphFields
    .filter((f) => f.number === GRAPH_OUTPUT && f.wireType === WIRE_LEN)
    .map((f) => describeOutput(model, f));
  const tokenVectors = TOKEN_VECTOR_OUTPUTS.map((name) => outputs.find((o) => o.name === name)).find(Boolean);
  if (!tokenVectors) {
    throw new PooledModelError(
      `the model has no per-token output (looked for ${TOKEN_VECTOR_OUTPUTS.join(', ')}; it has ${outputs.map((o) => o.name).join(', ') || 'none'})`,
    );
  }
  if (tokenVectors.elemType !== ELEM_FLOAT) {
    throw new PooledModelError(
      `the model's ${tokenVectors.name} output is not float32 (ONNX type ${tokenVectors.elemType})`,
    );
  }

  const node = concat([
    stringField(NODE_INPUT, POOL_WEIGHTS_INPUT),
    stringField(NODE_INPUT, tokenVectors.name),
    stringField(NODE_OUTPUT, POOLED_OUTPUT),
    stringField(NODE_NAME, 'trove_pooling'),
    stringField(NODE_OP_TYPE, 'MatMul'),
  ]);
  const newGraph = concat([
    ...graphFields.filter((f) => f.number !== GRAPH_OUTPUT).map((f) => model.subarray(f.start, f.end)),
    lengthField(GRAPH_NODE, node),
    lengthField(GRAPH_INPUT, floatTensorInfo(POOL_WEIGHTS_INPUT, ['trove_batch', 1, 'trove_tokens'])),
    lengthField(GRAPH_OUTPUT, floatTensorInfo(POOLED_OUTPUT, ['trove_batch', 1, 'trove_dims'])),
  ]);
  return concat(
    modelFields.map((f) => (f === graph ? lengthField(MODEL_GRAPH, newGraph) : model.subarray(f.start, f.end))),
  );
}
