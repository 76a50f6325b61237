import type { KeySelectorLike, OneInputStreamOperator } from '@riffle/core';
import type { OperatorOrFactory, StreamOperatorTestHarnessOptions } from './abstract-stream-operator-test-harness.js';
import { OneInputStreamOperatorTestHarness } from './one-input-stream-operator-test-harness.js';

/**
 * A {@link OneInputStreamOperatorTestHarness} on a keyed input (Flink's
 * `KeyedOneInputStreamOperatorTestHarness`): the operator gets a keyed state backend for the
 * harness's key-group range, keyed timers, and `setKeyContextElement` uses `keySelector`.
 * Snapshots carry keyed state and timers, so snapshot → new harness → `initializeState` →
 * `open` → continue works, also into another parallelism (pass all subtasks' snapshots).
 */
export class KeyedOneInputStreamOperatorTestHarness<K, IN, OUT, OP extends OneInputStreamOperator<IN, OUT> = OneInputStreamOperator<IN, OUT>> extends OneInputStreamOperatorTestHarness<
  IN,
  OUT,
  OP
> {
  constructor(operator: OperatorOrFactory<OP>, keySelector: KeySelectorLike<IN, K>, options: StreamOperatorTestHarnessOptions = {}) {
    super(operator, { ...options, keySelector });
  }
}
