/**
 * Key groups: the unit in which keyed state is partitioned and redistributed on rescaling.
 *
 *   keyGroup = murmur(hash(key)) % maxParallelism
 *   subtask  = floor(keyGroup * parallelism / maxParallelism)
 *
 * `murmur` is Flink's `MathUtils.murmurHash`, and `hash` follows Java's `hashCode` where a Java
 * type corresponds (string, int, long, double, boolean), so string and integer keys land in the
 * same key group as in Flink. The hash must be identical in every process: it depends only on
 * the key's value, never on object identity or insertion order.
 */

/** The default maximum parallelism, as in Flink for small jobs. */
export const DEFAULT_MAX_PARALLELISM = 128;
/** The largest allowed maximum parallelism (Flink's 2^15). */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

const f64 = new Float64Array(1);
const i32 = new Int32Array(f64.buffer);

/** Java's `String.hashCode`. */
export function stringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's `Long.hashCode` for a safe integer. */
function longHash(v: number): number {
  const lo = v | 0; // low 32 bits (two's complement)
  const hi = Math.floor(v / 4294967296) | 0;
  return (lo ^ hi) | 0;
}

/** Java's `Double.hashCode`. */
function doubleHash(v: number): number {
  f64[0] = v === 0 ? 0 : v; // -0 and 0 hash alike
  return (i32[0]! ^ i32[1]!) | 0;
}

/**
 * A deterministic 32-bit hash of a key value. Supported keys: string, number, boolean, bigint,
 * Date, null, arrays/tuples of keys, and plain objects of keys (fields hashed in sorted order).
 * Throws for `undefined`, functions and symbols, which cannot name a key.
 */
export function hashKey(key: unknown): number {
  switch (typeof key) {
    case 'string':
      return stringHash(key);
    case 'number':
      if ((key | 0) === key) return key | 0; // Integer.hashCode (and -0 → 0)
      if (Number.isSafeInteger(key)) return longHash(key);
      return doubleHash(key);
    case 'boolean':
      return key ? 1231 : 1237;
    case 'bigint': {
      const lo = Number(BigInt.asIntN(32, key));
      const hi = Number(BigInt.asIntN(32, key >> 32n));
      return (lo ^ hi) | 0;
    }
    case 'object': {
      if (key === null) return 0;
      if (Array.isArray(key)) {
        let h = 1;
        for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + hashKey(key[i])) | 0;
        return h;
      }
      if (key instanceof Date) return longHash(key.getTime());
      const names = Object.keys(key).sort();
      let h = 1;
      for (const name of names) {
        h = (Math.imul(h, 31) + (stringHash(name) ^ hashKey((key as Record<string, unknown>)[name]))) | 0;
      }
      return h;
    }
    default:
      throw new Error(`a key must be a string, number, boolean, bigint, Date, null, array or plain object; got ${typeof key}`);
  }
}

function bitMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Flink's `MathUtils.murmurHash(int)`: a non-negative 32-bit mix of `code`. */
export function murmurHash(code: number): number {
  code = Math.imul(code, 0xcc9e2d51);
  code = (code << 15) | (code >>> 17);
  code = Math.imul(code, 0x1b873593);
  code = (code << 13) | (code >>> 19);
  code = (Math.imul(code, 5) + 0xe6546b64) | 0;
  code ^= 4;
  code = bitMix(code);
  if (code >= 0) return code;
  if (code !== -2147483648) return -code;
  return 0;
}

/** The key group of a key hash. */
export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  return murmurHash(keyHash) % maxParallelism;
}

/** The key group of a key. */
export function assignToKeyGroup(key: unknown, maxParallelism: number): number {
  return computeKeyGroupForKeyHash(hashKey(key), maxParallelism);
}

/** The subtask that owns a key group. */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The subtask that processes a key. */
export function assignKeyToParallelOperator(key: unknown, maxParallelism: number, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

/** The contiguous, inclusive range of key groups owned by a subtask (Flink's KeyGroupRangeAssignment). */
export function keyGroupRangeForSubtask(maxParallelism: number, parallelism: number, subtask: number): { start: number; end: number } {
  const start = Math.floor((subtask * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((subtask + 1) * maxParallelism - 1) / parallelism);
  return { start, end };
}
