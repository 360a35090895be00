/**
 * Small WebAssembly SIMD modules written out by hand (WebAssembly 2.0 binary format, with SIMD and
 * multiple results) and linked to tfjs' own heap: the functions read and write tensors where the
 * wasm backend keeps them, with no copy in or out. Used by the probe's squared sums and the direct
 * matrix product; each module falls back to the stock path where it does not compile or link.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** A memory access's alignment hint (log2 bytes) and static offset. */
const memarg = (align: number, offset: number) => [align, ...uleb(offset)];
const simd = (opcode: number) => [0xfd, ...uleb(opcode)];

export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  /** Signed LEB128 of one byte: values -64..63. */
  i32Const: (value: number) => [0x41, value & 0x7f],
  i32Eqz: [0x45],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  f32Load: (offset: number) => [0x2a, ...memarg(2, offset)],
  f32Store: (offset: number) => [0x38, ...memarg(2, offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f64Promote: [0xbb],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  /** v128.load64_zero then f64x2.promote_low_f32x4: two float32 values as two float64 lanes. */
  loadPair: (offset: number) => [...simd(0x5d), ...memarg(3, offset), ...simd(0x5f)],
  v128Load: (offset: number) => [...simd(0x00), ...memarg(2, offset)],
  v128Store: (offset: number) => [...simd(0x0b), ...memarg(2, offset)],
  /** One float32 from memory in all four lanes. */
  load32Splat: (offset: number) => [...simd(0x09), ...memarg(2, offset)],
  v128Zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  f32x4Splat: simd(0x13),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4Max: simd(0xe9),
  /** Pseudo-maximum: pmax(a, b) = a < b ? b : a (a NaN in b gives a). */
  f32x4Pmax: simd(0xeb),
  f64x2Lane: (lane: number) => [...simd(0x21), lane],
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
};

/** `address` advanced by `step` bytes (a constant). */
export const advance = (address: number, step: number) => [
  ...op.get(address),
  ...op.i32Const(step),
  ...op.i32Add,
  ...op.set(address),
];

/** `local` advanced by the value of local `step`. */
export const advanceBy = (local: number, step: number) => [
  ...op.get(local),
  ...op.get(step),
  ...op.i32Add,
  ...op.set(local),
];

/** `while (pointer < end) body`: a block around a loop that leaves it once local `pointer` reaches local `end`. */
export const whileBelow = (pointer: number, end: number, body: readonly number[]) => [
  ...op.block,
  ...op.loop,
  ...[...op.get(pointer), ...op.get(end), ...op.i32GeU, ...op.brIf(1)],
  ...body,
  ...op.br(0),
  ...op.end,
  ...op.end,
];

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return bytes;
}

const vector = (items: readonly (readonly number[])[]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: readonly number[]) => [id, ...uleb(content.length), ...content];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text, 'latin1')];

/** A function of the module: its exported name, parameter and result types, locals (count, type) and code. */
export interface WasmFunction {
  name: string;
  params: readonly number[];
  results: readonly number[];
  locals: readonly (readonly [number, number])[];
  code: readonly number[];
}

function body({ locals, code }: WasmFunction): number[] {
  const content = [...vector(locals.map(([count, type]) => [...uleb(count), type])), ...code, ...op.end];
  return [...uleb(content.length), ...content];
}

/** The module's bytes: one type per function, tfjs' memory imported as env.memory, every function exported. */
export function moduleBytes(functions: readonly WasmFunction[]): Uint8Array {
  const types = functions.map(({ params, results }) => [
    0x60,
    ...vector(params.map((t) => [t])),
    ...vector(results.map((t) => [t])),
  ]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vector(functions.map((_, index) => uleb(index)))),
    ...section(7, vector(functions.map((fn, index) => [...name(fn.name), 0x00, ...uleb(index)]))),
    ...section(10, [...uleb(functions.length), ...functions.flatMap(body)]),
  ]);
}

/** What is used of the WebAssembly API, which the ES2023 library this project compiles against does not declare. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** tfjs' wasm memory, when its module exposes it (undefined otherwise). */
function tfjsMemory(wasm: unknown): object | undefined {
  const memory = (wasm as { asm?: { memory?: unknown } }).asm?.memory;
  return memory instanceof wasmApi.Memory ? memory : undefined;
}

/**
 * A module of ours on tfjs' wasm heap: `bytes` is encoded and compiled on first use, then linked
 * once per memory (tfjs' memory object, which a new backend replaces). The returned function gives
 * the exports for tfjs' wasm module `wasm`, or undefined where they cannot link (linkedModule).
 */
export function linkedPerMemory<Exports>(bytes: () => Uint8Array): (wasm: unknown) => Exports | undefined {
  let compiled: CompiledModule | undefined;
  const linked = new WeakMap<object, Exports | null>();
  return (wasm) => {
    const memory = tfjsMemory(wasm);
    if (memory === undefined) return undefined;
    if (!linked.has(memory)) {
      compiled ??= { bytes: bytes() };
      linked.set(memory, linkedModule<Exports>(compiled, memory) ?? null);
    }
    return linked.get(memory) ?? undefined;
  };
}

/**
 * A compiled module, instantiated on `memory`; undefined when the engine lacks SIMD or the two do
 * not link (a shared memory, as tfjs' threaded build has). Compiled once per module.
 */
function linkedModule<Exports>(compiled: CompiledModule, memory: object): Exports | undefined {
  if (compiled.module === undefined) compiled.module = compile(compiled.bytes);
  if (compiled.module === null) return undefined;
  try {
    return new wasmApi.Instance(compiled.module, { env: { memory } }).exports as Exports;
  } catch {
    return undefined;
  }
}

interface CompiledModule {
  bytes: Uint8Array;
  module?: object | null;
}

function compile(bytes: Uint8Array): object | null {
  try {
    return new wasmApi.Module(bytes);
  } catch {
    return null;
  }
}
