import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';
import { MAX_SHAPE_KEYS, type InputShapeTable, type ShapeCodec } from './object-shapes.js';
import type { DataInputView, DataOutputView, TypeSerializer } from './type-serializer.js';

/**
 * Version of the dynamic serializer's byte format below. Bump it (and keep reading the old
 * tags) whenever the format changes; the golden tests pin the current bytes.
 *
 * Format, version 1: every value starts with one tag byte. Numbers use the rules of
 * `DataOutputSerializer` (little-endian fixed width, LEB128 varuint, strings as varuint UTF-8
 * byte length + UTF-8).
 *
 * | tag  | value                                 | payload                                           |
 * |------|---------------------------------------|---------------------------------------------------|
 * | 0x00 | `undefined`                           | –                                                 |
 * | 0x01 | `null`                                | –                                                 |
 * | 0x02 | `false`                               | –                                                 |
 * | 0x03 | `true`                                | –                                                 |
 * | 0x04 | number, int32 and not -0              | zigzag varuint                                    |
 * | 0x05 | any other number (NaN, ±∞, -0, ...)   | float64                                           |
 * | 0x06 | string                                | string                                            |
 * | 0x07 | bigint in [-2^63, 2^63)               | int64                                             |
 * | 0x08 | any other bigint                      | sign byte (0 = +, 1 = -), varuint n, n magnitude bytes, least significant first |
 * | 0x09 | `Date`                                | float64 time value (NaN for an invalid date)      |
 * | 0x0a | `Uint8Array` (and `Buffer`)           | varuint length, bytes                             |
 * | 0x0b | array                                 | varuint length, each element                      |
 * | 0x0c | object                                | varuint field count, then (string key, value)...  |
 * | 0x0d | `Map`                                 | varuint size, then (key, value)...                |
 * | 0x0e | `Set`                                 | varuint size, then each value                     |
 * | 0x0f | other structured-cloneable objects    | varuint length, `node:v8` `serialize` bytes       |
 *
 * Tag 0x0f payloads are in V8's own serialization format: a newer Node reads what an older one
 * wrote, not necessarily the reverse.
 *
 * Channel-only tags. When the output view carries a shape table (`DataOutputView.shapes`, set
 * only by network channel writers, see `object-shapes.ts`), plain objects are written with:
 *
 * | tag  | value                                 | payload                                           |
 * |------|---------------------------------------|---------------------------------------------------|
 * | 0x10 | object, new shape                     | varuint field count, the string keys, then the values in key order; the shape gets the channel's next id |
 * | 0x11 | object, known shape                   | varuint shape id, then the values in key order    |
 *
 * These depend on what was written before on the same channel, so they never appear in bytes
 * written without a shape table (state, splits, anything persisted): those stay version 1 as
 * above, and reading 0x10/0x11 without a table fails.
 */
export const DYNAMIC_SERIALIZER_VERSION = 1;

/** Tag bytes of format version 1. */
const enum Tag {
  Undefined = 0x00,
  Null = 0x01,
  False = 0x02,
  True = 0x03,
  Int = 0x04,
  Float = 0x05,
  String = 0x06,
  BigInt64 = 0x07,
  BigIntVar = 0x08,
  Date = 0x09,
  Bytes = 0x0a,
  Array = 0x0b,
  Object = 0x0c,
  Map = 0x0d,
  Set = 0x0e,
  V8 = 0x0f,
  /** Channel-only: an object whose shape is defined here. */
  ShapeDef = 0x10,
  /** Channel-only: an object of a shape defined earlier on the channel. */
  ShapeRef = 0x11,
}

/** Nesting deeper than this is taken for a cycle (cyclic values are not supported). */
const MAX_DEPTH = 1000;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The serializer used for every stream whose type was not declared: self-describing, so it
 * accepts any value made of the kinds below and reads back an equal value.
 *
 * What round-trips, and how:
 * - primitives except symbols: `undefined`, `null`, booleans, numbers (including -0, NaN,
 *   ±Infinity), strings (lone surrogates become U+FFFD, as with `TextEncoder`), bigints;
 * - `Date`, `Uint8Array` (a `Buffer` reads back as a plain `Uint8Array`), arrays (holes read
 *   back as `undefined`; non-index properties are dropped), `Map`, `Set`;
 * - plain objects: own enumerable string-keyed properties, in `Object.keys` order;
 * - **class instances become plain objects** of their own enumerable properties (the
 *   prototype, getters and methods are lost). Declare a type if you need the class back;
 * - other structured-cloneable values (typed arrays other than `Uint8Array`, `ArrayBuffer`,
 *   `RegExp`, `Error`, boxed primitives) go through `node:v8` `serialize`, so they are correct
 *   but slower and bigger.
 *
 * Functions, symbols, `WeakMap`, `WeakSet`, `WeakRef` and `Promise` throw a `TypeError` naming
 * the type. Cyclic structures are not supported: nesting deeper than 1000 levels throws.
 *
 * Stateless; use the shared instance from {@link dynamicSerializer}.
 */
export class DynamicSerializer implements TypeSerializer<unknown> {
  readonly id = 'dynamic';

  serialize(value: unknown, out: DataOutputView): void {
    writeValue(value, out, 0);
  }

  deserialize(input: DataInputView): unknown {
    return readValue(input, input.readUint8(), 0);
  }

  /**
   * A deep copy with the same semantics as a serialization round trip (class instances
   * become plain objects), without going through bytes.
   */
  copy(value: unknown): unknown {
    return copyValue(value, 0);
  }
}

const shared = new DynamicSerializer();

/** The shared {@link DynamicSerializer}; the default serializer of undeclared types. */
export function dynamicSerializer(): TypeSerializer<any> {
  return shared;
}

function unsupported(value: unknown): never {
  if (typeof value === 'function') {
    throw new TypeError(
      `The dynamic serializer cannot serialize a function${value.name ? ` (${value.name})` : ''}; records must be data`,
    );
  }
  if (typeof value === 'symbol') {
    throw new TypeError(`The dynamic serializer cannot serialize a symbol (${String(value)}); records must be data`);
  }
  const name = (value as object)?.constructor?.name ?? typeof value;
  throw new TypeError(`The dynamic serializer cannot serialize a ${name}; records must be data`);
}

function tooDeep(): never {
  throw new RangeError(`The dynamic serializer cannot serialize values nested deeper than ${MAX_DEPTH} levels (cyclic value?)`);
}

function writeInt(v: number, out: DataOutputView): void {
  out.writeUint8(Tag.Int);
  out.writeVarUint(((v << 1) ^ (v >> 31)) >>> 0);
}

function writeValue(v: unknown, out: DataOutputView, depth: number): void {
  switch (typeof v) {
    case 'string':
      out.writeUint8(Tag.String);
      out.writeString(v);
      return;
    case 'number':
      if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
        writeInt(v, out);
      } else {
        out.writeUint8(Tag.Float);
        out.writeFloat64(v);
      }
      return;
    case 'boolean':
      out.writeUint8(v ? Tag.True : Tag.False);
      return;
    case 'undefined':
      out.writeUint8(Tag.Undefined);
      return;
    case 'bigint':
      writeBigInt(v, out);
      return;
    case 'object':
      if (v === null) {
        out.writeUint8(Tag.Null);
        return;
      }
      writeObject(v, out, depth);
      return;
    default:
      unsupported(v);
  }
}

function writeBigInt(v: bigint, out: DataOutputView): void {
  if (v >= INT64_MIN && v <= INT64_MAX) {
    out.writeUint8(Tag.BigInt64);
    out.writeBigInt64(v);
    return;
  }
  out.writeUint8(Tag.BigIntVar);
  const negative = v < 0n;
  let m = negative ? -v : v;
  const bytes: number[] = [];
  while (m > 0n) {
    bytes.push(Number(m & 0xffn));
    m >>= 8n;
  }
  out.writeUint8(negative ? 1 : 0);
  out.writeBytes(Uint8Array.from(bytes));
}

function writeObject(v: object, out: DataOutputView, depth: number): void {
  if (++depth > MAX_DEPTH) tooDeep();
  if (Array.isArray(v)) {
    const n = v.length;
    out.writeUint8(Tag.Array);
    out.writeVarUint(n);
    for (let i = 0; i < n; i++) writeValue(v[i], out, depth);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    if (v instanceof Date) {
      out.writeUint8(Tag.Date);
      out.writeFloat64(v.getTime());
      return;
    }
    if (v instanceof Uint8Array) {
      out.writeUint8(Tag.Bytes);
      out.writeBytes(v);
      return;
    }
    if (v instanceof Map) {
      out.writeUint8(Tag.Map);
      out.writeVarUint(v.size);
      for (const [key, value] of v) {
        writeValue(key, out, depth);
        writeValue(value, out, depth);
      }
      return;
    }
    if (v instanceof Set) {
      out.writeUint8(Tag.Set);
      out.writeVarUint(v.size);
      for (const value of v) writeValue(value, out, depth);
      return;
    }
    if (isV8Only(v)) {
      out.writeUint8(Tag.V8);
      out.writeBytes(v8Serialize(v));
      return;
    }
    if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) unsupported(v);
  }
  const keys = Object.keys(v);
  const n = keys.length;
  const shapes = out.shapes;
  if (shapes != null) {
    const known = shapes.lookup(keys);
    if (known !== undefined) {
      out.writeUint8(Tag.ShapeRef);
      out.writeVarUint(known.id);
      known.codec.writeValues(v, out, depth);
      return;
    }
    const codec = n <= MAX_SHAPE_KEYS ? codecFor(keys) : undefined;
    if (codec !== undefined && shapes.define(keys, codec) !== undefined) {
      out.writeUint8(Tag.ShapeDef);
      out.writeVarUint(n);
      for (let i = 0; i < n; i++) out.writeString(keys[i]);
      codec.writeValues(v, out, depth);
      return;
    }
  }
  out.writeUint8(Tag.Object);
  out.writeVarUint(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    out.writeString(key);
    writeValue((v as Record<string, unknown>)[key], out, depth);
  }
}

/** Codecs by key list (JSON of the keys), shared by every channel; bounded. */
const codecs = new Map<string, ShapeCodec>();
/** Compiled codecs kept at most; beyond, shapes get an uncompiled (loop) codec. */
const MAX_COMPILED_CODECS = 4096;
/** Shapes with more keys than this get an uncompiled codec (keeps generated functions small). */
const MAX_COMPILED_KEYS = 128;

/** The codec of objects with exactly `keys` (from `Object.keys`, in that order). */
function codecFor(keys: readonly string[]): ShapeCodec {
  const id = JSON.stringify(keys);
  let codec = codecs.get(id);
  if (codec === undefined) {
    codec = (keys.length <= MAX_COMPILED_KEYS && codecs.size < MAX_COMPILED_CODECS && compileCodec(keys)) || new LoopCodec(keys);
    if (codecs.size < MAX_COMPILED_CODECS) codecs.set(id, codec);
  }
  return codec;
}

/** Reads a tagged value; what compiled codecs call per field. */
function readField(input: DataInputView, depth: number): unknown {
  return readValue(input, input.readUint8(), depth);
}

/**
 * Generates straight-line code for one shape: the writer reads each field by name (one
 * monomorphic property load per field instead of a keyed load in a loop), the reader builds the
 * object with one object literal (V8 creates it with its final hidden class at once, instead of
 * transitioning through one class per added key). Generated once per key list, not per record.
 * Keys are embedded as JSON string literals (valid JavaScript string literals); `__proto__` as a
 * computed key, which defines an own property instead of setting the prototype. Returns
 * `undefined` where code generation is not allowed (a Content-Security-Policy without
 * unsafe-eval).
 */
function compileCodec(keys: readonly string[]): ShapeCodec | undefined {
  const reads: string[] = [];
  const writes: string[] = [];
  for (const key of keys) {
    const lit = JSON.stringify(key);
    writes.push(`writeValue(v[${lit}], out, depth);`);
    reads.push(key === '__proto__' ? `[${lit}]: readField(input, depth)` : `${lit}: readField(input, depth)`);
  }
  try {
    const make = new Function(
      'writeValue',
      'readField',
      `'use strict';
return {
  writeValues(v, out, depth) { ${writes.join('\n')} },
  readObject(input, depth) { return { ${reads.join(',\n')} }; },
};`,
    ) as (w: typeof writeValue, r: typeof readField) => ShapeCodec;
    return make(writeValue, readField);
  } catch {
    return undefined;
  }
}

/** The codec of shapes that are not compiled: the same bytes through loops. */
class LoopCodec implements ShapeCodec {
  constructor(private readonly keys: readonly string[]) {}

  writeValues(v: object, out: DataOutputView, depth: number): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) writeValue((v as Record<string, unknown>)[keys[i]], out, depth);
  }

  readObject(input: DataInputView, depth: number): object {
    const keys = this.keys;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const value = readValue(input, input.readUint8(), depth);
      if (key === '__proto__') defineField(o, key, value);
      else o[key] = value;
    }
    return o;
  }
}

function channelShapes(input: DataInputView): InputShapeTable {
  const shapes = input.shapes;
  if (shapes == null) {
    throw new RangeError(
      `The dynamic serializer read an object shape tag at position ${input.position - 1} outside a network channel (corrupt input?)`,
    );
  }
  return shapes;
}

/** Structured-cloneable built-ins the dynamic format has no tag of its own for. */
function isV8Only(v: object): boolean {
  return (
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof SharedArrayBuffer ||
    v instanceof RegExp ||
    v instanceof Error ||
    v instanceof Number ||
    v instanceof String ||
    v instanceof Boolean ||
    v instanceof BigInt
  );
}

/** Reads one value whose tag byte has already been read. */
function readValue(input: DataInputView, tag: number, depth: number): unknown {
  switch (tag) {
    case Tag.String:
      return input.readString();
    case Tag.Int: {
      const z = input.readVarUint();
      return (z >>> 1) ^ -(z & 1);
    }
    case Tag.Float:
      return input.readFloat64();
    case Tag.Array: {
      if (++depth > MAX_DEPTH) tooDeep();
      const n = input.readVarUint();
      // Literals for short arrays (tuples) make packed arrays of the exact size, measured
      // faster than push. Array literal elements are evaluated left to right.
      if (n === 2) return [readValue(input, input.readUint8(), depth), readValue(input, input.readUint8(), depth)];
      if (n === 3) {
        return [
          readValue(input, input.readUint8(), depth),
          readValue(input, input.readUint8(), depth),
          readValue(input, input.readUint8(), depth),
        ];
      }
      const a: unknown[] = [];
      for (let i = 0; i < n; i++) a.push(readValue(input, input.readUint8(), depth));
      return a;
    }
    case Tag.Object: {
      if (++depth > MAX_DEPTH) tooDeep();
      const n = input.readVarUint();
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = input.readString();
        const value = readValue(input, input.readUint8(), depth);
        if (key === '__proto__') defineField(o, key, value);
        else o[key] = value;
      }
      return o;
    }
    case Tag.ShapeRef: {
      if (++depth > MAX_DEPTH) tooDeep();
      return channelShapes(input).get(input.readVarUint()).codec.readObject(input, depth);
    }
    case Tag.ShapeDef: {
      if (++depth > MAX_DEPTH) tooDeep();
      const shapes = channelShapes(input);
      const n = input.readVarUint();
      const keys: string[] = [];
      for (let i = 0; i < n; i++) keys.push(input.readString());
      return shapes.define(keys, codecFor(keys)).codec.readObject(input, depth);
    }
    case Tag.Undefined:
      return undefined;
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.BigInt64:
      return input.readBigInt64();
    case Tag.BigIntVar: {
      const negative = input.readUint8() === 1;
      const bytes = input.readBytes();
      let m = 0n;
      for (let i = bytes.length - 1; i >= 0; i--) m = (m << 8n) | BigInt(bytes[i]);
      return negative ? -m : m;
    }
    case Tag.Date:
      return new Date(input.readFloat64());
    case Tag.Bytes:
      return input.readBytes();
    case Tag.Map: {
      if (++depth > MAX_DEPTH) tooDeep();
      const n = input.readVarUint();
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const key = readValue(input, input.readUint8(), depth);
        m.set(key, readValue(input, input.readUint8(), depth));
      }
      return m;
    }
    case Tag.Set: {
      if (++depth > MAX_DEPTH) tooDeep();
      const n = input.readVarUint();
      const s = new Set<unknown>();
      for (let i = 0; i < n; i++) s.add(readValue(input, input.readUint8(), depth));
      return s;
    }
    case Tag.V8:
      return v8Deserialize(input.readBytes());
    default:
      throw new RangeError(
        `The dynamic serializer read unknown tag 0x${tag.toString(16)} at position ${input.position - 1} (corrupt input or newer format)`,
      );
  }
}

/** Sets `key` as an own data property even when it is `__proto__`. @internal */
export function defineField(o: object, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

function copyValue(v: unknown, depth: number): unknown {
  if (typeof v !== 'object' || v === null) {
    if (typeof v === 'function' || typeof v === 'symbol') unsupported(v);
    return v;
  }
  if (++depth > MAX_DEPTH) tooDeep();
  if (Array.isArray(v)) {
    const n = v.length;
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(copyValue(v[i], depth));
    return a;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    if (v instanceof Date) return new Date(v.getTime());
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (v instanceof Map) {
      const m = new Map<unknown, unknown>();
      for (const [key, value] of v) m.set(copyValue(key, depth), copyValue(value, depth));
      return m;
    }
    if (v instanceof Set) {
      const s = new Set<unknown>();
      for (const value of v) s.add(copyValue(value, depth));
      return s;
    }
    if (isV8Only(v)) return v8Deserialize(v8Serialize(v));
    if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef) unsupported(v);
  }
  const o: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const value = copyValue((v as Record<string, unknown>)[key], depth);
    if (key === '__proto__') defineField(o, key, value);
    else o[key] = value;
  }
  return o;
}
