import {
  AbstractStreamOperator,
  isCheckpointedFunction,
  type FunctionInitializationContext,
  type FunctionSnapshotContext,
} from '@riffle/runtime';
import { closeUserFunction, openUserFunction } from './user-function.js';

/**
 * Base of operators that run one user function (Flink's `AbstractUdfStreamOperator`): opens it
 * as a rich function at `open` (after `setup`, so the runtime context is known) and closes it at
 * `close`. A function implementing `CheckpointedFunction` gets `initializeState` before `open`
 * and `snapshotState` at every checkpoint. Errors thrown by the function propagate: the runtime reports them with the operator
 * name and subtask index.
 */
export abstract class AbstractUdfStreamOperator<OUT, F> extends AbstractStreamOperator<OUT> {
  constructor(readonly userFunction: F) {
    super();
  }

  protected override initializeState(context: FunctionInitializationContext): void {
    if (isCheckpointedFunction(this.userFunction)) {
      (this.userFunction as { setRuntimeContext?(c: unknown): void }).setRuntimeContext?.(this.runtimeContext);
      this.userFunction.initializeState(context);
    }
  }

  protected override snapshotState(context: FunctionSnapshotContext): void {
    if (isCheckpointedFunction(this.userFunction)) this.userFunction.snapshotState(context);
  }

  override open(): void | Promise<void> {
    return openUserFunction(this.userFunction, this.runtimeContext);
  }

  override close(): void | Promise<void> {
    return closeUserFunction(this.userFunction);
  }
}
