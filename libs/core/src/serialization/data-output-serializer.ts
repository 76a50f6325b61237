import type { DataOutputView } from './type-serializer.js';

/**
 * Shared encoding rules of {@link DataOutputSerializer} and `DataInputDeserializer`
 * (they are part of every persisted format, so they never change):
 * - fixed-width numbers are little-endian (`writeInt32`, `writeUint32`, `writeFloat64`,
 *   `writeBigInt64`);
 * - `writeVarUint` is unsigned LEB128 (7 bits per byte, low group first), at most 8 bytes;
 * - strings are a varuint UTF-8 byte length followed by UTF-8 bytes; lone surrogates are
 *   written as U+FFFD, exactly as `TextEncoder` does;
 * - byte arrays are a varuint length followed by the bytes.
 */
const textEncoder = new TextEncoder();

/** Strings at least this long are encoded in one `TextEncoder.encode` call instead of in place. */
const LONG_STRING = 1 << 16;

/**
 * Strings longer than this are encoded with `TextEncoder.encodeInto` (native, about 100 ns flat)
 * instead of a `charCodeAt` loop, which is faster only for short strings and several times
 * slower on sliced strings (`substring` results).
 */
const SHORT_STRING = 32;

const TWO_POW_53 = 2 ** 53;


/**
 * A growable {@link DataOutputView} over one reusable buffer.
 *
 * Writes never fail for lack of space: the buffer doubles when needed. A serializer is owned
 * by one thread and is not safe to share between concurrent writers. `clear()` rewinds to the
 * start and keeps the memory, so one instance can serialize many records or network buffers.
 */
export class DataOutputSerializer implements DataOutputView {
  /** The backing buffer, replaced (copied into a bigger one) when it is full. */
  private buf: Uint8Array;
  /** View over {@link buf}, replaced together with it. */
  private view: DataView;
  private pos = 0;

  /** @param initialCapacity bytes to allocate up front (grows on demand). */
  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written since construction or the last {@link clear}. */
  get position(): number {
    return this.pos;
  }

  /**
   * The bytes written so far, as a view over the internal buffer (no copy). The view is valid
   * until the next write or {@link clear}; copy it ({@link toUint8Array}) to keep it longer.
   */
  get data(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Returns a copy of the bytes written so far, independent of later writes. */
  toUint8Array(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Forgets what was written and rewinds to position 0, keeping the allocated memory. */
  clear(): void {
    this.pos = 0;
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  writeUint8(v: number): void {
    if (this.pos >= this.buf.length) this.grow(this.pos + 1);
    this.buf[this.pos++] = v;
  }

  writeInt32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(this.pos + 4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }

  writeUint32(v: number): void {
    if (this.pos + 4 > this.buf.length) this.grow(this.pos + 4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  writeFloat64(v: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  writeBigInt64(v: bigint): void {
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  /** @throws RangeError unless `v` is an integer in [0, 2^53]. */
  writeVarUint(v: number): void {
    if ((v & 0x7f) === v) {
      if (this.pos >= this.buf.length) this.grow(this.pos + 1);
      this.buf[this.pos++] = v;
      return;
    }
    if (!(v >= 0 && v <= TWO_POW_53 && Number.isInteger(v))) {
      throw new RangeError(`writeVarUint expects an integer in [0, 2^53], got ${v}`);
    }
    if (this.pos + 8 > this.buf.length) this.grow(this.pos + 8);
    const buf = this.buf;
    let p = this.pos;
    while (v > 0xffffffff) {
      buf[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  writeString(s: string): void {
    const n = s.length;
    if (n >= LONG_STRING) {
      const bytes = textEncoder.encode(s);
      this.writeVarUint(bytes.length);
      this.writeRaw(bytes);
      return;
    }
    // Worst case: 3 UTF-8 bytes per UTF-16 unit (a surrogate pair is 2 units, 4 bytes) plus a
    // 3-byte length (n < 2^16 so the byte length is < 2^18 < 2^21).
    const need = this.pos + 3 * n + 3;
    if (need > this.buf.length) this.grow(need);
    const buf = this.buf;
    const start = this.pos;
    // Guess that the string is ASCII, so its byte length is n; fix the header up otherwise.
    const hdr = n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
    let q = start + hdr;
    if (n > SHORT_STRING) {
      q += textEncoder.encodeInto(s, buf.subarray(q)).written;
    } else {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[q++] = c;
      }
      if (i < n) q += textEncoder.encodeInto(i === 0 ? s : s.slice(i), buf.subarray(q)).written;
    }
    const len = q - start - hdr;
    const realHdr = len < 0x80 ? 1 : len < 0x4000 ? 2 : 3;
    if (realHdr !== hdr) {
      buf.copyWithin(start + realHdr, start + hdr, q);
      q += realHdr - hdr;
    }
    if (realHdr === 1) {
      buf[start] = len;
    } else if (realHdr === 2) {
      buf[start] = (len & 0x7f) | 0x80;
      buf[start + 1] = len >>> 7;
    } else {
      buf[start] = (len & 0x7f) | 0x80;
      buf[start + 1] = ((len >>> 7) & 0x7f) | 0x80;
      buf[start + 2] = len >>> 14;
    }
    this.pos = q;
  }

  writeBytes(v: Uint8Array): void {
    this.writeVarUint(v.length);
    this.writeRaw(v);
  }

  writeRaw(v: Uint8Array): void {
    const n = v.length;
    if (this.pos + n > this.buf.length) this.grow(this.pos + n);
    if (n < 16) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = v[i];
    } else {
      this.buf.set(v, this.pos);
    }
    this.pos += n;
  }
}
