import { describe, expect, it } from 'vitest';
import { DataInputDeserializer } from './data-input-deserializer.js';
import { DataOutputSerializer } from './data-output-serializer.js';
import { DYNAMIC_SERIALIZER_VERSION, DynamicSerializer, dynamicSerializer } from './dynamic-serializer.js';

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

const serializer = dynamicSerializer();

function toBytes(value: unknown): number[] {
  const out = new DataOutputSerializer();
  serializer.serialize(value, out);
  return [...out.data];
}

function roundTrip<T>(value: T): T {
  const out = new DataOutputSerializer(16);
  serializer.serialize(value, out);
  const input = new DataInputDeserializer(out.data);
  const back = serializer.deserialize(input) as T;
  expect(input.remaining()).toBe(0);
  return back;
}

const SPECIAL_NUMBERS = [0, -0, 1, -1, 63, 64, -64, -65, 127, 128, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE, NaN, Infinity, -Infinity, 0.1, -1.5e-300];
const SPECIAL_STRINGS = ['', 'a', 'word', 'héllo wörld', '日本語テキスト', '😀👍🏽', 'mixed ascii then é', 'x'.repeat(200), 'é'.repeat(70)];

function randomString(rand: () => number): string {
  if (rand() < 0.2) return SPECIAL_STRINGS[Math.floor(rand() * SPECIAL_STRINGS.length)];
  const len = Math.floor(rand() * 14);
  let s = '';
  for (let i = 0; i < len; i++) {
    const r = rand();
    if (r < 0.8) s += String.fromCharCode(32 + Math.floor(rand() * 95));
    else if (r < 0.9) s += String.fromCharCode(0xa0 + Math.floor(rand() * 0x5000));
    else s += String.fromCodePoint(0x1f300 + Math.floor(rand() * 0x300));
  }
  return s;
}

function randomScalar(rand: () => number): unknown {
  switch (Math.floor(rand() * 12)) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return rand() < 0.5;
    case 3:
      return Math.floor(rand() * 200) - 100;
    case 4:
      return (rand() * 2 ** 32) | 0;
    case 5:
      return SPECIAL_NUMBERS[Math.floor(rand() * SPECIAL_NUMBERS.length)];
    case 6:
      return (rand() - 0.5) * 10 ** Math.floor(rand() * 20);
    case 7:
      return BigInt(Math.floor(rand() * 2 ** 40) - 2 ** 39) ** BigInt(1 + Math.floor(rand() * 3));
    case 8:
      return new Date(Math.floor(rand() * 2 ** 41));
    case 9:
      return Uint8Array.from({ length: Math.floor(rand() * 10) }, () => Math.floor(rand() * 256));
    default:
      return randomString(rand);
  }
}

function randomValue(rand: () => number, depth: number): unknown {
  if (depth >= 4 || rand() < 0.5) return randomScalar(rand);
  const n = Math.floor(rand() * 5);
  switch (Math.floor(rand() * 4)) {
    case 0:
      return Array.from({ length: n }, () => randomValue(rand, depth + 1));
    case 1: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) o[rand() < 0.1 ? String(i) : randomString(rand)] = randomValue(rand, depth + 1);
      return o;
    }
    case 2:
      return new Map(Array.from({ length: n }, () => [randomValue(rand, depth + 1), randomValue(rand, depth + 1)]));
    default:
      return new Set(Array.from({ length: n }, () => randomValue(rand, depth + 1)));
  }
}

describe('DynamicSerializer', () => {
  it('round-trips seeded random nested values of every supported kind', () => {
    const rand = prng(2024);
    const out = new DataOutputSerializer(16);
    const values: unknown[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(rand, 0);
      values.push(v);
      serializer.serialize(v, out);
    }
    const input = new DataInputDeserializer(out.data);
    for (const v of values) expect(serializer.deserialize(input)).toStrictEqual(v);
    expect(input.remaining()).toBe(0);
  });

  it('round-trips number edge cases exactly, including -0 and NaN', () => {
    for (const n of SPECIAL_NUMBERS) expect(Object.is(roundTrip(n), n)).toBe(true);
    expect(Object.is(roundTrip([-0])[0], -0)).toBe(true);
  });

  it('round-trips strings, replacing lone surrogates as TextEncoder does', () => {
    for (const s of SPECIAL_STRINGS) expect(roundTrip(s)).toBe(s);
    const te = new TextEncoder();
    const td = new TextDecoder();
    for (const s of ['\ud800', 'a\udc00b', 'end\ud83d', '\udfff\ud800x']) {
      expect(roundTrip(s)).toBe(td.decode(te.encode(s)));
      expect(roundTrip(s)).toContain('\ufffd');
    }
  });

  it('round-trips bigints inside and outside the 64-bit range', () => {
    for (const b of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, -(2n ** 63n) - 1n, 3n ** 200n, -(7n ** 99n)]) {
      expect(roundTrip(b)).toBe(b);
    }
  });

  it('writes the pinned version-1 bytes for every tag (golden)', () => {
    expect(DYNAMIC_SERIALIZER_VERSION).toBe(1);
    const value = [
      undefined, null, false, true, 0, -1, 300, -0, 1.5, 'hi', 'é', 5n, 2n ** 64n, -(2n ** 64n),
      new Date(0), new Uint8Array([7]), { a: 1 }, new Map([['k', 2]]), new Set([3]),
    ];
    expect(toBytes(value)).toEqual([
      0x0b, 19,
      0x00,
      0x01,
      0x02,
      0x03,
      0x04, 0x00,
      0x04, 0x01,
      0x04, 0xd8, 0x04,
      0x05, 0, 0, 0, 0, 0, 0, 0, 0x80,
      0x05, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,
      0x06, 2, 0x68, 0x69,
      0x06, 2, 0xc3, 0xa9,
      0x07, 5, 0, 0, 0, 0, 0, 0, 0,
      0x08, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1,
      0x08, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1,
      0x09, 0, 0, 0, 0, 0, 0, 0, 0,
      0x0a, 1, 7,
      0x0c, 1, 1, 0x61, 0x04, 0x02,
      0x0d, 1, 0x06, 1, 0x6b, 0x04, 0x04,
      0x0e, 1, 0x04, 0x06,
    ]);
    expect(toBytes(['word', 42])).toEqual([0x0b, 2, 0x06, 4, 0x77, 0x6f, 0x72, 0x64, 0x04, 84]);
    expect(toBytes(-(2 ** 31))).toEqual([0x04, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(toBytes(2 ** 31)).toEqual([0x05, 0, 0, 0, 0, 0, 0, 0xe0, 0x41]);
    expect(toBytes(new Int16Array([1]))[0]).toBe(0x0f);
  });

  it('reads every golden value back', () => {
    const input = new DataInputDeserializer(
      new Uint8Array([0x0b, 4, 0x04, 0xd8, 0x04, 0x06, 2, 0xc3, 0xa9, 0x0c, 1, 1, 0x61, 0x01, 0x0e, 1, 0x03]),
    );
    expect(serializer.deserialize(input)).toStrictEqual([300, 'é', { a: null }, new Set([true])]);
  });

  it('turns class instances into plain objects of their own enumerable fields', () => {
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const back = roundTrip({ p: new Point(3, 4) }).p;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back).toStrictEqual({ x: 3, y: 4 });
    const copied = serializer.copy(new Point(1, 2)) as object;
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(copied).toStrictEqual({ x: 1, y: 2 });
  });

  it('keeps a __proto__ key as an own field instead of changing the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "b": 1}') as Record<string, unknown>;
    const back = roundTrip(value);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'b']);
    expect((back as { polluted?: boolean }).polluted).toBeUndefined();
    const copied = serializer.copy(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.keys(copied)).toEqual(['__proto__', 'b']);
  });

  it('reads array holes back as undefined and plain Uint8Arrays from Buffers', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(roundTrip([1, , 3])).toStrictEqual([1, undefined, 3]);
    const back = roundTrip(Buffer.from([1, 2, 3]));
    expect(back.constructor).toBe(Uint8Array);
    expect([...back]).toEqual([1, 2, 3]);
  });

  it('falls back to node:v8 for other structured-cloneable objects', () => {
    const values = [new Float64Array([1.5, -0, NaN]), new Int32Array([-5, 7]), new BigInt64Array([-3n]), /ab+c/gi, new ArrayBuffer(3), new Uint16Array([1, 2]).subarray(1)];
    for (const v of values) expect(roundTrip(v)).toStrictEqual(v);
    const err = roundTrip(new RangeError('boom'));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('boom');
    expect(roundTrip({ nested: [new Float32Array([2])] })).toStrictEqual({ nested: [new Float32Array([2])] });
  });

  it('throws a TypeError naming functions, symbols and other non-data values', () => {
    function handler(): void {}
    expect(() => toBytes(handler)).toThrow(/cannot serialize a function \(handler\)/);
    expect(() => toBytes({ nested: [() => 1] })).toThrow(/cannot serialize a function/);
    expect(() => toBytes(Symbol('tag'))).toThrow(/cannot serialize a symbol \(Symbol\(tag\)\)/);
    expect(() => toBytes(new Map([[Symbol.iterator, 1]]))).toThrow(TypeError);
    expect(() => toBytes(new WeakMap())).toThrow(/cannot serialize a WeakMap/);
    expect(() => toBytes(Promise.resolve(1))).toThrow(/cannot serialize a Promise/);
    expect(() => serializer.copy({ f: handler })).toThrow(/cannot serialize a function \(handler\)/);
    expect(() => serializer.copy(Symbol('s'))).toThrow(/symbol/);
  });

  it('rejects cyclic values with a clear error instead of overflowing the stack', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => toBytes(cyclic)).toThrow(/nested deeper than 1000 levels/);
    expect(() => serializer.copy(cyclic)).toThrow(/nested deeper than 1000 levels/);
  });

  it('reports unknown tags and truncated input', () => {
    expect(() => serializer.deserialize(new DataInputDeserializer(new Uint8Array([0xff])))).toThrow(/unknown tag 0xff at position 0/);
    expect(() => serializer.deserialize(new DataInputDeserializer(new Uint8Array([0x0b, 3, 0x01])))).toThrow(/past end/);
  });

  it('copies deeply: the copy equals the original and shares no mutable structure', () => {
    const rand = prng(99);
    for (let i = 0; i < 300; i++) {
      const v = randomValue(rand, 0);
      const c = serializer.copy(v);
      expect(c).toStrictEqual(v);
      assertNoSharedObjects(v, c);
    }
    const date = new Date(5);
    const nested = { d: date, list: [[1, 2]], bytes: new Uint8Array([1]), m: new Map([[1, [2]]]), s: new Set([[3]]) };
    const c = serializer.copy(nested) as typeof nested;
    c.d.setTime(9);
    c.list[0].push(3);
    c.bytes[0] = 7;
    c.m.get(1)!.push(4);
    expect(nested).toStrictEqual({ d: new Date(5), list: [[1, 2]], bytes: new Uint8Array([1]), m: new Map([[1, [2]]]), s: new Set([[3]]) });
    expect(serializer.copy('immutable')).toBe('immutable');
  });

  it('is one shared stateless instance', () => {
    expect(dynamicSerializer()).toBe(dynamicSerializer());
    expect(dynamicSerializer()).toBeInstanceOf(DynamicSerializer);
    expect(dynamicSerializer().id).toBe('dynamic');
  });
});

function assertNoSharedObjects(a: unknown, b: unknown): void {
  if (typeof a !== 'object' || a === null) return;
  expect(b).not.toBe(a);
  if (Array.isArray(a)) a.forEach((x, i) => assertNoSharedObjects(x, (b as unknown[])[i]));
  else if (a instanceof Map) {
    const bk = [...(b as Map<unknown, unknown>)];
    [...a].forEach(([k, v], i) => {
      assertNoSharedObjects(k, bk[i][0]);
      assertNoSharedObjects(v, bk[i][1]);
    });
  } else if (a instanceof Set) {
    const bv = [...(b as Set<unknown>)];
    [...a].forEach((x, i) => assertNoSharedObjects(x, bv[i]));
  } else if (!(a instanceof Date) && !(a instanceof Uint8Array)) {
    for (const k of Object.keys(a)) assertNoSharedObjects((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
  }
}
