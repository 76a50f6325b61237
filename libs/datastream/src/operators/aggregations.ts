import type { ReduceFunction } from '@riffle/core';

/**
 * The built-in rolling aggregations of `KeyedStream` (Flink's `SumAggregator` and
 * `ComparableAggregator`), as reduce functions over `(aggregate so far, new record)`.
 *
 * A field is a tuple position (`0`, `1`, … for array records) or a field name, with dots for
 * nested fields (`"user.age"`, `"f1"` or `"1"` for a position inside a nested array).
 *
 * Semantics, as in Flink:
 * - `sum(f)`: field `f` holds the running sum; the other fields keep the values of the key's first record.
 * - `min(f)` / `max(f)`: field `f` holds the running minimum/maximum; the other fields keep the
 *   values of the key's first record.
 * - `minBy(f, first)` / `maxBy(f, first)`: the whole record that has the minimum/maximum `f`;
 *   among equal values the earliest record when `first` (the default), else the latest.
 *
 * Records are never mutated: an updated aggregate is a copy.
 */
export type AggregationField = number | string;

/** Reads and writes (copy-on-write) one field of a record. */
export class FieldAccessor {
  private readonly path: ReadonlyArray<string | number>;

  constructor(readonly field: AggregationField) {
    if (typeof field === 'number') {
      if (!Number.isInteger(field) || field < 0) throw new Error(`aggregation field position must be a non-negative integer, got ${field}`);
      this.path = [field];
    } else {
      if (field === '') throw new Error('aggregation field name must not be empty');
      this.path = field.split('.');
    }
  }

  get(record: unknown): unknown {
    let value = record;
    for (let i = 0; i < this.path.length; i++) {
      if (value === null || typeof value !== 'object') throw this.missing(record);
      value = (value as Record<string | number, unknown>)[segment(value, this.path[i]!)];
    }
    return value;
  }

  /** A copy of `record` with the field set to `value`; the copied path is shallow-copied. */
  set<T>(record: T, value: unknown): T {
    return this.setAt(record, 0, value) as T;
  }

  /**
   * Sets the field in `record` itself, mutating it: only for records the caller owns (e.g. a
   * copy made by {@link set}), as window aggregations do with their accumulator.
   */
  setInPlace(record: unknown, value: unknown): void {
    let node = record;
    const last = this.path.length - 1;
    for (let i = 0; i < last; i++) {
      if (node === null || typeof node !== 'object') throw this.missing(record);
      node = (node as Record<string | number, unknown>)[segment(node, this.path[i]!)];
    }
    if (node === null || typeof node !== 'object') throw this.missing(record);
    (node as Record<string | number, unknown>)[segment(node, this.path[last]!)] = value;
  }

  private setAt(node: unknown, depth: number, value: unknown): unknown {
    if (node === null || typeof node !== 'object') throw this.missing(node);
    const key = segment(node, this.path[depth]!);
    const copy = (Array.isArray(node) ? (node as unknown[]).slice() : { ...(node as object) }) as Record<string | number, unknown>;
    copy[key] = depth === this.path.length - 1 ? value : this.setAt((node as Record<string | number, unknown>)[key], depth + 1, value);
    return copy;
  }

  private missing(record: unknown): Error {
    return new Error(`aggregation field '${this.field}' does not exist in record ${describe(record)}`);
  }
}

/** Array positions may be written `1` or `f1` (Flink's tuple field names). */
function segment(container: object, name: string | number): string | number {
  if (typeof name === 'number') return name;
  if (Array.isArray(container)) {
    const m = /^f?(\d+)$/.exec(name);
    if (m) return Number(m[1]);
  }
  return name;
}

function describe(value: unknown): string {
  try {
    const s = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    return s === undefined ? String(value) : s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return String(value);
  }
}

/** `sum(field)`: numbers add as numbers, bigints as bigints. */
export class SumAggregator<T> implements ReduceFunction<T> {
  private readonly accessor: FieldAccessor;

  constructor(field: AggregationField) {
    this.accessor = new FieldAccessor(field);
  }

  reduce(aggregate: T, value: T): T {
    const a = this.accessor.get(aggregate);
    const b = this.accessor.get(value);
    if (typeof a === 'number' && typeof b === 'number') return this.accessor.set(aggregate, a + b);
    if (typeof a === 'bigint' && typeof b === 'bigint') return this.accessor.set(aggregate, a + b);
    throw new TypeError(`sum('${this.accessor.field}'): cannot add ${typeof a} and ${typeof b}; the field must hold numbers or bigints`);
  }
}

export type ComparableAggregationType = 'min' | 'max' | 'minBy' | 'maxBy';

/** `min`, `max`, `minBy` and `maxBy` of a field. */
export class ComparableAggregator<T> implements ReduceFunction<T> {
  private readonly accessor: FieldAccessor;
  private readonly byRecord: boolean;
  /** +1 when larger values win (max), -1 when smaller do (min). */
  private readonly direction: number;

  constructor(
    readonly type: ComparableAggregationType,
    field: AggregationField,
    /** For minBy/maxBy: keep the earlier record among equals. */
    private readonly first = true,
  ) {
    this.accessor = new FieldAccessor(field);
    this.byRecord = type === 'minBy' || type === 'maxBy';
    this.direction = type === 'max' || type === 'maxBy' ? 1 : -1;
  }

  reduce(aggregate: T, value: T): T {
    const a = this.accessor.get(aggregate);
    const b = this.accessor.get(value);
    const c = compareValues(a, b, this.type, this.accessor.field) * this.direction; // > 0: a is more extreme
    if (this.byRecord) {
      if (c === 0) return this.first ? aggregate : value;
      return c > 0 ? aggregate : value;
    }
    // Flink sets the field whenever the aggregate is not strictly more extreme (also on ties).
    return c > 0 ? aggregate : this.accessor.set(aggregate, b);
  }
}

/** Orders numbers, bigints (also mixed with numbers), strings, booleans and Dates. */
export function compareValues(a: unknown, b: unknown, api: string, field: AggregationField): number {
  const x = comparable(a);
  const y = comparable(b);
  if (x === undefined || y === undefined || (typeof x === 'string') !== (typeof y === 'string')) {
    throw new TypeError(`${api}('${field}'): cannot compare ${typeName(a)} with ${typeName(b)}`);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function comparable(v: unknown): number | bigint | string | undefined {
  switch (typeof v) {
    case 'number':
    case 'bigint':
    case 'string':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    default:
      return v instanceof Date ? v.getTime() : undefined;
  }
}

function typeName(v: unknown): string {
  return v === null ? 'null' : v instanceof Date ? 'Date' : typeof v;
}
