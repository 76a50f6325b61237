import type { MetricGroup } from '../metrics/metric-group.js';

/**
 * What a running function can learn about the parallel instance it runs in. One context per
 * operator subtask; valid from `open` until `close`. Keyed state accessors are added by
 * `@riffle/state` (see the state issue) through the same object.
 */
export interface RuntimeContext {
  /** 0-based index of this parallel subtask. */
  getIndexOfThisSubtask(): number;
  /** Parallelism of the operator this function runs in. */
  getNumberOfParallelSubtasks(): number;
  /** Max parallelism (number of key groups) of the operator. */
  getMaxNumberOfParallelSubtasks(): number;
  /** How many times this subtask was restarted before this attempt (0 on the first run). */
  getAttemptNumber(): number;
  /** The operator's name as given with `.name()`, or derived from its kind. */
  getTaskName(): string;
  /** `"<name> (<index+1>/<parallelism>)"`, as Flink prints it. */
  getTaskNameWithSubtasks(): string;
  /** The id of the job. */
  getJobId(): string;
  /** The metric group of this operator subtask (see {@link MetricGroup}). */
  getMetricGroup(): MetricGroup;
}

/** Passed to `open`. Reserved for configuration that Flink 2 moved out of `open(Configuration)`. */
export interface OpenContext {
  readonly runtimeContext: RuntimeContext;
}

/**
 * A function with a lifecycle. `open` runs once per subtask before the first record, `close`
 * once after the last (also on cancellation and failure, best-effort). Both may be async.
 */
export interface RichFunction {
  open?(context: OpenContext): void | Promise<void>;
  close?(): void | Promise<void>;
  setRuntimeContext?(context: RuntimeContext): void;
}

/**
 * Base class of the rich function classes: stores the runtime context the runtime injects
 * and exposes it through `getRuntimeContext()`.
 */
export abstract class AbstractRichFunction implements RichFunction {
  private runtimeContext?: RuntimeContext;

  setRuntimeContext(context: RuntimeContext): void {
    this.runtimeContext = context;
  }

  /** The context of the subtask this instance runs in; throws before the function is opened. */
  getRuntimeContext(): RuntimeContext {
    if (!this.runtimeContext) {
      throw new Error(`${this.constructor.name}: the runtime context is available only once the function runs in a task`);
    }
    return this.runtimeContext;
  }

  open(_context: OpenContext): void | Promise<void> {}

  close(): void | Promise<void> {}
}
