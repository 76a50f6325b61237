/**
 * The SplitMix64 bulk kernel: advances a 64-bit seed `n` times and stores, for every step, the
 * two outputs the generator reads — `mix32(seed)` (what `nextInt()` returns) and
 * `(mix64(seed) >>> 11) * 2^-53` (what `nextDouble()` returns). Each draw consumes exactly one
 * step whichever output it uses, so outputs can be computed ahead in bulk and read back by index.
 *
 * Two implementations of one contract: a tiny WebAssembly module (native 64-bit multiplies,
 * several times faster than emulating them with 32-bit halves) and a plain-JS fallback used where
 * WebAssembly is unavailable. Both write the same memory layout:
 *
 *   bytes [0, 8)                        seed, little-endian int64 (read and written by `fill`)
 *   bytes [OUT32_OFFSET, +4·CAPACITY)   mix32 of step k at index k (int32)
 *   bytes [OUTF_OFFSET, +8·CAPACITY)    nextDouble of step k at index k (float64)
 */

/** Steps computed per `fill`. */
export const KERNEL_CAPACITY = 2048;
const OUT32_OFFSET = 64;
const OUTF_OFFSET = OUT32_OFFSET + 4 * KERNEL_CAPACITY;
const MEMORY_BYTES = OUTF_OFFSET + 8 * KERNEL_CAPACITY;

/** A kernel instance: its memory views and the bulk step function. */
export interface SplitMix64Kernel {
  /** `[seed lo, seed hi]` as int32. */
  readonly seed: Int32Array;
  /** mix32 outputs, `KERNEL_CAPACITY` int32. */
  readonly out32: Int32Array;
  /** nextDouble outputs, `KERNEL_CAPACITY` float64. */
  readonly outDouble: Float64Array;
  /** Performs `n` steps (1 ≤ n ≤ KERNEL_CAPACITY), writing outputs at indexes [0, n). */
  fill(n: number): void;
  /** Which implementation this is. */
  readonly backend: 'wasm' | 'js';
}

// ---- WebAssembly module, assembled from opcodes so the source stays readable ----

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb64(v: bigint): number[] {
  v = BigInt.asIntN(64, v);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

// Opcodes used below.
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I64_CONST = 0x42;
const I64_LOAD = 0x29;
const I32_STORE = 0x36;
const I64_STORE = 0x37;
const F64_STORE = 0x39;
const F64_MUL = 0xa2;
const F64_CONST = 0x44;
const F64_CONVERT_I64_U = 0xba;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_LT_U = 0x49;
const I32_WRAP_I64 = 0xa7;
const I64_ADD = 0x7c;
const I64_MUL = 0x7e;
const I64_XOR = 0x85;
const I64_SHR_U = 0x88;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const I32 = 0x7f;
const I64 = 0x7e;

// Locals: 0 = n (param), 1 = seed, 2 = z, 3 = i.
const N = 0;
const SEED = 1;
const Z = 2;
const I = 3;

const i64 = (v: bigint): number[] => [I64_CONST, ...sleb64(v)];
const i32 = (v: number): number[] => [I32_CONST, ...sleb64(BigInt(v))];
const f64 = (v: number): number[] => Array.from(new Uint8Array(new Float64Array([v]).buffer));
/** z' = (z ^ (z >>> shift)) * mul, with z on the stack top being `local` */
const xorShiftMul = (local: number, shift: bigint, mul: bigint): number[] => [
  LOCAL_GET, local, LOCAL_GET, local, ...i64(shift), I64_SHR_U, I64_XOR, ...i64(mul), I64_MUL,
];

function assembleKernel(): Uint8Array {
  const body = [
    // seed = load64(0)
    ...i32(0), I64_LOAD, 3, 0, LOCAL_SET, SEED,
    LOOP, VOID,
    // seed += GOLDEN_GAMMA
    LOCAL_GET, SEED, ...i64(0x9e3779b97f4a7c15n), I64_ADD, LOCAL_SET, SEED,
    // out32[i] = (int) ((((seed ^ seed >>> 33) * C1) ^ (… >>> 28)) * C2 >>> 32)
    LOCAL_GET, I, ...i32(2), I32_SHL,
    ...xorShiftMul(SEED, 33n, 0x62a9d9ed799705f5n), LOCAL_SET, Z,
    ...xorShiftMul(Z, 28n, 0xcb24d0a5c88c35b3n), ...i64(32n), I64_SHR_U, I32_WRAP_I64,
    I32_STORE, 2, ...uleb(OUT32_OFFSET),
    // outDouble[i] = (mix64(seed) >>> 11) * 2^-53
    LOCAL_GET, I, ...i32(3), I32_SHL,
    ...xorShiftMul(SEED, 30n, 0xbf58476d1ce4e5b9n), LOCAL_SET, Z,
    ...xorShiftMul(Z, 27n, 0x94d049bb133111ebn), LOCAL_TEE, Z,
    LOCAL_GET, Z, ...i64(31n), I64_SHR_U, I64_XOR,
    ...i64(11n), I64_SHR_U, F64_CONVERT_I64_U, F64_CONST, ...f64(2 ** -53), F64_MUL,
    F64_STORE, 3, ...uleb(OUTF_OFFSET),
    // while (++i < n)
    LOCAL_GET, I, ...i32(1), I32_ADD, LOCAL_TEE, I, LOCAL_GET, N, I32_LT_U, BR_IF, 0,
    END,
    // store64(0, seed)
    ...i32(0), LOCAL_GET, SEED, I64_STORE, 3, 0,
    END,
  ];
  const locals = [2, 2, I64, 1, I32]; // 2 groups: 2 × i64, 1 × i32
  const code = [...locals, ...body];
  const pages = Math.ceil(MEMORY_BYTES / 65536);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, I32, 0]), // type 0: (i32) -> ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, ...uleb(pages)]), // one memory, min `pages`
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('fill'), 0x00, 0]),
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

/** The slice of the WebAssembly JS API used here (the ES lib typings do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; fill: (n: number) => void } };
}

const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

function wasmModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi === undefined ? null : new wasmApi.Module(assembleKernel());
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function views(buffer: ArrayBuffer): Pick<SplitMix64Kernel, 'seed' | 'out32' | 'outDouble'> {
  return {
    seed: new Int32Array(buffer, 0, 2),
    out32: new Int32Array(buffer, OUT32_OFFSET, KERNEL_CAPACITY),
    outDouble: new Float64Array(buffer, OUTF_OFFSET, KERNEL_CAPACITY),
  };
}

// ---- plain-JS fallback: 64-bit products from Math.imul and exact double arithmetic ----

const INV_2_16 = 1 / 65536;
const DOUBLE_UNIT = 2 ** -53;

/** High 32 bits (int32) of the unsigned 64-bit product of two 32-bit values. */
function mulHi32(a: number, b: number): number {
  const ua = a >>> 0;
  const t = ua * (b & 0xffff);
  const u = ua * (b >>> 16) + Math.floor(t * INV_2_16);
  return Math.floor(u * INV_2_16) | 0;
}

function jsKernel(): SplitMix64Kernel {
  const v = views(new ArrayBuffer(MEMORY_BYTES));
  const { seed, out32, outDouble } = v;
  const fill = (n: number): void => {
    let lo = seed[0];
    let hi = seed[1];
    for (let k = 0; k < n; k++) {
      const lo0 = lo;
      lo = (lo + 0x7f4a7c15) | 0;
      hi = (hi + (0x9e3779b9 | 0) + (lo >>> 0 < lo0 >>> 0 ? 1 : 0)) | 0;
      // mix32
      let l = lo ^ (hi >>> 1);
      let h = hi;
      let ph = (mulHi32(l, 0x799705f5) + Math.imul(l, 0x62a9d9ed) + Math.imul(h, 0x799705f5)) | 0;
      let pl = Math.imul(l, 0x799705f5);
      l = pl ^ ((pl >>> 28) | (ph << 4));
      h = ph ^ (ph >>> 28);
      out32[k] = (mulHi32(l, 0xc88c35b3 | 0) + Math.imul(l, 0xcb24d0a5 | 0) + Math.imul(h, 0xc88c35b3 | 0)) | 0;
      // mix64
      l = lo ^ ((lo >>> 30) | (hi << 2));
      h = hi ^ (hi >>> 30);
      ph = (mulHi32(l, 0x1ce4e5b9) + Math.imul(l, 0xbf58476d | 0) + Math.imul(h, 0x1ce4e5b9)) | 0;
      pl = Math.imul(l, 0x1ce4e5b9);
      l = pl ^ ((pl >>> 27) | (ph << 5));
      h = ph ^ (ph >>> 27);
      ph = (mulHi32(l, 0x133111eb) + Math.imul(l, 0x94d049bb | 0) + Math.imul(h, 0x133111eb)) | 0;
      pl = Math.imul(l, 0x133111eb);
      const zl = pl ^ ((pl >>> 31) | (ph << 1));
      const zh = ph ^ (ph >>> 31);
      outDouble[k] = ((zh >>> 0) * 2097152 + (zl >>> 11)) * DOUBLE_UNIT;
    }
    seed[0] = lo;
    seed[1] = hi;
  };
  return { ...v, fill, backend: 'js' };
}

/**
 * A fresh kernel (own memory, seed 0). `'auto'` picks WebAssembly when the runtime can compile
 * the module and falls back to JS otherwise; both produce identical outputs.
 */
export function createSplitMix64Kernel(backend: 'auto' | 'wasm' | 'js' = 'auto'): SplitMix64Kernel {
  if (backend !== 'js') {
    const module = wasmModule();
    if (module !== null && wasmApi !== undefined) {
      const { exports } = new wasmApi.Instance(module);
      return { ...views(exports.memory.buffer), fill: exports.fill, backend: 'wasm' };
    }
    if (backend === 'wasm') throw new Error('SplitMix64: WebAssembly is not available in this runtime');
  }
  return jsKernel();
}
