import type { DataInputView } from './type-serializer.js';

const textDecoder = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

/** ASCII strings up to this many bytes are decoded with a JS loop (faster than TextDecoder). */
const SHORT_ASCII = 64;
/** Chunk size for `String.fromCharCode.apply` on longer ASCII strings (stays far below argument limits). */
const ASCII_CHUNK = 4096;

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
  /** @internal Current bytes; read in place by serializers in this package. */
  buf: Uint8Array = EMPTY;
  /** @internal */
  view: DataView = new DataView(EMPTY.buffer);
  /** @internal Read position (absolute index into {@link buf}). */
  pos = 0;
  /** @internal Exclusive end of the readable range. */
  end = 0;

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

  /** @internal Throws the error every read past the end reports. */
  eof(n: number): never {
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

/** Decodes UTF-8 `buf[start, end)`, with fast paths for ASCII. @internal */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len <= SHORT_ASCII) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return textDecoder.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) return textDecoder.decode(buf.subarray(start, end));
  }
  let s = '';
  for (let i = start; i < end; i += ASCII_CHUNK) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(end, i + ASCII_CHUNK)) as unknown as number[]);
  }
  return s;
}
