import { describe, expect, it } from 'vitest';
import { DataInputDeserializer } from './data-input-deserializer.js';
import { DataOutputSerializer } from './data-output-serializer.js';

/** mulberry32: a tiny seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function randomString(rand: () => number, maxLen: number): string {
  const len = Math.floor(rand() * maxLen);
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rand();
    if (r < 0.6) s += String.fromCharCode(32 + Math.floor(rand() * 95));
    else if (r < 0.75) s += String.fromCharCode(0x80 + Math.floor(rand() * 0x780));
    else if (r < 0.85) s += String.fromCharCode(0x800 + Math.floor(rand() * 0xd000));
    else if (r < 0.95) s += String.fromCodePoint(0x10000 + Math.floor(rand() * 0xfffff));
    else s += String.fromCharCode(0xd800 + Math.floor(rand() * 0x800)); // lone surrogate
  }
  return s;
}

describe('DataOutputSerializer / DataInputDeserializer', () => {
  it('round-trips every primitive write, in order, with seeded random values', () => {
    const rand = prng(42);
    type Op = [kind: string, value: unknown];
    const ops: Op[] = [];
    for (let i = 0; i < 5000; i++) {
      const k = Math.floor(rand() * 9);
      switch (k) {
        case 0:
          ops.push(['u8', Math.floor(rand() * 256)]);
          break;
        case 1:
          ops.push(['i32', (rand() * 2 ** 32) | 0]);
          break;
        case 2:
          ops.push(['u32', Math.floor(rand() * 2 ** 32)]);
          break;
        case 3:
          ops.push(['f64', (rand() - 0.5) * 10 ** Math.floor(rand() * 300)]);
          break;
        case 4:
          ops.push(['i64', BigInt.asIntN(64, BigInt(Math.floor(rand() * 2 ** 53)) * BigInt(Math.floor(rand() * 2 ** 20) - 2 ** 19))]);
          break;
        case 5:
          ops.push(['var', Math.floor(rand() * 2 ** Math.floor(rand() * 54))]);
          break;
        case 6:
          ops.push(['str', randomString(rand, rand() < 0.05 ? 300 : 20)]);
          break;
        case 7:
          ops.push(['bytes', Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256))]);
          break;
        default:
          ops.push(['raw', Uint8Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 256))]);
      }
    }
    const out = new DataOutputSerializer(16);
    for (const [kind, v] of ops) {
      if (kind === 'u8') out.writeUint8(v as number);
      else if (kind === 'i32') out.writeInt32(v as number);
      else if (kind === 'u32') out.writeUint32(v as number);
      else if (kind === 'f64') out.writeFloat64(v as number);
      else if (kind === 'i64') out.writeBigInt64(v as bigint);
      else if (kind === 'var') out.writeVarUint(v as number);
      else if (kind === 'str') out.writeString(v as string);
      else if (kind === 'bytes') out.writeBytes(v as Uint8Array);
      else out.writeRaw(v as Uint8Array);
    }
    const input = new DataInputDeserializer(out.toUint8Array());
    for (const [kind, v] of ops) {
      if (kind === 'u8') expect(input.readUint8()).toBe(v);
      else if (kind === 'i32') expect(input.readInt32()).toBe(v);
      else if (kind === 'u32') expect(input.readUint32()).toBe(v);
      else if (kind === 'f64') expect(input.readFloat64()).toBe(v);
      else if (kind === 'i64') expect(input.readBigInt64()).toBe(v);
      else if (kind === 'var') expect(input.readVarUint()).toBe(v);
      else if (kind === 'str') expect(input.readString()).toBe(decoder.decode(encoder.encode(v as string)));
      else if (kind === 'bytes') expect(input.readBytes()).toEqual(v);
      else expect(input.readRaw((v as Uint8Array).length)).toEqual(v);
    }
    expect(input.remaining()).toBe(0);
  });

  it('writes little-endian fixed-width numbers, LEB128 varuints and length-prefixed UTF-8', () => {
    const out = new DataOutputSerializer();
    out.writeInt32(-2);
    out.writeUint32(0x01020304);
    out.writeFloat64(1);
    out.writeBigInt64(-1n);
    out.writeVarUint(0);
    out.writeVarUint(127);
    out.writeVarUint(128);
    out.writeVarUint(300);
    out.writeVarUint(2 ** 53);
    out.writeString('hé');
    out.writeBytes(new Uint8Array([9, 8]));
    expect([...out.data]).toEqual([
      0xfe, 0xff, 0xff, 0xff,
      0x04, 0x03, 0x02, 0x01,
      0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
      0x00,
      0x7f,
      0x80, 0x01,
      0xac, 0x02,
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10,
      3, 0x68, 0xc3, 0xa9,
      2, 9, 8,
    ]);
  });

  it('encodes strings exactly as TextEncoder does, including emoji and lone surrogates', () => {
    const samples = ['', 'a', 'ascii only', 'héllo', '日本語', '😀 emoji 👍🏽', '\ud800', 'a\udc00b', '\ud83d', 'x'.repeat(127) + 'é'];
    for (const s of samples) {
      const out = new DataOutputSerializer();
      out.writeString(s);
      const utf8 = encoder.encode(s);
      const input = new DataInputDeserializer(out.data);
      expect(input.readVarUint()).toBe(utf8.length);
      expect(input.readRaw(utf8.length)).toEqual(utf8);
      expect(new DataInputDeserializer(out.data).readString()).toBe(decoder.decode(utf8));
    }
  });

  it('fixes up the length prefix when non-ASCII text crosses a varuint size boundary', () => {
    // 100 chars but 200 bytes (1-byte guess, 2-byte length); 10000 chars of 3 bytes (2-byte guess, 3-byte length).
    for (const s of ['é'.repeat(100), '語'.repeat(10_000), 'a'.repeat(127), 'a'.repeat(128), 'a'.repeat(16383) + '😀']) {
      const out = new DataOutputSerializer(16);
      out.writeUint8(7);
      out.writeString(s);
      out.writeUint8(9);
      const input = new DataInputDeserializer(out.data);
      expect(input.readUint8()).toBe(7);
      expect(input.readString()).toBe(s);
      expect(input.readUint8()).toBe(9);
    }
  });

  it('grows for large buffers and long strings', () => {
    const rand = prng(7);
    const big = Uint8Array.from({ length: 300_000 }, () => Math.floor(rand() * 256));
    const longString = randomString(rand, 200_000) + 'z'.repeat(70_000);
    const out = new DataOutputSerializer(16);
    out.writeBytes(big);
    out.writeString(longString);
    for (let i = 0; i < 10_000; i++) out.writeFloat64(i + 0.5);
    const input = new DataInputDeserializer(out.data);
    expect(Buffer.from(input.readBytes()).equals(big)).toBe(true);
    expect(input.readString() === decoder.decode(encoder.encode(longString))).toBe(true);
    let mismatches = 0;
    for (let i = 0; i < 10_000; i++) if (input.readFloat64() !== i + 0.5) mismatches++;
    expect(mismatches).toBe(0);
    expect(input.remaining()).toBe(0);
  });

  it('exposes written bytes as a view and copies them on toUint8Array; clear rewinds', () => {
    const out = new DataOutputSerializer();
    out.writeUint8(1);
    out.writeUint8(2);
    const view = out.data;
    const copy = out.toUint8Array();
    expect([...view]).toEqual([1, 2]);
    out.clear();
    expect(out.position).toBe(0);
    out.writeUint8(5);
    expect(view[0]).toBe(5); // same memory
    expect([...copy]).toEqual([1, 2]);
    expect([...out.data]).toEqual([5]);
  });

  it('rejects varuints that are negative, fractional or above 2^53', () => {
    const out = new DataOutputSerializer();
    for (const bad of [-1, 1.5, 2 ** 53 + 2, NaN, Infinity]) {
      expect(() => out.writeVarUint(bad)).toThrow(RangeError);
    }
  });

  it('reuses one deserializer across buffers and sub-ranges with setBuffer', () => {
    const a = new DataOutputSerializer();
    a.writeString('first');
    a.writeInt32(11);
    const b = new DataOutputSerializer();
    b.writeUint8(0xee); // junk before the range
    b.writeFloat64(2.5);
    b.writeString('second');
    b.writeUint8(0xee); // junk after the range
    const input = new DataInputDeserializer();
    expect(input.remaining()).toBe(0);
    input.setBuffer(a.toUint8Array());
    expect(input.readString()).toBe('first');
    expect(input.readInt32()).toBe(11);
    expect(input.remaining()).toBe(0);
    const bytes = b.toUint8Array();
    input.setBuffer(bytes, 1, bytes.length - 1);
    expect(input.position).toBe(1);
    expect(input.readFloat64()).toBe(2.5);
    expect(input.readString()).toBe('second');
    expect(input.remaining()).toBe(0);
    expect(() => input.readUint8()).toThrow(/past end/);
    // a subarray with a non-zero byteOffset reads correctly through the DataView too
    input.setBuffer(bytes.subarray(1));
    expect(input.readFloat64()).toBe(2.5);
    input.setBuffer(a.toUint8Array());
    expect(input.readString()).toBe('first');
  });

  it('throws a RangeError instead of reading past the end of truncated input', () => {
    const out = new DataOutputSerializer();
    out.writeString('hello');
    out.writeFloat64(1);
    const bytes = out.toUint8Array();
    const input = new DataInputDeserializer(bytes, 0, 4);
    expect(() => input.readString()).toThrow(RangeError);
    input.setBuffer(bytes, 6, 10);
    expect(() => input.readFloat64()).toThrow(/past end/);
    input.setBuffer(new Uint8Array([0x80, 0x80]));
    expect(() => input.readVarUint()).toThrow(RangeError);
    input.setBuffer(new Uint8Array(9).fill(0x80));
    expect(() => input.readVarUint()).toThrow(/longer than 8 bytes/);
    expect(() => input.setBuffer(bytes, 5, 100)).toThrow(RangeError);
  });
});
