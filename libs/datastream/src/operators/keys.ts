import type { KeySelector } from '@riffle/core';

/**
 * Key handling inside keyed operators. The key selector comes from the operator's setup
 * parameters (the StreamGraph node's key selectors).
 */

/** The key selector of keyed input `index`; throws naming the operator when the input is not keyed. */
export function requireKeySelector(selectors: ReadonlyArray<KeySelector<any, any> | undefined>, index: number, operator: string): KeySelector<any, any> {
  const selector = selectors[index];
  if (!selector) throw new Error(`Operator '${operator}' needs a keyed input ${index === 0 ? '' : `(input ${index + 1}) `}but got none: use keyBy() first`);
  return selector;
}

/** Extracts a record's key; a key selector returning `undefined` is an error naming the operator. */
export function extractKey(selector: KeySelector<any, any>, value: unknown, operator: string): unknown {
  const key = selector.getKey(value);
  if (key === undefined) {
    throw new Error(`The key selector of operator '${operator}' returned undefined for a record; every record must have a key (null is allowed)`);
  }
  return key;
}

/**
 * A value usable as a `Map` key that is equal for equal keys: primitives as they are; arrays,
 * plain objects and Dates (compared by value in keyBy, as key groups are) as a canonical string.
 */
export function mapKey(key: unknown): unknown {
  if (key === null || typeof key !== 'object') return key;
  return '\u0000key:' + canonical(key);
}

function canonical(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'number':
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      if (value instanceof Date) return `D${value.getTime()}`;
      const names = Object.keys(value).sort();
      return `{${names.map((n) => `${JSON.stringify(n)}:${canonical((value as Record<string, unknown>)[n])}`).join(',')}}`;
    }
    default:
      return String(value);
  }
}
