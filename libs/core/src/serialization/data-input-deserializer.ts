import type { DataInputView } from './type-serializer.js';

const textDecoder = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

/** ASCII strings up to this many bytes are decoded in JS (faster than TextDecoder). */
const SHORT_ASCII = 16;

/**
 * A {@link DataInputView} over a `Uint8Array`, the reader of everything
 * {@link DataOutputSerializer} writes (see that file for the byte-level encoding).
 *
 * One instance is meant to be reused: {@link setBuffer} points it at the next network buffer
 * without allocating. `position` is an absolute index into the current `bytes`. Reading past
 * `end` throws a `RangeError` and leaves the position unspecified; treat the buffer as corrupt.
 * The bytes are read in place, so they must not change while a value is being read; values
 * returned by `readBytes`/`readRaw` are copies and stay valid after the buffer is reused.
 */
export class DataInputDeserializer implements DataInputView {
  private buf: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  /** Read position (absolute index into {@link buf}). */
  private pos = 0;
  /** Exclusive end of the readable range. */
  private end = 0;

  /** @param bytes initial buffer; see {@link setBuffer}. */
  constructor(bytes?: Uint8Array, offset?: number, end?: number) {
    if (bytes) this.setBuffer(bytes, offset, end);
  }

  /**
   * Reads `bytes[offset, end)` from now on. `offset` defaults to 0 and `end` to
   * `bytes.length`. Nothing is copied.
   */
  setBuffer(bytes: Uint8Array, offset = 0, end: number = bytes.length): void {
    if (offset < 0 || end > bytes.length || offset > end) {
      throw new RangeError(`setBuffer: invalid range [${offset}, ${end}) over ${bytes.length} bytes`);
    }
    if (
      bytes.buffer !== this.buf.buffer ||
      bytes.byteOffset !== this.buf.byteOffset ||
      bytes.byteLength !== this.buf.byteLength
    ) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.buf = bytes;
    this.pos = offset;
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

  /** Throws the error every read past the end reports. */
  private eof(n: number): never {
    throw new RangeError(
      `DataInputDeserializer: read of ${n} byte(s) at position ${this.pos} past end ${this.end} (truncated or corrupt input)`,
    );
  }

  readUint8(): number {
    if (this.pos >= this.end) this.eof(1);
    return this.buf[this.pos++];
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
      const b = buf[p];
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (p >= this.end) this.eof(1);
      const b = buf[p++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = p;
        return result;
      }
      mul *= 128;
    }
    throw new RangeError(`DataInputDeserializer: varuint longer than 8 bytes at position ${this.pos}`);
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
 * Decodes UTF-8 `b[s, e)`. Short ASCII strings (the common case for keys and words) are built
 * with one `String.fromCharCode` call of fixed arity, measured about 3x faster than
 * `TextDecoder` or a concatenation loop for 3-10 byte strings; everything else goes to
 * `TextDecoder`, which has its own fast ASCII path for long strings.
 */
function decodeUtf8(b: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n > SHORT_ASCII) return textDecoder.decode(b.subarray(s, e));
  let bits = 0;
  for (let i = s; i < e; i++) bits |= b[i];
  if (bits >= 0x80) return textDecoder.decode(b.subarray(s, e));
  const f = String.fromCharCode;
  switch (n) {
    case 0:
      return '';
    case 1:
      return f(b[s]);
    case 2:
      return f(b[s], b[s + 1]);
    case 3:
      return f(b[s], b[s + 1], b[s + 2]);
    case 4:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16:
      return f(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    default:
      return textDecoder.decode(b.subarray(s, e));
  }
}
