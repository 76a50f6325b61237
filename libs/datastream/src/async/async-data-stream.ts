import { OneInputTransformation } from '../transformations/transformation.js';
import { SingleOutputStreamOperator, type DataStream } from '../streams/data-stream.js';
import type { AsyncFunctionLike } from './async-function.js';
import type { AsyncRetryStrategy } from './async-retry-strategies.js';
import { AsyncWaitOperator, checkAsyncOptions, type AsyncOutputMode } from './async-wait-operator.js';

/**
 * Async I/O (Flink's `AsyncDataStream`): calls an external service per record without blocking
 * the task, with up to `capacity` requests in flight per parallel instance.
 *
 * ```ts
 * const enriched = AsyncDataStream.orderedWait(orders, async (order) => [{ ...order, customer: await lookup(order.customerId) }], 1000, 50);
 * ```
 *
 * `orderedWait` emits results in input order; `unorderedWait` emits each result as soon as it
 * arrives, but never moves a result across a watermark (records before a watermark are emitted
 * before it, records after it after it). A request that does not complete within `timeoutMs`
 * (0: no timeout) goes to the function's `timeout` method, or fails the job. A request that
 * fails (rejects or `completeExceptionally`) fails the job unless a retry strategy retries it.
 * Each output record carries its input record's timestamp.
 */
export class AsyncDataStream {
  /** Default maximum number of requests in flight (Flink's default queue capacity). */
  static readonly DEFAULT_QUEUE_CAPACITY = 100;

  private constructor() {}

  /** Results in input order. */
  static orderedWait<IN, OUT>(input: DataStream<IN>, fn: AsyncFunctionLike<IN, OUT>, timeoutMs: number, capacity = AsyncDataStream.DEFAULT_QUEUE_CAPACITY): SingleOutputStreamOperator<OUT> {
    return addOperator(input, fn, 'ORDERED', timeoutMs, capacity, undefined, 'orderedWait()');
  }

  /** Results as they arrive, with watermarks as barriers. */
  static unorderedWait<IN, OUT>(input: DataStream<IN>, fn: AsyncFunctionLike<IN, OUT>, timeoutMs: number, capacity = AsyncDataStream.DEFAULT_QUEUE_CAPACITY): SingleOutputStreamOperator<OUT> {
    return addOperator(input, fn, 'UNORDERED', timeoutMs, capacity, undefined, 'unorderedWait()');
  }

  /** {@link orderedWait} with retries by `retryStrategy` (see `AsyncRetryStrategies`). */
  static orderedWaitWithRetry<IN, OUT>(
    input: DataStream<IN>,
    fn: AsyncFunctionLike<IN, OUT>,
    timeoutMs: number,
    capacity: number,
    retryStrategy: AsyncRetryStrategy<OUT>,
  ): SingleOutputStreamOperator<OUT> {
    return addOperator(input, fn, 'ORDERED', timeoutMs, capacity, retryStrategy, 'orderedWaitWithRetry()');
  }

  /** {@link unorderedWait} with retries by `retryStrategy` (see `AsyncRetryStrategies`). */
  static unorderedWaitWithRetry<IN, OUT>(
    input: DataStream<IN>,
    fn: AsyncFunctionLike<IN, OUT>,
    timeoutMs: number,
    capacity: number,
    retryStrategy: AsyncRetryStrategy<OUT>,
  ): SingleOutputStreamOperator<OUT> {
    return addOperator(input, fn, 'UNORDERED', timeoutMs, capacity, retryStrategy, 'unorderedWaitWithRetry()');
  }
}

function addOperator<IN, OUT>(
  input: DataStream<IN>,
  fn: AsyncFunctionLike<IN, OUT>,
  outputMode: AsyncOutputMode,
  timeoutMs: number,
  capacity: number,
  retryStrategy: AsyncRetryStrategy<OUT> | undefined,
  api: string,
): SingleOutputStreamOperator<OUT> {
  const isFunction = typeof fn === 'function';
  const isAsyncFunction = fn !== null && typeof fn === 'object' && typeof (fn as { asyncInvoke?: unknown }).asyncInvoke === 'function';
  if (!isFunction && !isAsyncFunction) throw new TypeError(`AsyncDataStream.${api}: expected an AsyncFunction (an object with asyncInvoke) or a function returning a promise of results`);
  try {
    checkAsyncOptions(timeoutMs, capacity);
  } catch (e) {
    throw new RangeError(`AsyncDataStream.${api}: ${(e as Error).message}`);
  }
  if (retryStrategy !== undefined && (typeof retryStrategy !== 'object' || typeof retryStrategy.canRetry !== 'function')) {
    throw new TypeError(`AsyncDataStream.${api}: expected an AsyncRetryStrategy (see AsyncRetryStrategies)`);
  }
  const env = input.getExecutionEnvironment();
  // Not keyed even on a keyed stream: results arrive after the key context moved on (as in Flink).
  const t = new OneInputTransformation<IN, OUT>(
    env.nextTransformationId(),
    'Async Wait',
    input.getTransformation(),
    () => new AsyncWaitOperator<IN, OUT>(fn, { outputMode, timeoutMs, capacity, retryStrategy }),
    undefined,
  );
  env.addOperator(t);
  return new SingleOutputStreamOperator<OUT>(env, t);
}
