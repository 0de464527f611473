/**
 * Dot products of one query with many vectors in WebAssembly's 128-bit SIMD:
 * four lanes a step and four steps a loop, ~1 ms for 11,604 vectors of 384
 * dimensions where sqlite-vec's scalar scan takes ~10 ms (bench:responsiveness).
 * The module is 346 bytes, written out below instruction by instruction
 * from this text (a new dependency only to assemble it would be heavier than it):
 *
 *   (func (export "dots") (param $vectors $count $stride $query $out i32)
 *     for i in 0..count:                      ;; one vector of `stride` floats
 *       a0..a3 = 0                            ;; four f32x4 sums
 *       for each 16 floats of the vector:     ;; stride is a multiple of 16
 *         a0 += v[0..4] * q[0..4]; ... a3 += v[12..16] * q[12..16]
 *       out[i] = sum of the lanes of a0 + a1 + a2 + a3)
 *
 * Memory is imported, so its owner sizes it once for the vectors it holds.
 */

/** The part of WebAssembly's JavaScript API used here: its types come with the DOM library, which the core does not load. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
/** Missing where V8 runs without a compiler (`--jitless`). */
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Floats a vector's stride is a multiple of: one loop step. */
export const STRIDE_FLOATS = 16;

export interface DotKernel {
  memory: WasmMemory;
  /** `out[i] = vectors[i] · query` for `count` vectors of `stride` floats; every argument a byte offset but the counts. */
  dots(vectors: number, count: number, stride: number, query: number, out: number): void;
}

/** A kernel over a new memory of at least `bytes`; undefined where WebAssembly SIMD is missing. */
export function createDotKernel(bytes: number): DotKernel | undefined {
  const module = dotModule();
  if (!module || !wasm) return undefined;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65_536)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  return { memory, dots: instance.exports.dots as DotKernel['dots'] };
}

let compiled: object | null | undefined;

function dotModule(): object | undefined {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled ?? undefined;
}

// Locals: the five parameters, then these.
const VECTORS = 0;
const COUNT = 1;
const STRIDE = 2;
const QUERY = 3;
const OUT = 4;
const I = 5;
const END = 6;
const Q = 7;
const SUMS = [8, 9, 10, 11];
const TOTAL = 12;

const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY_BLOCK = 0x40;

const op = {
  block: [0x02, EMPTY_BLOCK],
  loop: [0x03, EMPTY_BLOCK],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  i32: (value: number) => [0x41, ...sleb(value)],
  i32Add: [0x6a],
  i32Shl: [0x74],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  f32Add: [0x92],
  /** f32.store, 4-byte aligned. */
  f32Store: [0x38, 2, 0],
  /** v128.load, 16-byte aligned hint, at `offset`. */
  v128Load: (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
  f32x4Lane: (lane: number) => [0xfd, 0x1f, lane],
};

function dotsBody(): number[] {
  const step = SUMS.flatMap((sum, n) => [
    ...op.get(sum),
    ...op.get(VECTORS),
    ...op.v128Load(16 * n),
    ...op.get(Q),
    ...op.v128Load(16 * n),
    ...op.f32x4Mul,
    ...op.f32x4Add,
    ...op.set(sum),
  ]);
  const lane = (n: number) => [...op.get(TOTAL), ...op.f32x4Lane(n)];
  return [
    ...[2, 3, I32, 5, V128], // local groups: 3 x i32 (I, END, Q), 5 x v128 (SUMS, TOTAL)
    ...op.block,
    ...op.loop,
    ...[...op.get(I), ...op.get(COUNT), ...op.i32GeU, ...op.brIf(1)],
    ...SUMS.flatMap((sum) => [...op.v128Zero, ...op.set(sum)]),
    ...[...op.get(VECTORS), ...op.get(STRIDE), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.set(END)],
    ...[...op.get(QUERY), ...op.set(Q)],
    ...op.loop,
    ...step,
    ...[...op.get(VECTORS), ...op.i32(64), ...op.i32Add, ...op.set(VECTORS)],
    ...[...op.get(Q), ...op.i32(64), ...op.i32Add, ...op.set(Q)],
    ...[...op.get(VECTORS), ...op.get(END), ...op.i32LtU, ...op.brIf(0)],
    ...op.end,
    ...[...op.get(SUMS[0]!), ...op.get(SUMS[1]!), ...op.f32x4Add],
    ...[...op.get(SUMS[2]!), ...op.get(SUMS[3]!), ...op.f32x4Add, ...op.f32x4Add, ...op.set(TOTAL)],
    ...op.get(OUT),
    ...[...lane(0), ...lane(1), ...op.f32Add, ...lane(2), ...lane(3), ...op.f32Add, ...op.f32Add],
    ...op.f32Store,
    ...[...op.get(OUT), ...op.i32(4), ...op.i32Add, ...op.set(OUT)],
    ...[...op.get(I), ...op.i32(1), ...op.i32Add, ...op.set(I)],
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
}

function moduleBytes(): Uint8Array {
  const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const body = dotsBody();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type 0: five i32 in, nothing out
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]), // memory imported, min 0 pages
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, ...name('dots'), 0x00, 0]), // exported as "dots"
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
