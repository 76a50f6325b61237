import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { DataInputDeserializer, DataOutputSerializer } from '@riffle/core';
import { FrameReader } from './frame-reader.js';
import { FrameWriter } from './frame-writer.js';

const STRINGS = [
  '',
  'a',
  'kind',
  'ten chars!',
  'eleven char',
  'sixteen chars!!!',
  'seventeen chars!!',
  'fifteen chars é',
  'x'.repeat(32),
  'y'.repeat(33),
  'https://www.nexmark.com/auction/item/bid?id=123456789&channel=Google',
  'z'.repeat(500),
  'héllo wörld',
  'ascii prefix long enough to take the native path, then é and 日本語',
  '日本語テキスト'.repeat(10),
  '😀👍🏽'.repeat(9),
  'lone \ud800 surrogate',
  `lone surrogate in a long string ${'q'.repeat(40)}\udc00 end`,
  'é'.repeat(70),
  'w'.repeat(70_000),
];

/** Writes `values` into one frame of a FrameWriter over a `size`-byte region (spilling if small). */
function writeFrame(values: readonly string[], size: number): Uint8Array {
  const w = new FrameWriter(16);
  const target = new Uint8Array(size);
  w.begin(target, new DataView(target.buffer), 0, size);
  w.headerSize = 0;
  for (const v of values) w.writeString(v);
  return w.buf.slice(w.frameStart, w.pos);
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

describe('FrameWriter / FrameReader strings', () => {
  it('write the same bytes as DataOutputSerializer for ASCII, non-ASCII, sliced and long strings', () => {
    const sliced = STRINGS.map((s) => `..${s}..`.slice(2, -2));
    for (const values of [STRINGS, sliced]) {
      const reference = new DataOutputSerializer();
      for (const v of values) reference.writeString(v);
      const expected = hex(reference.toUint8Array());
      expect(hex(writeFrame(values, 1 << 20))).toBe(expected);
      // A tiny target region: every string spills into (and grows) the scratch area.
      expect(hex(writeFrame(values, 8))).toBe(expected);
    }
  });

  it('read back what they wrote, as DataInputDeserializer reads it', () => {
    const bytes = writeFrame(STRINGS, 1 << 20);
    const r = new FrameReader();
    r.setRange(bytes, new DataView(bytes.buffer), 0, bytes.length);
    const reference = new DataInputDeserializer(bytes);
    for (const expected of STRINGS) {
      const s = r.readString();
      expect(s).toBe(reference.readString());
      expect(s).toBe(new TextDecoder().decode(new TextEncoder().encode(expected)));
    }
    expect(r.remaining()).toBe(0);
  });

  it('refuses to read a string past the end of the record', () => {
    const bytes = writeFrame(['a string longer than ten bytes'], 64);
    const r = new FrameReader();
    r.setRange(bytes, new DataView(bytes.buffer), 0, bytes.length - 1);
    expect(() => r.readString()).toThrow(RangeError);
  });
});
