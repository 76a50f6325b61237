/**
 * @riffle/test-utils: operator test harnesses (Flink's `OneInputStreamOperatorTestHarness`,
 * `KeyedOneInputStreamOperatorTestHarness`, `TwoInputStreamOperatorTestHarness`), rebuilt
 * without mocks: real operators, a manual processing-time clock, a hand-stepped mailbox, and
 * snapshot → restore into a fresh harness → continue.
 */
export {
  AbstractStreamOperatorTestHarness,
  type StreamOperatorTestHarnessOptions,
  type OperatorOrFactory,
} from './abstract-stream-operator-test-harness.js';
export { OneInputStreamOperatorTestHarness, type OneInputStreamOperatorTestHarnessOptions } from './one-input-stream-operator-test-harness.js';
export { KeyedOneInputStreamOperatorTestHarness } from './keyed-one-input-stream-operator-test-harness.js';
export { TwoInputStreamOperatorTestHarness, type TwoInputStreamOperatorTestHarnessOptions } from './two-input-stream-operator-test-harness.js';
export { HarnessOutput, isOutputRecord, type OutputElement, type OutputRecord, type OutputWatermark, type OutputWatermarkStatus } from './harness-output.js';
export { TestingMailbox } from './testing-mailbox.js';
export { hasOperatorStateHooks, type OperatorSnapshot, type OperatorStateHooks, type TimersSnapshot } from './operator-snapshot.js';
