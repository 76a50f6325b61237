import { AbstractRichFunction, type RichFunction } from '@riffle/core';

/**
 * Where an {@link AsyncFunction} delivers the outcome of one request (Flink's `ResultFuture`).
 * Call exactly one of the methods, once, from any asynchronous context (a promise callback, an
 * I/O event); later calls are ignored. The outcome reaches the operator on the task thread.
 */
export interface ResultFuture<OUT> {
  /** Completes the request with its results: any number of records, possibly none. */
  complete(results: readonly OUT[]): void;
  /**
   * Completes the request with an error. Unless a retry strategy retries it, the job fails with
   * this error, naming the operator.
   */
  completeExceptionally(error: unknown): void;
}

/**
 * A function that starts an asynchronous request per input record (Flink's `AsyncFunction`),
 * used with {@link AsyncDataStream}. `asyncInvoke` must return quickly: start the request and
 * hand `resultFuture` to its callback; never wait for it. It runs on the task thread, one call
 * at a time, but requests overlap: up to the operator's capacity are in flight at once.
 */
export interface AsyncFunction<IN, OUT> {
  /** Starts the request for `input`; its outcome goes to `resultFuture`. Throwing fails the job. */
  asyncInvoke(input: IN, resultFuture: ResultFuture<OUT>): void;
  /**
   * Called on the task thread when the request for `input` did not complete within the timeout
   * (all retries included). Complete `resultFuture` here, with fallback results or an error.
   * Without this method, the request fails with an {@link AsyncTimeoutError} naming the operator.
   */
  timeout?(input: IN, resultFuture: ResultFuture<OUT>): void;
}

/**
 * The rich form of {@link AsyncFunction} (Flink's `RichAsyncFunction`): `open`/`close` per
 * parallel instance and `getRuntimeContext()`. Keyed state is not available: results arrive
 * after the key context has moved on.
 */
export abstract class RichAsyncFunction<IN, OUT> extends AbstractRichFunction implements AsyncFunction<IN, OUT> {
  abstract asyncInvoke(input: IN, resultFuture: ResultFuture<OUT>): void;
  timeout?(input: IN, resultFuture: ResultFuture<OUT>): void;
}

/**
 * What {@link AsyncDataStream} accepts: an {@link AsyncFunction} (or {@link RichAsyncFunction}),
 * or a plain function returning the results (usually `async (input) => [result]`). A rejected
 * promise counts as `completeExceptionally`.
 */
export type AsyncFunctionLike<IN, OUT> = (AsyncFunction<IN, OUT> & Partial<RichFunction>) | ((input: IN) => PromiseLike<readonly OUT[]> | readonly OUT[]);

/** The error of a request that timed out, when the function has no `timeout` method. */
export class AsyncTimeoutError extends Error {
  constructor(
    readonly operatorName: string,
    readonly timeoutMs: number,
  ) {
    super(`Async function call of operator '${operatorName}' has timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}
