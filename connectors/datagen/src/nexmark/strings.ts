import type { SplitMix64 } from './split-mix-64.js';

/** nexmark's `StringsGenerator.MIN_STRING_LENGTH`. */
const MIN_STRING_LENGTH = 3;

const CODE_A = 97;
const CODE_SPACE = 32;

/** One-character strings by code, for short strings (concatenating them yields flat strings). */
const ONE_CHAR: readonly string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** Below this length V8 copies on concatenation; above, decoding a byte buffer is cheaper. */
const CONCAT_LIMIT = 13;

const hasBuffer = typeof Buffer === 'function';

/** Reusable scratch bytes for {@link nextString} (a Buffer under Node, for its fast latin1 decode). */
let scratch: Uint8Array = hasBuffer ? Buffer.allocUnsafe(256) : new Uint8Array(256);
const latin1 = hasBuffer ? null : new TextDecoder('latin1');

function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  if (latin1 === null) return (bytes as Buffer).toString('latin1', start, end);
  return latin1.decode(bytes.subarray(start, end));
}

/**
 * nexmark's `StringsGenerator.nextString(random, maxLength, special)`: length
 * `3 + nextInt(maxLength - 3)`, each character `special` with probability 1/13 (one `nextInt(13)`
 * draw) and otherwise `'a' + nextInt(26)`, then Java `trim()` (which removes only leading and
 * trailing spaces here, since no other character ≤ U+0020 can occur). `specialCode` < 256.
 */
export function nextString(rng: SplitMix64, maxLength: number, specialCode = CODE_SPACE): string {
  const len = MIN_STRING_LENGTH + rng.nextInt(maxLength - MIN_STRING_LENGTH);
  if (len > scratch.length) scratch = hasBuffer ? Buffer.allocUnsafe(len * 2) : new Uint8Array(len * 2);
  const buf = scratch;
  rng.nextCharCodes(buf, len, specialCode);
  let start = 0;
  let end = len;
  if (specialCode === CODE_SPACE) {
    while (start < end && buf[start] === CODE_SPACE) start++;
    while (end > start && buf[end - 1] === CODE_SPACE) end--;
  }
  if (end - start >= CONCAT_LIMIT) return decodeLatin1(buf, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += ONE_CHAR[buf[i]];
  return s;
}

/**
 * A string of `length` random characters `'a' + nextInt(26)`: the shared pool that `extra` fields
 * are cut from.
 */
export function randomLowercase(rng: SplitMix64, length: number): string {
  const chunk = new Uint16Array(8192);
  const parts: string[] = [];
  for (let done = 0; done < length; ) {
    const n = Math.min(chunk.length, length - done);
    for (let i = 0; i < n; i++) chunk[i] = CODE_A + rng.nextInt(26);
    parts.push(String.fromCharCode.apply(null, chunk.subarray(0, n) as unknown as number[]));
    done += n;
  }
  // One flat string, so substrings of it are cheap slices.
  return parts.join('');
}

/**
 * nexmark's `StringsGenerator.nextExtra`: `""` when `currentSize > averageSize`; otherwise, with
 * `d = averageSize - currentSize` and `δ = round(0.2·d)`, a length `d - δ + nextInt(2δ)` (no draw
 * when δ = 0), cut at offset `nextInt(pool.length - length + 1)` from the shared random pool, so
 * `currentSize + length` averages `averageSize`. The substring shares the pool's storage.
 */
export function nextExtra(rng: SplitMix64, pool: string, currentSize: number, averageSize: number): string {
  if (currentSize > averageSize) return '';
  const desired = averageSize - currentSize;
  const delta = Math.round(desired * 0.2);
  const length = desired - delta + (delta === 0 ? 0 : rng.nextInt(2 * delta));
  const offset = rng.nextInt(pool.length - length + 1);
  return pool.substring(offset, offset + length);
}
