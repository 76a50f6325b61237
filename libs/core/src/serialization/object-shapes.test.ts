import { describe, expect, it } from 'vitest';
import { DataInputDeserializer } from './data-input-deserializer.js';
import { DataOutputSerializer } from './data-output-serializer.js';
import { dynamicSerializer } from './dynamic-serializer.js';
import { InputShapeTable, MAX_SHAPES_PER_LENGTH, MAX_SHAPE_KEYS, OutputShapeTable } from './object-shapes.js';

/** The writing end of a channel: a growable buffer with the channel's shape table. */
class ChannelOutput extends DataOutputSerializer {
  shapes = new OutputShapeTable();
}

/** The reading end of a channel. */
class ChannelInput extends DataInputDeserializer {
  shapes = new InputShapeTable();
}

const serializer = dynamicSerializer();

/**
 * Sends `values` through one channel, each in its own frame (as a record writer does), and reads
 * them back in order through the channel's reader. Returns the values read and the frame sizes.
 */
function throughChannel(values: readonly unknown[]): { back: unknown[]; sizes: number[] } {
  const out = new ChannelOutput();
  const input = new ChannelInput();
  const back: unknown[] = [];
  const sizes: number[] = [];
  for (const v of values) {
    out.clear();
    serializer.serialize(v, out);
    const frame = out.toUint8Array();
    sizes.push(frame.length);
    input.setBuffer(frame);
    back.push(serializer.deserialize(input));
    expect(input.remaining()).toBe(0);
  }
  return { back, sizes };
}

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['id', 'name', 'price', 'tags', 'when', 'extra', 'nested', 'a', 'b', '__proto__', '0', '12', 'ünï', ''];

/** Seeded objects with keys drawn (in random order) from a small set, so shapes repeat and differ by order. */
function randomObject(rand: () => number, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const key = KEYS[Math.floor(rand() * KEYS.length)]!;
    Object.defineProperty(o, key, { value: randomField(rand, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

function randomField(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth < 3 && r < 0.15) return randomObject(rand, depth);
  if (depth < 3 && r < 0.25) return Array.from({ length: Math.floor(rand() * 4) }, () => randomObject(rand, depth + 1));
  if (r < 0.3) return new Map<unknown, unknown>([['k', randomObject(rand, depth + 1)], [1, 2]]);
  if (r < 0.35) return new Set([1, 'two', { three: 3 }]);
  if (r < 0.4) return new Date(Math.floor(rand() * 2 ** 41));
  if (r < 0.45) return BigInt(Math.floor(rand() * 2 ** 40)) ** 2n;
  if (r < 0.5) return undefined;
  if (r < 0.55) return null;
  if (r < 0.75) return Math.floor(rand() * 1000) - 500;
  return `s${Math.floor(rand() * 100)}`;
}

describe('dynamic serializer over a channel with a shape table', () => {
  it('round-trips seeded random records of many shapes, keeping every object key order', () => {
    const rand = prng(11);
    const values = Array.from({ length: 1500 }, () => randomObject(rand, 0));
    const { back } = throughChannel(values);
    expect(back).toEqual(values);
    for (let i = 0; i < values.length; i++) expect(Object.keys(back[i] as object)).toEqual(Object.keys(values[i]!));
  });

  it('writes each key list once per channel: later records of the shape carry only a shape id and the values', () => {
    const bid = (i: number) => ({ kind: 'bid', auction: 1000 + i, bidder: 7, price: i * 3, channel: 'Google', url: 'https://x/y', dateTime: 1e12 + i, extra: '' });
    const { back, sizes } = throughChannel([bid(0), bid(1), bid(2)]);
    expect(back).toEqual([bid(0), bid(1), bid(2)]);
    const plain = new DataOutputSerializer();
    serializer.serialize(bid(1), plain);
    const keyBytes = Object.keys(bid(1)).reduce((sum, k) => sum + 1 + k.length, 0);
    expect(sizes[0]).toBe(plain.position);
    expect(sizes[1]).toBe(plain.position - keyBytes); // the key count becomes the shape id, the keys go
    expect(sizes[2]).toBe(sizes[1]);
  });

  it('treats the same keys in a different order as a different shape', () => {
    const values = [{ a: 1, b: 'x' }, { b: 'y', a: 2 }, { a: 3, b: 'z' }, { b: 'w', a: 4 }];
    const { back } = throughChannel(values);
    expect(back).toEqual(values);
    expect(back.map((v) => Object.keys(v as object).join())).toEqual(['a,b', 'b,a', 'a,b', 'b,a']);
  });

  it('round-trips nested objects, arrays of objects, Maps, Sets, Dates, bigints and undefined fields', () => {
    const row = (i: number) => ({
      id: i,
      person: { name: `n${i}`, address: { city: 'Oslo', zip: undefined } },
      items: [{ sku: 'a', qty: i }, { sku: 'b', qty: 2 }, { qty: 3, sku: 'c' }],
      index: new Map<string, unknown>([['x', { deep: [{ deeper: i }] }]]),
      seen: new Set([{ at: new Date(i) }]),
      big: 2n ** 70n + BigInt(i),
      missing: undefined,
    });
    const values = Array.from({ length: 20 }, (_, i) => row(i));
    expect(throughChannel(values).back).toEqual(values);
  });

  it('keeps a __proto__ key an own field and turns class instances into plain objects', () => {
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as object;
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const { back } = throughChannel([withProto, withProto, new Point(1, 2), { x: 3, y: 4 }]);
    for (const v of back.slice(0, 2)) {
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(Object.keys(v as object)).toEqual(['__proto__', 'x']);
      expect((v as { polluted?: boolean }).polluted).toBeUndefined();
    }
    expect(back[2]).toEqual({ x: 1, y: 2 });
    expect(Object.getPrototypeOf(back[2])).toBe(Object.prototype);
    expect(back[3]).toEqual({ x: 3, y: 4 });
  });

  it('writes objects used as maps (a new key list per record) in full once the table is full for them', () => {
    const values = Array.from({ length: 5 * MAX_SHAPES_PER_LENGTH }, (_, i) => ({ [`word${i}`]: i }));
    const out = new ChannelOutput();
    const { back } = throughChannel(values);
    expect(back).toEqual(values);
    for (const v of values) serializer.serialize(v, out);
    expect(out.shapes.size).toBe(MAX_SHAPES_PER_LENGTH);
    const wide = Object.fromEntries(Array.from({ length: MAX_SHAPE_KEYS + 1 }, (_, i) => [`k${i}`, i]));
    expect(throughChannel([wide, wide]).back).toEqual([wide, wide]);
    // wide enough not to be compiled, narrow enough to be in the table
    const broad = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [i % 2 ? `k${i}` : `${i}`, { i }]));
    const { back: broadBack, sizes } = throughChannel([broad, broad]);
    expect(broadBack).toEqual([broad, broad]);
    expect(Object.keys(broadBack[1] as object)).toEqual(Object.keys(broad));
    expect(sizes[1]).toBeLessThan(sizes[0]! - 400);
  });

  it('writes plain version-1 bytes (tag 0x0c) without a shape table, so persisted bytes stay self-contained', () => {
    const out = new DataOutputSerializer();
    serializer.serialize({ a: 1 }, out);
    serializer.serialize({ a: 2 }, out);
    expect([...out.data]).toEqual([0x0c, 1, 1, 0x61, 0x04, 2, 0x0c, 1, 1, 0x61, 0x04, 4]);
  });

  it('fails clearly on a shape tag outside a channel or a shape id not defined yet', () => {
    const out = new ChannelOutput();
    serializer.serialize({ a: 1 }, out);
    serializer.serialize({ a: 2 }, out);
    const bytes = out.toUint8Array();
    expect([...bytes]).toEqual([0x10, 1, 1, 0x61, 0x04, 2, 0x11, 0, 0x04, 4]);
    expect(() => serializer.deserialize(new DataInputDeserializer(bytes))).toThrow(/outside a network channel/);
    const second = new ChannelInput(bytes, 6);
    expect(() => serializer.deserialize(second)).toThrow(/shape 0 referred to before its definition/);
  });

  it('forgets shapes defined after a mark when truncated, so they are defined again', () => {
    const table = new OutputShapeTable();
    const codec = { writeValues: () => {}, readObject: () => ({}) };
    table.define(['a'], codec);
    const mark = table.size;
    table.define(['b'], codec);
    table.define(['c', 'd'], codec);
    table.truncate(mark);
    expect(table.size).toBe(1);
    expect(table.lookup(['a'])?.id).toBe(0);
    expect(table.lookup(['b'])).toBeUndefined();
    expect(table.lookup(['c', 'd'])).toBeUndefined();
    expect(table.define(['c', 'd'], codec)?.id).toBe(1);
  });
});
