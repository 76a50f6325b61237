import { defineField } from '../serialization/dynamic-serializer.js';
import type { DataInputView, DataOutputView, TypeSerializer } from '../serialization/type-serializer.js';
import type { InferType, TypeInformation } from './type-information.js';

/**
 * Serializers of the composite `Types` entries. Encodings (version 1, pinned by golden tests):
 * array = varuint length + elements; tuple = the elements in order, no length; row = the
 * declared fields' values in declaration order, no names; nullable = one presence byte
 * (0 = null, 1 = value follows, 2 = undefined) then the value.
 */

/** Element types of a tuple mapped to their values. */
export type TupleOf<E extends readonly TypeInformation<unknown>[]> = { -readonly [K in keyof E]: InferType<E[K]> };

/** Field types of a row mapped to their values. */
export type RowOf<F extends Record<string, TypeInformation<unknown>>> = { [K in keyof F]: InferType<F[K]> };

/** A {@link TypeInformation} holding one serializer built at construction. @internal */
class CompositeTypeInformation<T> implements TypeInformation<T> {
  readonly name: string;
  constructor(private readonly serializer: TypeSerializer<T>) {
    this.name = serializer.id;
  }
  createSerializer(): TypeSerializer<T> {
    return this.serializer;
  }
  toString(): string {
    return this.name;
  }
}

class ArraySerializer<T> implements TypeSerializer<T[]> {
  readonly id: string;
  constructor(private readonly elem: TypeSerializer<T>) {
    this.id = `array(${elem.id})`;
  }
  serialize(value: T[], out: DataOutputView): void {
    const n = value.length;
    const elem = this.elem;
    out.writeVarUint(n);
    for (let i = 0; i < n; i++) elem.serialize(value[i], out);
  }
  deserialize(input: DataInputView): T[] {
    const n = input.readVarUint();
    const elem = this.elem;
    const a: T[] = [];
    for (let i = 0; i < n; i++) a.push(elem.deserialize(input));
    return a;
  }
  copy(value: T[]): T[] {
    const n = value.length;
    const elem = this.elem;
    const a: T[] = [];
    for (let i = 0; i < n; i++) a.push(elem.copy(value[i]));
    return a;
  }
}

class TupleSerializer<T extends unknown[]> implements TypeSerializer<T> {
  readonly id: string;
  constructor(private readonly elems: TypeSerializer<unknown>[]) {
    this.id = `tuple(${elems.map((e) => e.id).join(',')})`;
  }
  serialize(value: T, out: DataOutputView): void {
    const elems = this.elems;
    const n = elems.length;
    if (value.length !== n) {
      throw new RangeError(`${this.id} expects an array of ${n} elements, got ${value.length}`);
    }
    for (let i = 0; i < n; i++) elems[i].serialize(value[i], out);
  }
  deserialize(input: DataInputView): T {
    const elems = this.elems;
    const n = elems.length;
    // Literals make packed arrays of the exact size (measured faster than push); array
    // literal elements are evaluated left to right.
    if (n === 2) return [elems[0].deserialize(input), elems[1].deserialize(input)] as T;
    if (n === 3) return [elems[0].deserialize(input), elems[1].deserialize(input), elems[2].deserialize(input)] as T;
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(elems[i].deserialize(input));
    return a as T;
  }
  copy(value: T): T {
    const elems = this.elems;
    const n = elems.length;
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(elems[i].copy(value[i]));
    return a as T;
  }
}

class RowSerializer<T extends object> implements TypeSerializer<T> {
  readonly id: string;
  private readonly hasProtoField: boolean;
  constructor(
    private readonly names: string[],
    private readonly fields: TypeSerializer<unknown>[],
  ) {
    this.id = `row(${names.map((name, i) => `${name}:${fields[i].id}`).join(',')})`;
    this.hasProtoField = names.includes('__proto__');
  }
  serialize(value: T, out: DataOutputView): void {
    const names = this.names;
    const fields = this.fields;
    for (let i = 0; i < names.length; i++) fields[i].serialize((value as Record<string, unknown>)[names[i]], out);
  }
  deserialize(input: DataInputView): T {
    const names = this.names;
    const fields = this.fields;
    const o: Record<string, unknown> = {};
    if (this.hasProtoField) {
      for (let i = 0; i < names.length; i++) defineField(o, names[i], fields[i].deserialize(input));
    } else {
      for (let i = 0; i < names.length; i++) o[names[i]] = fields[i].deserialize(input);
    }
    return o as T;
  }
  copy(value: T): T {
    const names = this.names;
    const fields = this.fields;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      defineOrSet(o, names[i], fields[i].copy((value as Record<string, unknown>)[names[i]]), this.hasProtoField);
    }
    return o as T;
  }
}

function defineOrSet(o: Record<string, unknown>, key: string, value: unknown, define: boolean): void {
  if (define) defineField(o, key, value);
  else o[key] = value;
}

const NULL = 0;
const PRESENT = 1;
const UNDEFINED = 2;

class NullableSerializer<T> implements TypeSerializer<T | null | undefined> {
  readonly id: string;
  constructor(private readonly inner: TypeSerializer<T>) {
    this.id = `nullable(${inner.id})`;
  }
  serialize(value: T | null | undefined, out: DataOutputView): void {
    if (value === null) {
      out.writeUint8(NULL);
    } else if (value === undefined) {
      out.writeUint8(UNDEFINED);
    } else {
      out.writeUint8(PRESENT);
      this.inner.serialize(value, out);
    }
  }
  deserialize(input: DataInputView): T | null | undefined {
    const b = input.readUint8();
    if (b === PRESENT) return this.inner.deserialize(input);
    if (b === NULL) return null;
    if (b === UNDEFINED) return undefined;
    throw new RangeError(`${this.id}: invalid presence byte ${b} at position ${input.position - 1}`);
  }
  copy(value: T | null | undefined): T | null | undefined {
    return value === null || value === undefined ? value : this.inner.copy(value);
  }
}

/** @internal */
export function arrayType<T>(elem: TypeInformation<T>): TypeInformation<T[]> {
  return new CompositeTypeInformation(new ArraySerializer(elem.createSerializer()));
}

/** @internal */
export function tupleType<E extends readonly TypeInformation<unknown>[]>(elems: E): TypeInformation<TupleOf<E>> {
  return new CompositeTypeInformation(new TupleSerializer<TupleOf<E>>(elems.map((e) => e.createSerializer())));
}

/** @internal */
export function rowType<F extends Record<string, TypeInformation<unknown>>>(fields: F): TypeInformation<RowOf<F>> {
  const names = Object.keys(fields);
  return new CompositeTypeInformation(
    new RowSerializer<RowOf<F>>(
      names,
      names.map((name) => fields[name].createSerializer()),
    ),
  );
}

/** @internal */
export function nullableType<T>(inner: TypeInformation<T>): TypeInformation<T | null | undefined> {
  return new CompositeTypeInformation(new NullableSerializer(inner.createSerializer()));
}
