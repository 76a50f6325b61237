import { dynamicSerializer } from '../serialization/dynamic-serializer.js';
import { BIGINT_TYPE, BOOLEAN_TYPE, BYTES_TYPE, DATE_TYPE, INT_TYPE, NUMBER_TYPE, STRING_TYPE, SimpleTypeInformation } from './basic-types.js';
import { arrayType, nullableType, rowType, tupleType, type RowOf, type TupleOf } from './composite-types.js';
import type { TypeInformation } from './type-information.js';

const GENERIC_TYPE: TypeInformation<any> = new SimpleTypeInformation('generic', dynamicSerializer());

/**
 * Type information for record types (Flink's `Types`). Declared types serialize faster and
 * smaller than the dynamic default because no tags or field names are written.
 *
 * The byte formats are persisted (state, savepoints) and are pinned by golden tests; they
 * never change silently.
 */
export const Types = {
  /** Any JS number, as a 64-bit float (-0, NaN and ±Infinity round-trip). */
  NUMBER: NUMBER_TYPE,
  /** 32-bit signed integers; serializing anything else throws a `RangeError`. */
  INT: INT_TYPE,
  /** Strings as UTF-8 (lone surrogates become U+FFFD, as with `TextEncoder`). */
  STRING: STRING_TYPE,
  BOOLEAN: BOOLEAN_TYPE,
  /**
   * bigints in the signed 64-bit range [-2^63, 2^63); serializing a value outside it throws a
   * `RangeError` (use `GENERIC` for arbitrary-precision bigints).
   */
  BIGINT: BIGINT_TYPE,
  /** `Date`s by time value (an invalid date round-trips as an invalid date). */
  DATE: DATE_TYPE,
  /** `Uint8Array`s (a `Buffer` reads back as a plain `Uint8Array`). */
  BYTES: BYTES_TYPE,
  /** Any value, through the self-describing dynamic serializer (see `DynamicSerializer`). */
  GENERIC<T>(): TypeInformation<T> {
    return GENERIC_TYPE;
  },
  /** Arrays of any length whose elements all have type `elem`. */
  ARRAY<T>(elem: TypeInformation<T>): TypeInformation<T[]> {
    return arrayType(elem);
  },
  /**
   * Fixed-length JS arrays, element `i` of type `elems[i]`:
   * `Types.TUPLE(Types.STRING, Types.NUMBER)` describes `[string, number]`. Serializing an
   * array of another length throws a `RangeError`.
   */
  TUPLE<E extends readonly TypeInformation<unknown>[]>(...elems: E): TypeInformation<TupleOf<E>> {
    return tupleType(elems);
  },
  /**
   * Plain objects with known fields: `Types.ROW({ id: Types.INT, name: Types.STRING })`.
   * Fields are serialized in declaration order (the `Object.keys` order of `fields`, so
   * integer-like names come first) without their names; other properties are dropped.
   */
  ROW<F extends Record<string, TypeInformation<unknown>>>(fields: F): TypeInformation<RowOf<F>> {
    return rowType(fields);
  },
  /** `inner`, or `null`, or `undefined` (one presence byte, then the value). */
  NULLABLE<T>(inner: TypeInformation<T>): TypeInformation<T | null | undefined> {
    return nullableType(inner);
  },
} as const;
