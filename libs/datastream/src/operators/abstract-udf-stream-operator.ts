import { AbstractStreamOperator } from '@riffle/runtime';
import { closeUserFunction, openUserFunction } from './user-function.js';

/**
 * Base of operators that run one user function (Flink's `AbstractUdfStreamOperator`): opens it
 * as a rich function at `open` (after `setup`, so the runtime context is known) and closes it at
 * `close`. Errors thrown by the function propagate: the runtime reports them with the operator
 * name and subtask index.
 */
export abstract class AbstractUdfStreamOperator<OUT, F> extends AbstractStreamOperator<OUT> {
  constructor(readonly userFunction: F) {
    super();
  }

  override open(): void | Promise<void> {
    return openUserFunction(this.userFunction, this.runtimeContext);
  }

  override close(): void | Promise<void> {
    return closeUserFunction(this.userFunction);
  }
}
