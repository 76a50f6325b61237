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
