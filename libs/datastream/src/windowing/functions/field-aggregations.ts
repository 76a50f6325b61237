import { compareValues, FieldAccessor, type AggregationField, type ComparableAggregationType } from '../../operators/aggregations.js';
import type { AggregateFunction } from '@riffle/core';

/**
 * The built-in field aggregations of windows (`sum`, `min`, `max`, `minBy`, `maxBy`) as
 * aggregate functions that work in place: the accumulator holds a private copy of the window's
 * first element and later elements update its field, so an element costs no copy and no state
 * write (Flink's `SumAggregator` likewise aggregates into its own copy). Results are the same as
 * those of the rolling aggregations' reduce functions (see `operators/aggregations.ts`); each
 * result is a fresh copy, so later elements of a window that fires again (allowed lateness) do
 * not change what was emitted before.
 */

/**
 * Field access for the aggregations: a direct property read/write for a top-level field (a
 * tuple position, or a field name that cannot mean a position), else the general accessor.
 */
class FieldAccess {
  readonly accessor: FieldAccessor;
  private readonly direct: string | number | undefined;

  constructor(readonly field: AggregationField) {
    this.accessor = new FieldAccessor(field);
    this.direct = typeof field === 'number' ? field : field.includes('.') || /^f?\d+$/.test(field) ? undefined : field;
  }

  get(record: unknown): unknown {
    const d = this.direct;
    if (d !== undefined && record !== null && typeof record === 'object') return (record as Record<string | number, unknown>)[d];
    return this.accessor.get(record);
  }

  /** Sets the field of a record this code owns. */
  setInPlace(record: unknown, value: unknown): void {
    const d = this.direct;
    if (d !== undefined && record !== null && typeof record === 'object') (record as Record<string | number, unknown>)[d] = value;
    else this.accessor.setInPlace(record, value);
  }

  /** A copy of `record` (along the field's path), the field set to `value`. */
  copyWith<T>(record: T, value: unknown): T {
    return this.accessor.set(record, value);
  }
}

/** The accumulator: the aggregate record so far (`undefined` before the first element). */
export interface FieldAggregate<T> {
  value: T | undefined;
}

/** `sum(field)`: the field holds the sum; other fields are the first element's. */
export class SumAggregateFunction<T> implements AggregateFunction<T, FieldAggregate<T>, T> {
  private readonly accessor: FieldAccess;

  constructor(field: AggregationField) {
    this.accessor = new FieldAccess(field);
  }

  createAccumulator(): FieldAggregate<T> {
    return { value: undefined };
  }

  add(value: T, acc: FieldAggregate<T>): FieldAggregate<T> {
    if (acc.value === undefined) {
      acc.value = this.accessor.copyWith(value, this.accessor.get(value));
      return acc;
    }
    this.accessor.setInPlace(acc.value, this.plus(this.accessor.get(acc.value), this.accessor.get(value)));
    return acc;
  }

  getResult(acc: FieldAggregate<T>): T {
    return this.accessor.copyWith(acc.value as T, this.accessor.get(acc.value));
  }

  merge(a: FieldAggregate<T>, b: FieldAggregate<T>): FieldAggregate<T> {
    if (a.value === undefined) return b;
    if (b.value !== undefined) this.accessor.setInPlace(a.value, this.plus(this.accessor.get(a.value), this.accessor.get(b.value)));
    return a;
  }

  private plus(a: unknown, b: unknown): unknown {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
    throw this.notAddable(a, b);
  }

  private notAddable(a: unknown, b: unknown): Error {
    return new TypeError(`sum('${this.accessor.field}'): cannot add ${typeof a} and ${typeof b}; the field must hold numbers or bigints`);
  }
}

/**
 * `min`/`max(field)` (the field holds the extreme; other fields are the first element's) and
 * `minBy`/`maxBy(field, first)` (the element holding the extreme; the first or last among equals).
 */
export class ComparableAggregateFunction<T> implements AggregateFunction<T, FieldAggregate<T>, T> {
  private readonly accessor: FieldAccess;
  private readonly byRecord: boolean;
  private readonly direction: number;

  constructor(
    private readonly type: ComparableAggregationType,
    field: AggregationField,
    private readonly first = true,
  ) {
    this.accessor = new FieldAccess(field);
    this.byRecord = type === 'minBy' || type === 'maxBy';
    this.direction = type === 'max' || type === 'maxBy' ? 1 : -1;
  }

  createAccumulator(): FieldAggregate<T> {
    return { value: undefined };
  }

  add(value: T, acc: FieldAggregate<T>): FieldAggregate<T> {
    if (acc.value === undefined) {
      // minBy/maxBy keep elements as they are (never mutated); min/max own a copy.
      acc.value = this.byRecord ? value : this.accessor.copyWith(value, this.accessor.get(value));
      return acc;
    }
    this.combine(acc, value);
    return acc;
  }

  getResult(acc: FieldAggregate<T>): T {
    return this.byRecord ? (acc.value as T) : this.accessor.copyWith(acc.value as T, this.accessor.get(acc.value));
  }

  merge(a: FieldAggregate<T>, b: FieldAggregate<T>): FieldAggregate<T> {
    if (a.value === undefined) return b;
    if (b.value !== undefined) this.combine(a, b.value);
    return a;
  }

  private combine(acc: FieldAggregate<T>, value: T): void {
    const b = this.accessor.get(value);
    const c = compareValues(this.accessor.get(acc.value), b, this.type, this.accessor.field) * this.direction; // > 0: the aggregate is more extreme
    if (this.byRecord) {
      if (c < 0 || (c === 0 && !this.first)) acc.value = value;
    } else if (c <= 0) {
      // As Flink (and the rolling aggregations): set the field also on ties.
      this.accessor.setInPlace(acc.value, b);
    }
  }
}
