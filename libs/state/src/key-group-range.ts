import { UPPER_BOUND_MAX_PARALLELISM } from '@riffle/core';

/**
 * A contiguous, inclusive range of key groups (Flink's `KeyGroupRange`), as returned by
 * `keyGroupRangeForSubtask(maxParallelism, parallelism, subtaskIndex)` from `@riffle/core`.
 */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/** Whether `keyGroup` lies in `range`. */
export function keyGroupRangeContains(range: KeyGroupRange, keyGroup: number): boolean {
  return keyGroup >= range.start && keyGroup <= range.end;
}

/** Throws a `RangeError` unless `range` is a non-empty range within `[0, maxParallelism)`. */
export function checkKeyGroupRange(range: KeyGroupRange, maxParallelism: number): void {
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`max parallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${maxParallelism}`);
  }
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= maxParallelism) {
    throw new RangeError(`invalid key group range [${start}, ${end}] for max parallelism ${maxParallelism}`);
  }
}
