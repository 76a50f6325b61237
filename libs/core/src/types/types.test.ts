import { describe, expect, expectTypeOf, it } from 'vitest';
import { DataInputDeserializer } from '../serialization/data-input-deserializer.js';
import { DataOutputSerializer } from '../serialization/data-output-serializer.js';
import type { TypeInformation } from './type-information.js';
import { Types } from './types.js';

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

type Rand = () => number;

function bytesOf<T>(type: TypeInformation<T>, value: T): number[] {
  const out = new DataOutputSerializer();
  type.createSerializer().serialize(value, out);
  return [...out.data];
}

/** Serializes all values into one buffer (forcing growth), reads them back and checks equality. */
function expectRoundTrip<T>(type: TypeInformation<T>, values: T[]): void {
  const serializer = type.createSerializer();
  const out = new DataOutputSerializer(16);
  for (const v of values) serializer.serialize(v, out);
  const input = new DataInputDeserializer(out.data);
  for (const v of values) expect(serializer.deserialize(input)).toStrictEqual(v);
  expect(input.remaining()).toBe(0);
}

const NUMBERS = [0, -0, 1, -1, 0.5, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity];
const STRINGS = ['', 'a', 'word', 'héllo', '日本語', '😀👍🏽', 'x'.repeat(300)];

const randomNumber = (r: Rand): number => (r() < 0.2 ? NUMBERS[Math.floor(r() * NUMBERS.length)] : (r() - 0.5) * 10 ** Math.floor(r() * 30));
const randomInt = (r: Rand): number => (r() * 2 ** 32) | 0;
function randomString(r: Rand): string {
  if (r() < 0.2) return STRINGS[Math.floor(r() * STRINGS.length)];
  let s = '';
  for (let n = Math.floor(r() * 12); n > 0; n--) s += r() < 0.85 ? String.fromCharCode(32 + Math.floor(r() * 95)) : String.fromCodePoint(0xe000 + Math.floor(r() * 0x11000));
  return s;
}
const randomBigInt = (r: Rand): bigint => BigInt.asIntN(64, BigInt(Math.floor(r() * 2 ** 53)) * BigInt(Math.floor(r() * 2 ** 20) - 2 ** 19));
const randomBytes = (r: Rand): Uint8Array => Uint8Array.from({ length: Math.floor(r() * (r() < 0.05 ? 5000 : 20)) }, () => Math.floor(r() * 256));
const many = <T>(r: Rand, gen: (r: Rand) => T, n = 500): T[] => Array.from({ length: n }, () => gen(r));

describe('Types', () => {
  it('round-trips seeded random scalars of every scalar type', () => {
    const r = prng(1);
    expectRoundTrip(Types.NUMBER, [...NUMBERS, ...many(r, randomNumber)]);
    expectRoundTrip(Types.INT, [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), ...many(r, randomInt)]);
    expectRoundTrip(Types.STRING, [...STRINGS, ...many(r, randomString)]);
    expectRoundTrip(Types.BOOLEAN, many(r, (x) => x() < 0.5));
    expectRoundTrip(Types.BIGINT, [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), ...many(r, randomBigInt)]);
    expectRoundTrip(Types.DATE, [new Date(0), new Date(NaN), new Date(-8.64e15), new Date(8.64e15), ...many(r, (x) => new Date(Math.floor(x() * 2 ** 42)))]);
    expectRoundTrip(Types.BYTES, [new Uint8Array(0), ...many(r, randomBytes)]);
    expectRoundTrip(Types.GENERIC<unknown>(), [undefined, null, { a: [1, 'b', new Map([[1, new Set([2n])]])] }, ...many(r, randomString)]);
  });

  it('preserves -0 and NaN through NUMBER', () => {
    const s = Types.NUMBER.createSerializer();
    const out = new DataOutputSerializer();
    s.serialize(-0, out);
    s.serialize(NaN, out);
    const input = new DataInputDeserializer(out.data);
    expect(Object.is(s.deserialize(input), -0)).toBe(true);
    expect(s.deserialize(input)).toBeNaN();
  });

  it('round-trips seeded random composites: arrays, tuples, rows, nullables, nested', () => {
    const r = prng(2);
    const event = Types.ROW({
      id: Types.INT,
      name: Types.STRING,
      tags: Types.ARRAY(Types.STRING),
      at: Types.DATE,
      score: Types.NULLABLE(Types.NUMBER),
      pos: Types.TUPLE(Types.NUMBER, Types.NUMBER),
      matrix: Types.ARRAY(Types.ARRAY(Types.INT)),
      payload: Types.NULLABLE(Types.BYTES),
      extra: Types.GENERIC<unknown>(),
    });
    const gen = (x: Rand) => ({
      id: randomInt(x),
      name: randomString(x),
      tags: many(x, randomString, Math.floor(x() * 4)),
      at: new Date(Math.floor(x() * 2 ** 42)),
      score: x() < 0.3 ? null : x() < 0.5 ? undefined : randomNumber(x),
      pos: [randomNumber(x), randomNumber(x)] as [number, number],
      matrix: many(x, (y) => many(y, randomInt, Math.floor(y() * 3)), Math.floor(x() * 3)),
      payload: x() < 0.5 ? null : randomBytes(x),
      extra: x() < 0.5 ? { k: randomString(x) } : [randomInt(x)],
    });
    expectRoundTrip(event, many(r, gen, 1000));
    expectRoundTrip(Types.ARRAY(Types.NUMBER), [[], many(r, randomNumber, 20_000)]);
    expectRoundTrip(Types.TUPLE(), [[], []]);
    expectRoundTrip(Types.TUPLE(Types.STRING, Types.NUMBER, Types.BOOLEAN), many(r, (x) => [randomString(x), randomNumber(x), x() < 0.5] as [string, number, boolean]));
    expectRoundTrip(Types.NULLABLE(Types.ARRAY(Types.NULLABLE(Types.STRING))), [null, undefined, [], [null, 'a', undefined, '']]);
  });

  it('writes the pinned version-1 bytes of NUMBER, INT, STRING, BOOLEAN, BIGINT, DATE, BYTES (golden)', () => {
    expect(bytesOf(Types.NUMBER, 1.5)).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    expect(bytesOf(Types.NUMBER, -0)).toEqual([0, 0, 0, 0, 0, 0, 0, 0x80]);
    expect(bytesOf(Types.INT, -2)).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect(bytesOf(Types.STRING, '')).toEqual([0]);
    expect(bytesOf(Types.STRING, 'hi')).toEqual([2, 0x68, 0x69]);
    expect(bytesOf(Types.STRING, 'é😀')).toEqual([6, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
    expect(bytesOf(Types.BOOLEAN, true)).toEqual([1]);
    expect(bytesOf(Types.BIGINT, -2n)).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(bytesOf(Types.DATE, new Date(1))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(bytesOf(Types.BYTES, new Uint8Array([5, 6]))).toEqual([2, 5, 6]);
  });

  it('writes the pinned version-1 bytes of TUPLE, ROW, ARRAY, NULLABLE (golden)', () => {
    expect(bytesOf(Types.TUPLE(Types.STRING, Types.NUMBER), ['ab', 2])).toEqual([2, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 0x40]);
    // fields in declaration order, without names
    expect(bytesOf(Types.ROW({ b: Types.BOOLEAN, a: Types.INT, s: Types.STRING }), { a: 7, s: 'x', b: false })).toEqual([0, 7, 0, 0, 0, 1, 0x78]);
    expect(bytesOf(Types.ARRAY(Types.BOOLEAN), [true, false, true])).toEqual([3, 1, 0, 1]);
    expect(bytesOf(Types.NULLABLE(Types.INT), null)).toEqual([0]);
    expect(bytesOf(Types.NULLABLE(Types.INT), 1)).toEqual([1, 1, 0, 0, 0]);
    expect(bytesOf(Types.NULLABLE(Types.INT), undefined)).toEqual([2]);
    expect(bytesOf(Types.GENERIC(), 'a')).toEqual([0x06, 1, 0x61]);
  });

  it('drops properties a ROW does not declare and reads fields back in declaration order', () => {
    const row = Types.ROW({ z: Types.STRING, a: Types.INT });
    const s = row.createSerializer();
    const out = new DataOutputSerializer();
    s.serialize({ a: 1, extra: true, z: 'q' } as { a: number; z: string }, out);
    const back = s.deserialize(new DataInputDeserializer(out.data));
    expect(back).toStrictEqual({ z: 'q', a: 1 });
    expect(Object.keys(back)).toEqual(['z', 'a']);
  });

  it('keeps a ROW field named __proto__ as an own field', () => {
    // a computed key creates an own property named __proto__ (a literal `__proto__:` would set the prototype)
    const row = Types.ROW({ ['__proto__']: Types.STRING, b: Types.INT });
    const value = JSON.parse('{"__proto__": "p", "b": 2}') as { __proto__: string; b: number };
    const s = row.createSerializer();
    const out = new DataOutputSerializer();
    s.serialize(value, out);
    const back = s.deserialize(new DataInputDeserializer(out.data));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toBe('p');
    expect(Object.getOwnPropertyDescriptor(s.copy(value), '__proto__')?.value).toBe('p');
  });

  it('rejects values outside INT, BIGINT and TUPLE arity with a RangeError', () => {
    const out = new DataOutputSerializer();
    expect(() => Types.INT.createSerializer().serialize(2 ** 31, out)).toThrow(/32-bit/);
    expect(() => Types.INT.createSerializer().serialize(1.5, out)).toThrow(RangeError);
    expect(() => Types.BIGINT.createSerializer().serialize(2n ** 63n, out)).toThrow(/64-bit/);
    expect(() => Types.BIGINT.createSerializer().serialize(-(2n ** 63n) - 1n, out)).toThrow(RangeError);
    const pair = Types.TUPLE(Types.STRING, Types.NUMBER).createSerializer();
    expect(() => pair.serialize(['a'] as unknown as [string, number], out)).toThrow(/expects an array of 2 elements, got 1/);
    expect(() => Types.NULLABLE(Types.INT).createSerializer().deserialize(new DataInputDeserializer(new Uint8Array([3])))).toThrow(/presence byte 3/);
  });

  it('copies mutable types deeply and returns immutable ones as they are', () => {
    const str = 'shared';
    expect(Types.STRING.createSerializer().copy(str)).toBe(str);
    expect(Types.NUMBER.createSerializer().copy(-0)).toBe(-0);
    expect(Types.BIGINT.createSerializer().copy(5n)).toBe(5n);

    const date = new Date(10);
    const dateCopy = Types.DATE.createSerializer().copy(date);
    expect(dateCopy).not.toBe(date);
    expect(dateCopy).toStrictEqual(date);

    const bytes = new Uint8Array([1, 2]);
    const bytesCopy = Types.BYTES.createSerializer().copy(bytes);
    bytesCopy[0] = 9;
    expect([...bytes]).toEqual([1, 2]);

    const rowType = Types.ROW({ list: Types.ARRAY(Types.TUPLE(Types.STRING, Types.DATE)), g: Types.GENERIC<{ n: number[] }>(), o: Types.NULLABLE(Types.ARRAY(Types.INT)) });
    const row = { list: [['a', new Date(1)] as [string, Date]], g: { n: [1] }, o: [1] };
    const c = rowType.createSerializer().copy(row);
    expect(c).toStrictEqual(row);
    c.list[0][1].setTime(2);
    c.list.push(['b', new Date(3)]);
    c.g.n.push(2);
    c.o!.push(2);
    expect(row).toStrictEqual({ list: [['a', new Date(1)]], g: { n: [1] }, o: [1] });
    expect(Types.NULLABLE(Types.DATE).createSerializer().copy(null)).toBeNull();
  });

  it('names types and serializers after their structure', () => {
    const t = Types.ROW({ a: Types.NUMBER, b: Types.ARRAY(Types.NULLABLE(Types.STRING)), c: Types.TUPLE(Types.INT, Types.BOOLEAN) });
    expect(t.name).toBe('row(a:number,b:array(nullable(string)),c:tuple(int,boolean))');
    expect(t.createSerializer().id).toBe(t.name);
    expect(Types.GENERIC().name).toBe('generic');
    expect(Types.GENERIC().createSerializer().id).toBe('dynamic');
    expect(Types.STRING.createSerializer()).toBe(Types.STRING.createSerializer());
  });

  it('infers value types from the type information', () => {
    expectTypeOf(Types.TUPLE(Types.STRING, Types.NUMBER)).toEqualTypeOf<TypeInformation<[string, number]>>();
    expectTypeOf(Types.ROW({ a: Types.INT, b: Types.NULLABLE(Types.STRING) })).toEqualTypeOf<
      TypeInformation<{ a: number; b: string | null | undefined }>
    >();
    expectTypeOf(Types.ARRAY(Types.DATE)).toEqualTypeOf<TypeInformation<Date[]>>();
    expectTypeOf(Types.GENERIC<Map<string, number>>()).toEqualTypeOf<TypeInformation<Map<string, number>>>();
  });
});
