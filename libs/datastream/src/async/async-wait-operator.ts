import { NO_TIMESTAMP, StreamRecord, Watermark, type OneInputStreamOperator, type Output } from '@riffle/core';
import { MAILBOX_EXECUTOR, type FunctionInitializationContext, type FunctionSnapshotContext, type MailboxExecutor, type ProcessingTimeService } from '@riffle/runtime';
import { ListStateDescriptor } from '@riffle/state';
import { AbstractUdfStreamOperator } from '../operators/abstract-udf-stream-operator.js';
import { AsyncTimeoutError, type AsyncFunctionLike, type ResultFuture } from './async-function.js';
import type { AsyncRetryStrategy } from './async-retry-strategies.js';
import {
  Fifo,
  OrderedStreamElementQueue,
  RecordEntry,
  UnorderedStreamElementQueue,
  WatermarkEntry,
  type QueueEmitter,
  type StreamElementQueue,
} from './stream-element-queue.js';

/** ORDERED: results leave in input order. UNORDERED: as they complete, but never across a watermark. */
export type AsyncOutputMode = 'ORDERED' | 'UNORDERED';

/** Settings of an {@link AsyncWaitOperator}. */
export interface AsyncWaitOperatorOptions<OUT> {
  readonly outputMode: AsyncOutputMode;
  /** Time a request may take, all retries included, ms; 0 or Infinity for none. */
  readonly timeoutMs: number;
  /** Maximum number of requests in flight (and results waiting to be emitted). */
  readonly capacity: number;
  /** Retries; none when absent. */
  readonly retryStrategy?: AsyncRetryStrategy<OUT>;
}

/** An input record whose results were not emitted yet; `timestamp` is absent when it has none. */
export interface InFlightElement<IN> {
  readonly value: IN;
  readonly timestamp?: number;
}

/** Name of the operator list state holding the in-flight elements (Flink's name). */
export const ASYNC_WAIT_OPERATOR_STATE_NAME = '_async_wait_operator_state_';

/** Marks an error with the operator it came from, as the task does for errors escaping operators. */
function tagOperator(error: Error, operatorName: string): Error {
  Object.defineProperty(error, 'riffleOperatorName', { value: operatorName, enumerable: false, configurable: true });
  return error;
}

/** The outcome of one attempt of one request. The first completion wins; it is handed to the task thread. */
class AttemptFuture<IN, OUT> implements ResultFuture<OUT> {
  private completed = false;
  results: readonly OUT[] | undefined = undefined;
  failed = false;
  error: unknown = undefined;

  constructor(
    private readonly sink: (future: AttemptFuture<IN, OUT>) => void,
    readonly entry: RecordEntry<IN, OUT>,
    readonly attempt: number,
  ) {}

  complete(results: readonly OUT[]): void {
    if (this.completed) return;
    this.completed = true;
    this.results = results;
    this.sink(this);
  }

  completeExceptionally(error: unknown): void {
    if (this.completed) return;
    this.completed = true;
    this.failed = true;
    this.error = error;
    this.sink(this);
  }
}

/**
 * Runs an async function over a stream (Flink's `AsyncWaitOperator`), see `AsyncDataStream`.
 *
 * - At most `capacity` requests are in flight (or wait to be emitted). When full, the operator
 *   holds the task's input back until a slot frees; records that still arrive (the rest of an
 *   input batch) wait in a backlog, in order, without starting requests.
 * - Completions arrive from any asynchronous context and are handed to the task thread as one
 *   mail per batch (`MailboxExecutor.execute`); emission happens there, with each input's timestamp.
 * - ORDERED emits in input order; UNORDERED emits as results arrive, with watermarks as barriers.
 * - Timeouts run on the processing-time service (one timer for the earliest deadline); retries
 *   after the strategy's backoff. A request failing for good fails the job, naming the operator.
 * - `finish()` resolves once every request has completed and been emitted.
 * - Requests not yet emitted are operator state: {@link snapshotInFlight} lists their inputs;
 *   restored inputs are requested again at `open` (the operator list state
 *   {@link ASYNC_WAIT_OPERATOR_STATE_NAME}, as in Flink).
 */
export class AsyncWaitOperator<IN, OUT> extends AbstractUdfStreamOperator<OUT, AsyncFunctionLike<IN, OUT>> implements OneInputStreamOperator<IN, OUT> {
  readonly outputMode: AsyncOutputMode;
  readonly timeoutMs: number;
  readonly capacity: number;
  private readonly retryStrategy: AsyncRetryStrategy<OUT> | undefined;
  private readonly queue: StreamElementQueue<IN, OUT>;
  /** Elements that arrived while the queue was full, in input order. */
  private readonly backlog = new Fifo<RecordEntry<IN, OUT> | WatermarkEntry>();
  /** Requests started and not completed, in start order (= deadline order), for timeouts. */
  private readonly inFlight = new Set<RecordEntry<IN, OUT>>();
  private readonly reuse = new StreamRecord<OUT>(undefined as OUT);
  private readonly emitter: QueueEmitter<IN, OUT>;
  private readonly completionSink = (future: AttemptFuture<IN, OUT>): void => this.enqueueCompletion(future);
  private readonly runCompletionsMail = (): void => this.runCompletions();
  private readonly onTimeoutTimer = (time: number): void => this.fireTimeouts(time);
  private completions: AttemptFuture<IN, OUT>[] = [];
  private mailScheduled = false;
  private mailbox!: MailboxExecutor;
  private time!: ProcessingTimeService;
  private operatorName = '';
  private seq = 0;
  private cancelTimeoutTimer: (() => void) | undefined;
  private releaseHold: (() => void) | undefined;
  private idleWaiter: (() => void) | undefined;
  private closed = false;
  private readonly stateDescriptor = new ListStateDescriptor<InFlightElement<IN>>(ASYNC_WAIT_OPERATOR_STATE_NAME);
  private restored: InFlightElement<IN>[] = [];

  constructor(fn: AsyncFunctionLike<IN, OUT>, options: AsyncWaitOperatorOptions<OUT>) {
    super(fn);
    checkAsyncOptions(options.timeoutMs, options.capacity);
    this.outputMode = options.outputMode;
    this.timeoutMs = options.timeoutMs;
    this.capacity = options.capacity;
    this.retryStrategy = options.retryStrategy;
    this.queue = options.outputMode === 'ORDERED' ? new OrderedStreamElementQueue<IN, OUT>() : new UnorderedStreamElementQueue<IN, OUT>();
    const output = (): Output<OUT> => this.output;
    const reuse = this.reuse;
    this.emitter = {
      emitRecord(entry) {
        const out = output();
        for (const result of entry.results!) out.collect(reuse.replaceWithTimestamp(result, entry.timestamp));
      },
      emitWatermark(timestamp) {
        output().emitWatermark(new Watermark(timestamp));
      },
    };
  }

  // --- lifecycle ---

  override open(): void | Promise<void> {
    this.operatorName = this.runtimeContext.getTaskName();
    const mailbox = this.services.get(MAILBOX_EXECUTOR) as MailboxExecutor | undefined;
    if (!mailbox) throw new Error(`operator '${this.operatorName}' needs the task's mailbox executor (service '${MAILBOX_EXECUTOR}')`);
    this.mailbox = mailbox;
    this.time = this.getProcessingTimeService();
    const opened = super.open();
    if (opened instanceof Promise) return opened.then(() => this.replayRestored());
    this.replayRestored();
  }

  /** Resolves once every request has completed and its results were emitted. */
  override finish(): void | Promise<void> {
    if (this.isIdle()) return;
    return new Promise<void>((resolve) => (this.idleWaiter = resolve));
  }

  override close(): void | Promise<void> {
    this.closed = true;
    this.cancelTimeoutTimer?.();
    this.cancelTimeoutTimer = undefined;
    for (const entry of this.inFlight) entry.cancelRetry?.();
    this.inFlight.clear();
    this.completions = [];
    this.releaseHold?.();
    this.releaseHold = undefined;
    return super.close();
  }

  // --- input ---

  processElement(record: StreamRecord<IN>): void {
    const entry = new RecordEntry<IN, OUT>(this.seq++, record.value, record.timestamp);
    if (this.backlog.size > 0 || this.queue.recordCount >= this.capacity) {
      this.backlog.push(entry);
      this.holdInput();
      return;
    }
    this.start(entry);
    if (this.queue.recordCount >= this.capacity) this.holdInput();
  }

  override processWatermark(mark: Watermark): void {
    if (mark.timestamp <= this.currentWatermark) return;
    this.currentWatermark = mark.timestamp;
    if (this.backlog.size > 0) {
      this.backlog.push(new WatermarkEntry(mark.timestamp));
      return;
    }
    this.queue.addWatermark(mark.timestamp);
    this.queue.emitCompletedElements(this.emitter);
  }

  // --- in-flight state ---

  /** The inputs whose results were not emitted yet (in flight, waiting, or not started), in input order. */
  snapshotInFlight(): InFlightElement<IN>[] {
    const out: InFlightElement<IN>[] = [];
    const add = (e: RecordEntry<IN, OUT>): void => {
      out.push(e.timestamp === NO_TIMESTAMP ? { value: e.value } : { value: e.value, timestamp: e.timestamp });
    };
    for (const e of this.queue.pendingRecords()) add(e);
    for (const e of this.backlog) if (e instanceof RecordEntry) add(e);
    return out;
  }

  /** Inputs to request again when the operator opens (restored in-flight elements). Call before `open`. */
  restoreInFlight(elements: Iterable<InFlightElement<IN>>): void {
    this.restored = [...elements];
  }

  /** Restores the in-flight elements from operator state (the list state {@link ASYNC_WAIT_OPERATOR_STATE_NAME}). */
  protected override initializeState(context: FunctionInitializationContext): void {
    super.initializeState(context);
    const list = context.getOperatorStateStore().getListState(this.stateDescriptor);
    this.restoreInFlight(list.get());
    list.clear();
  }

  /** Puts the in-flight elements into operator state for a checkpoint. */
  protected override snapshotState(context: FunctionSnapshotContext): void {
    super.snapshotState(context);
    this.getOperatorStateBackend().getListState(this.stateDescriptor).update(this.snapshotInFlight());
  }

  // --- requests ---

  private replayRestored(): void {
    const restored = this.restored;
    this.restored = [];
    const record = new StreamRecord<IN>(undefined as IN);
    for (const e of restored) this.processElement(record.replaceWithTimestamp(e.value, e.timestamp ?? NO_TIMESTAMP));
  }

  private start(entry: RecordEntry<IN, OUT>): void {
    this.queue.addRecord(entry);
    if (this.timeoutMs > 0 && this.timeoutMs !== Number.POSITIVE_INFINITY) {
      entry.deadline = this.time.getCurrentProcessingTime() + this.timeoutMs;
      if (this.cancelTimeoutTimer === undefined) this.scheduleTimeoutTimer(entry.deadline);
    }
    this.inFlight.add(entry);
    this.invoke(entry);
  }

  private invoke(entry: RecordEntry<IN, OUT>): void {
    const future = new AttemptFuture<IN, OUT>(this.completionSink, entry, entry.attempt);
    const fn = this.userFunction;
    if (typeof fn !== 'function') {
      fn.asyncInvoke(entry.value, future);
      return;
    }
    const result = fn(entry.value);
    if (result !== null && typeof (result as PromiseLike<readonly OUT[]>).then === 'function') {
      (result as PromiseLike<readonly OUT[]>).then(
        (results) => future.complete(results),
        (error: unknown) => future.completeExceptionally(error),
      );
    } else future.complete(result as readonly OUT[]);
  }

  private enqueueCompletion(future: AttemptFuture<IN, OUT>): void {
    if (this.closed) return;
    this.completions.push(future);
    if (!this.mailScheduled) {
      this.mailScheduled = true;
      this.mailbox.execute(this.runCompletionsMail);
    }
  }

  /** Mail: applies the completions that arrived, then emits what may be emitted and starts backlogged requests. */
  private runCompletions(): void {
    this.mailScheduled = false;
    if (this.closed) return;
    const batch = this.completions;
    this.completions = [];
    for (const future of batch) this.handleCompletion(future);
    this.emitAndRefill();
  }

  private handleCompletion(future: AttemptFuture<IN, OUT>): void {
    const entry = future.entry;
    if (entry.done || future.attempt !== entry.attempt) return; // a stale attempt, or already complete
    if (future.failed) {
      if (this.shouldRetry(entry, undefined, future.error)) this.scheduleRetry(entry);
      else throw this.failure(future.error);
      return;
    }
    const results = future.results;
    if (!Array.isArray(results)) throw this.failure(new TypeError(`the results must be an array, got ${results === null ? 'null' : typeof results}`));
    if (this.shouldRetry(entry, results, undefined)) {
      this.scheduleRetry(entry);
      return;
    }
    entry.results = results;
    entry.done = true;
    this.inFlight.delete(entry);
    this.queue.markCompleted(entry);
  }

  private emitAndRefill(): void {
    do this.queue.emitCompletedElements(this.emitter);
    while (this.refill());
    if (this.releaseHold !== undefined && this.backlog.size === 0 && this.queue.recordCount < this.capacity) {
      const release = this.releaseHold;
      this.releaseHold = undefined;
      release();
    }
    if (this.idleWaiter !== undefined && this.isIdle()) {
      const done = this.idleWaiter;
      this.idleWaiter = undefined;
      done();
    }
  }

  /** Moves backlogged elements into the queue while there is room. True if any moved. */
  private refill(): boolean {
    let moved = false;
    for (;;) {
      const next = this.backlog.peek();
      if (next === undefined) return moved;
      if (next instanceof WatermarkEntry) this.queue.addWatermark(next.timestamp);
      else if (this.queue.recordCount < this.capacity) this.start(next);
      else return moved;
      this.backlog.shift();
      moved = true;
    }
  }

  private isIdle(): boolean {
    return this.backlog.size === 0 && this.queue.isEmpty();
  }

  private holdInput(): void {
    if (this.releaseHold !== undefined) return;
    this.mailbox.holdInputUntil(new Promise<void>((resolve) => (this.releaseHold = resolve)));
  }

  // --- retries and timeouts ---

  private shouldRetry(entry: RecordEntry<IN, OUT>, results: readonly OUT[] | undefined, error: unknown): boolean {
    const strategy = this.retryStrategy;
    if (strategy === undefined || entry.timedOut || !strategy.canRetry(entry.attempt)) return false;
    const predicate = strategy.getRetryPredicate();
    return results !== undefined ? (predicate.resultPredicate?.(results) ?? false) : (predicate.exceptionPredicate?.(error) ?? false);
  }

  private scheduleRetry(entry: RecordEntry<IN, OUT>): void {
    const delay = Math.max(0, this.retryStrategy!.getBackoffTimeMillis(entry.attempt));
    entry.cancelRetry = this.time.registerTimer(this.time.getCurrentProcessingTime() + delay, () => {
      entry.cancelRetry = undefined;
      if (this.closed || entry.done || entry.timedOut) return;
      entry.attempt++;
      this.invoke(entry);
    });
  }

  private scheduleTimeoutTimer(at: number): void {
    this.cancelTimeoutTimer = this.time.registerTimer(at, this.onTimeoutTimer);
  }

  private fireTimeouts(time: number): void {
    this.cancelTimeoutTimer = undefined;
    if (this.closed) return;
    const now = Math.max(time, this.time.getCurrentProcessingTime());
    for (const entry of this.inFlight) {
      if (entry.deadline > now) {
        if (entry.deadline !== Number.POSITIVE_INFINITY) this.scheduleTimeoutTimer(entry.deadline);
        return;
      }
      this.inFlight.delete(entry);
      this.timeOut(entry);
    }
  }

  /** The request's time is up: outcomes of earlier attempts no longer count; `timeout()` decides. */
  private timeOut(entry: RecordEntry<IN, OUT>): void {
    entry.timedOut = true;
    entry.cancelRetry?.();
    entry.cancelRetry = undefined;
    entry.attempt++;
    const future = new AttemptFuture<IN, OUT>(this.completionSink, entry, entry.attempt);
    const fn = this.userFunction;
    if (typeof fn !== 'function' && typeof fn.timeout === 'function') fn.timeout(entry.value, future);
    else future.completeExceptionally(new AsyncTimeoutError(this.operatorName, this.timeoutMs));
  }

  private failure(cause: unknown): Error {
    const error =
      cause instanceof AsyncTimeoutError
        ? cause
        : new Error(`Async function of operator '${this.operatorName}' failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    return tagOperator(error, this.operatorName);
  }
}

/** Checks the timeout and capacity of an async operation when the job is built. */
export function checkAsyncOptions(timeoutMs: number, capacity: number): void {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) throw new RangeError(`the async timeout must be a number ≥ 0 (ms; 0 for none), got ${timeoutMs}`);
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`the async capacity must be a positive integer, got ${capacity}`);
}
