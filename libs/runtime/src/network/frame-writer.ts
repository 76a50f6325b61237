import { Buffer } from 'node:buffer';
import type { DataOutputView, OutputShapeTable } from '@riffle/core';

/**
 * Byte encoding shared with `FrameReader` and with `@riffle/core`'s `DataOutputSerializer`:
 * little-endian fixed-width numbers, unsigned LEB128 varuints, strings as a varuint UTF-8 byte
 * length followed by the bytes (lone surrogates become U+FFFD, as with `TextEncoder`).
 */
const textEncoder = new TextEncoder();
/** Strings at least this long are encoded with one `TextEncoder.encode` call. */
const LONG_STRING = 1 << 16;
/**
 * Strings longer than this are encoded natively. A JS `charCodeAt` loop wins for short strings
 * (no call into C++), native UTF-8 encoding (~100 ns flat) above about 32 UTF-16 units; the loop
 * is several times slower still on sliced strings (`substring` results), which is what
 * generators and parsers produce.
 */
const SHORT_STRING = 32;

/** Node's native `Buffer` UTF-8 writer: no allocation per call, unlike `TextEncoder.encodeInto`. */
type Utf8Write = (this: Uint8Array, s: string, offset: number, length: number) => number;
const nativeUtf8Write: Utf8Write | undefined = (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write;
/** Writes `s` as UTF-8 into `buf` at `at` (room for `3 * s.length` bytes was made); returns the bytes written. */
const utf8WriteInto: (buf: Uint8Array, s: string, at: number) => number =
  typeof nativeUtf8Write === 'function'
    ? (buf, s, at) => nativeUtf8Write.call(buf, s, at, buf.length - at)
    : (buf, s, at) => textEncoder.encodeInto(s, buf.subarray(at)).written;
const TWO_POW_53 = 2 ** 53;

/**
 * The {@link DataOutputView} a `RecordWriter` hands to serializers. It writes one frame in place
 * into a network buffer region `[pos, limit)`; when the frame does not fit, it moves what was
 * written so far to a growable scratch area and continues there ("spills"), and the record
 * writer then places the frame into a fresh (or oversized) buffer. Never throws for lack of
 * space. Owned by one record writer; not shared between threads.
 * @internal
 */
export class FrameWriter implements DataOutputView {
  /** Current target bytes (a network buffer, or the scratch area once spilled). */
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.buf.buffer);
  pos = 0;
  limit = 0;
  /** Where the current frame starts in {@link buf}. */
  frameStart = 0;
  /** Header bytes of the current frame (payload starts at `frameStart + headerSize`). */
  headerSize = 0;
  /** True once the current frame moved to the scratch area. */
  spilled = false;
  /** The shape table of the channel the current frame goes to (set by the record writer). */
  shapes: OutputShapeTable | null = null;
  private scratch: Uint8Array;
  private scratchView: DataView;

  constructor(initialScratch = 1024) {
    this.scratch = new Uint8Array(initialScratch);
    this.scratchView = new DataView(this.scratch.buffer);
  }

  /** Starts a frame at `pos` in `buf`, which may be filled up to `limit` (exclusive). */
  begin(buf: Uint8Array, view: DataView, pos: number, limit: number): void {
    this.buf = buf;
    this.view = view;
    this.pos = pos;
    this.limit = limit;
    this.frameStart = pos;
    this.spilled = false;
  }

  /** Starts a frame directly in the scratch area (serialize once, copy to several buffers). */
  beginScratch(): void {
    this.buf = this.scratch;
    this.view = this.scratchView;
    this.pos = 0;
    this.limit = this.scratch.length;
    this.frameStart = 0;
    this.spilled = true;
  }

  /** Bytes of the current frame written so far (header included). */
  frameLength(): number {
    return this.pos - this.frameStart;
  }

  /** Bytes of payload written for the current frame: what serializers see as their position. */
  get position(): number {
    return this.pos - this.frameStart - this.headerSize;
  }

  /** Makes room for `n` more bytes, spilling to scratch when the target region is full. */
  ensure(n: number): void {
    if (this.pos + n > this.limit) this.overflow(n);
  }

  private overflow(n: number): void {
    const len = this.pos - this.frameStart;
    if (!this.spilled) {
      if (this.scratch.length < len + n) this.growScratch(len + n, 0);
      this.scratch.set(this.buf.subarray(this.frameStart, this.pos), 0);
      this.buf = this.scratch;
      this.view = this.scratchView;
      this.frameStart = 0;
      this.pos = len;
      this.limit = this.scratch.length;
      this.spilled = true;
      return;
    }
    this.growScratch(this.pos + n, this.pos);
  }

  private growScratch(need: number, keep: number): void {
    let cap = Math.max(this.scratch.length * 2, 64);
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    if (keep > 0) next.set(this.scratch.subarray(0, keep));
    this.scratch = next;
    this.scratchView = new DataView(next.buffer);
    if (this.spilled) {
      this.buf = next;
      this.view = this.scratchView;
      this.limit = cap;
    }
  }

  writeUint8(v: number): void {
    if (this.pos + 1 > this.limit) this.overflow(1);
    this.buf[this.pos++] = v;
  }

  writeInt32(v: number): void {
    if (this.pos + 4 > this.limit) this.overflow(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }

  writeUint32(v: number): void {
    if (this.pos + 4 > this.limit) this.overflow(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  writeFloat64(v: number): void {
    if (this.pos + 8 > this.limit) this.overflow(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  writeBigInt64(v: bigint): void {
    if (this.pos + 8 > this.limit) this.overflow(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }

  /** @throws RangeError unless `v` is an integer in [0, 2^53]. */
  writeVarUint(v: number): void {
    if ((v & 0x7f) === v) {
      if (this.pos + 1 > this.limit) this.overflow(1);
      this.buf[this.pos++] = v;
      return;
    }
    if (!(v >= 0 && v <= TWO_POW_53 && Number.isInteger(v))) {
      throw new RangeError(`writeVarUint expects an integer in [0, 2^53], got ${v}`);
    }
    if (this.pos + 8 > this.limit) this.overflow(8);
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
    // Worst case 3 bytes per UTF-16 unit plus a 3-byte length (n < 2^16 → byte length < 2^18).
    if (this.pos + 3 * n + 3 > this.limit) this.overflow(3 * n + 3);
    const buf = this.buf;
    const start = this.pos;
    const hdr = n < 0x80 ? 1 : n < 0x4000 ? 2 : 3; // guess: ASCII, byte length n
    let q = start + hdr;
    if (n > SHORT_STRING) {
      q += utf8WriteInto(buf, s, q);
    } else {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[q++] = c;
      }
      if (i < n) q += utf8WriteInto(buf, i === 0 ? s : s.slice(i), q);
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
    if (this.pos + n > this.limit) this.overflow(n);
    if (n < 16) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = v[i]!;
    } else {
      this.buf.set(v, this.pos);
    }
    this.pos += n;
  }
}
