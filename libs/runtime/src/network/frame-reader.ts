import { Buffer } from 'node:buffer';
import type { DataInputView, InputShapeTable } from '@riffle/core';

const textDecoder = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);
/**
 * ASCII strings up to this many bytes are built in JS with one fixed-arity `String.fromCharCode`
 * call (about 50 ns for 16 bytes, half of a native decode); anything longer or not ASCII is
 * decoded natively (about 100 ns flat, several times faster than a JS loop for long strings).
 */
const SHORT_ASCII = 16;

/** Node's native `Buffer` UTF-8 decoder (replaces malformed input by U+FFFD, as `TextDecoder`). */
type Utf8Slice = (this: Uint8Array, start: number, end: number) => string;
const nativeUtf8Slice: Utf8Slice | undefined = (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice;
/** Decodes UTF-8 `b[s, e)` natively. */
const decodeNative: (b: Uint8Array, s: number, e: number) => string =
  typeof nativeUtf8Slice === 'function'
    ? (b, s, e) => nativeUtf8Slice.call(b, s, e)
    : (b, s, e) => textDecoder.decode(b.subarray(s, e));

/**
 * The {@link DataInputView} a network input hands to deserializers: a window `[pos, end)` over
 * one record's payload inside a received buffer. Reading past `end` throws a `RangeError` (the
 * serializer read more than was written). Reads the encoding of `FrameWriter`. Reused for every
 * record; values returned by `readBytes`/`readRaw` are copies.
 * @internal
 */
export class FrameReader implements DataInputView {
  buf: Uint8Array = EMPTY;
  view: DataView = new DataView(EMPTY.buffer);
  pos = 0;
  end = 0;
  /** The shape table of the channel being read (set by the network input when it switches channel). */
  shapes: InputShapeTable | null = null;

  /** Reads `buf[pos, end)` next; `view` must be a DataView over all of `buf`. */
  setRange(buf: Uint8Array, view: DataView, pos: number, end: number): void {
    this.buf = buf;
    this.view = view;
    this.pos = pos;
    this.end = end;
  }

  get position(): number {
    return this.pos;
  }

  set position(p: number) {
    if (p < 0 || p > this.end) throw new RangeError(`position ${p} outside [0, ${this.end}]`);
    this.pos = p;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  private eof(n: number): never {
    throw new RangeError(`network record: read of ${n} byte(s) at ${this.pos} past the end of the record at ${this.end}`);
  }

  readUint8(): number {
    if (this.pos >= this.end) this.eof(1);
    return this.buf[this.pos++]!;
  }

  readInt32(): number {
    if (this.pos + 4 > this.end) this.eof(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readUint32(): number {
    if (this.pos + 4 > this.end) this.eof(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readFloat64(): number {
    if (this.pos + 8 > this.end) this.eof(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readBigInt64(): bigint {
    if (this.pos + 8 > this.end) this.eof(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readVarUint(): number {
    const buf = this.buf;
    let p = this.pos;
    if (p < this.end) {
      const b = buf[p]!;
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (p >= this.end) this.eof(1);
      const b = buf[p++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = p;
        return result;
      }
      mul *= 128;
    }
    throw new RangeError(`network record: varuint longer than 8 bytes at ${this.pos}`);
  }

  readString(): string {
    const len = this.readVarUint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) this.eof(len);
    this.pos = end;
    return decodeUtf8(this.buf, start, end);
  }

  readBytes(): Uint8Array {
    return this.readRaw(this.readVarUint());
  }

  readRaw(n: number): Uint8Array {
    if (this.pos + n > this.end) this.eof(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/**
 * Decodes UTF-8 `b[s, e)`. ASCII up to {@link SHORT_ASCII} bytes (typical keys and codes) is
 * built with one fixed-arity `String.fromCharCode` call, everything else natively.
 */
function decodeUtf8(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n > SHORT_ASCII) return decodeNative(b, s, e);
  let bits = 0;
  for (let i = s; i < e; i++) bits |= b[i]!;
  if (bits >= 0x80) return decodeNative(b, s, e);
  const f = String.fromCharCode;
  switch (n) {
    case 0: return '';
    case 1: return f(b[s]!);
    case 2: return f(b[s]!, b[s + 1]!);
    case 3: return f(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    default: return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
  }
}
