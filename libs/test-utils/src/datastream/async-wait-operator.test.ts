import { describe, expect, it } from 'vitest';
import {
  AsyncRetryStrategies,
  AsyncTimeoutError,
  AsyncWaitOperator,
  RetryPredicates,
  type AsyncFunction,
  type AsyncOutputMode,
  type AsyncRetryStrategy,
  type ResultFuture,
} from '@riffle/datastream';
import { OneInputStreamOperatorTestHarness } from '../index.js';

/** An async function whose requests the test completes by hand; counts requests in flight. */
class Controlled<OUT = string> implements AsyncFunction<number, OUT> {
  readonly calls: number[] = [];
  private readonly pending = new Map<number, ResultFuture<OUT>[]>();
  inFlight = 0;
  maxInFlight = 0;
  timeouts: number[] = [];
  constructor(private readonly onTimeout?: (input: number, rf: ResultFuture<OUT>) => void) {
    if (onTimeout) this.timeout = (input, rf) => {
      this.timeouts.push(input);
      onTimeout(input, rf);
    };
  }
  timeout?: (input: number, rf: ResultFuture<OUT>) => void;

  asyncInvoke(input: number, rf: ResultFuture<OUT>): void {
    this.calls.push(input);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const list = this.pending.get(input) ?? [];
    list.push(rf);
    this.pending.set(input, list);
  }

  private take(input: number): ResultFuture<OUT> {
    const rf = this.pending.get(input)?.shift();
    if (!rf) throw new Error(`no pending request for ${input}`);
    this.inFlight--;
    return rf;
  }

  complete(input: number, results: OUT[]): void {
    this.take(input).complete(results);
  }

  fail(input: number, error: unknown): void {
    this.take(input).completeExceptionally(error);
  }
}

function harness<OUT = string>(
  fn: AsyncFunction<number, OUT> | ((x: number) => Promise<OUT[]>),
  mode: AsyncOutputMode,
  options: { capacity?: number; timeoutMs?: number; retry?: AsyncRetryStrategy<OUT> } = {},
) {
  return new OneInputStreamOperatorTestHarness<number, OUT, AsyncWaitOperator<number, OUT>>(
    () => new AsyncWaitOperator<number, OUT>(fn, { outputMode: mode, capacity: options.capacity ?? 10, timeoutMs: options.timeoutMs ?? 0, retryStrategy: options.retry }),
    { operatorName: 'Lookup' },
  );
}

describe('AsyncWaitOperator, ordered', () => {
  it('emits results in input order, with the input timestamps, only once the task runs the completion mails', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED').open();
    h.processElement(1, 100);
    h.processElement(2, 200);
    h.processElement(3);
    fn.complete(3, ['c']);
    fn.complete(2, ['b1', 'b2']);
    expect(h.getOutput()).toEqual([]);
    h.runMails();
    expect(h.getOutput()).toEqual([]);
    fn.complete(1, ['a']);
    h.runMails();
    expect(h.getOutput()).toEqual([{ value: 'a', timestamp: 100 }, { value: 'b1', timestamp: 200 }, { value: 'b2', timestamp: 200 }, { value: 'c' }]);
  });

  it('keeps watermarks behind the records before them', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED').open();
    h.processElement(1, 1);
    h.processWatermark(5);
    h.processElement(2, 6);
    fn.complete(2, ['b']);
    h.runMails();
    expect(h.getOutput()).toEqual([]);
    fn.complete(1, ['a']);
    h.runMails();
    expect(h.getOutput()).toEqual([{ value: 'a', timestamp: 1 }, { watermark: 5 }, { value: 'b', timestamp: 6 }]);
  });

  it('accepts a plain async function; resolving its promises and draining the mailbox emits deterministically', async () => {
    const gates = new Map<number, () => void>();
    const fn = (x: number) => new Promise<string[]>((resolve) => gates.set(x, () => resolve([`v${x}`])));
    const h = await harness(fn, 'ORDERED').open();
    for (const x of [1, 2, 3]) h.processElement(x);
    gates.get(2)!();
    gates.get(3)!();
    await h.drainMails();
    expect(h.extractOutputValues()).toEqual([]);
    gates.get(1)!();
    await h.drainMails();
    expect(h.extractOutputValues()).toEqual(['v1', 'v2', 'v3']);
  });
});

describe('AsyncWaitOperator, unordered', () => {
  it('emits results as they complete', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'UNORDERED').open();
    for (const x of [1, 2, 3]) h.processElement(x, x);
    fn.complete(3, ['c']);
    h.runMails();
    fn.complete(1, ['a']);
    h.runMails();
    fn.complete(2, ['b']);
    h.runMails();
    expect(h.getRecordOutput()).toEqual([
      { value: 'c', timestamp: 3 },
      { value: 'a', timestamp: 1 },
      { value: 'b', timestamp: 2 },
    ]);
  });

  it('never lets a result cross a watermark: watermarks act as barriers', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'UNORDERED').open();
    h.processElement(1, 1);
    h.processElement(2, 2);
    h.processWatermark(5);
    h.processElement(3, 6);
    h.processElement(4, 7);
    fn.complete(4, ['d']);
    h.runMails();
    expect(h.getOutput()).toEqual([]); // after the watermark, which waits for 1 and 2
    fn.complete(2, ['b']);
    h.runMails();
    expect(h.getOutput()).toEqual([{ value: 'b', timestamp: 2 }]);
    fn.complete(1, ['a']);
    h.runMails();
    expect(h.getOutput()).toEqual([{ value: 'b', timestamp: 2 }, { value: 'a', timestamp: 1 }, { watermark: 5 }, { value: 'd', timestamp: 7 }]);
    fn.complete(3, ['c']);
    h.runMails();
    expect(h.extractOutputValues()).toEqual(['b', 'a', 'd', 'c']);
  });

  it('forwards a watermark at once when nothing is in flight before it', async () => {
    const h = await harness(new Controlled(), 'UNORDERED').open();
    h.processWatermark(10);
    expect(h.getOutput()).toEqual([{ watermark: 10 }]);
  });
});

describe('AsyncWaitOperator capacity', () => {
  for (const mode of ['ORDERED', 'UNORDERED'] as const) {
    it(`never has more than capacity requests in flight, holding input back while full (${mode})`, async () => {
      const fn = new Controlled();
      const h = await harness(fn, mode, { capacity: 2 }).open();
      h.processElement(1);
      expect(h.isInputHeld()).toBe(false);
      h.processElement(2);
      expect(h.isInputHeld()).toBe(true);
      // The rest of an input batch still arrives: it waits without starting requests.
      h.processElement(3);
      h.processWatermark(10);
      h.processElement(4);
      expect(fn.calls).toEqual([1, 2]);
      fn.complete(1, ['a']);
      await h.drainMails();
      expect(fn.calls).toEqual([1, 2, 3]);
      expect(h.isInputHeld()).toBe(true);
      fn.complete(2, ['b']);
      fn.complete(3, ['c']);
      await h.drainMails();
      expect(fn.calls).toEqual([1, 2, 3, 4]);
      expect(h.isInputHeld()).toBe(false);
      fn.complete(4, ['d']);
      await h.drainMails();
      expect(h.getOutput()).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }, { watermark: 10 }, { value: 'd' }]);
      expect(fn.maxInFlight).toBe(2);
    });
  }
});

describe('AsyncWaitOperator timeouts', () => {
  it('fails with a timeout error naming the operator when the function has no timeout method', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED', { timeoutMs: 100 }).open();
    h.processElement(1);
    h.setProcessingTime(99);
    expect(h.runMails()).toBe(0);
    h.setProcessingTime(100);
    let error: unknown;
    try {
      h.runMails();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AsyncTimeoutError);
    expect((error as Error).message).toContain("operator 'Lookup'");
    expect((error as { riffleOperatorName?: string }).riffleOperatorName).toBe('Lookup');
  });

  it('hands timed-out requests to the timeout method and ignores their late results', async () => {
    const fn = new Controlled((input, rf) => rf.complete([`fallback ${input}`]));
    const h = await harness(fn, 'ORDERED', { timeoutMs: 50 }).open();
    h.processElement(1);
    h.setProcessingTime(10);
    h.processElement(2);
    fn.complete(2, ['two']);
    h.setProcessingTime(55); // 1 times out (deadline 50); 2 completed already
    h.runMails();
    expect(fn.timeouts).toEqual([1]);
    expect(h.extractOutputValues()).toEqual(['fallback 1', 'two']);
    fn.complete(1, ['late']);
    h.runMails();
    expect(h.extractOutputValues()).toEqual(['fallback 1', 'two']);
  });

  it('times out each request at its own deadline', async () => {
    const fn = new Controlled((input, rf) => rf.complete([`t${input}`]));
    const h = await harness(fn, 'UNORDERED', { timeoutMs: 100 }).open();
    h.processElement(1);
    h.setProcessingTime(30);
    h.processElement(2);
    h.setProcessingTime(100);
    h.runMails();
    expect(h.extractOutputValues()).toEqual(['t1']);
    h.setProcessingTime(129);
    expect(fn.timeouts).toEqual([1]);
    h.setProcessingTime(130);
    h.runMails();
    expect(h.extractOutputValues()).toEqual(['t1', 't2']);
  });
});

describe('AsyncWaitOperator retries', () => {
  it('retries failed attempts after the fixed delay and emits the first success once', async () => {
    const fn = new Controlled<string>();
    const retry = new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<string>(3, 100).ifException(RetryPredicates.HAS_EXCEPTION_PREDICATE).build();
    const h = await harness(fn, 'ORDERED', { retry }).open();
    h.processElement(7, 70);
    fn.fail(7, new Error('unavailable'));
    h.runMails();
    expect(fn.calls).toEqual([7]);
    h.setProcessingTime(99);
    expect(fn.calls).toEqual([7]);
    h.setProcessingTime(100);
    expect(fn.calls).toEqual([7, 7]);
    fn.fail(7, new Error('unavailable'));
    h.runMails();
    h.setProcessingTime(200);
    fn.complete(7, ['ok']);
    h.runMails();
    expect(fn.calls).toEqual([7, 7, 7]);
    expect(h.getRecordOutput()).toEqual([{ value: 'ok', timestamp: 70 }]);
  });

  it('retries empty results with ifResult and fails the job once the attempts are used up', async () => {
    const fn = new Controlled<string>();
    const retry = new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<string>(2, 10)
      .ifResult(RetryPredicates.EMPTY_RESULT_PREDICATE)
      .ifException((e) => e instanceof Error && e.message === 'transient')
      .build();
    const h = await harness(fn, 'UNORDERED', { retry }).open();
    h.processElement(1);
    fn.complete(1, []);
    h.runMails();
    h.setProcessingTime(10);
    fn.fail(1, new Error('transient'));
    h.runMails();
    h.setProcessingTime(20);
    expect(fn.calls).toEqual([1, 1, 1]);
    fn.fail(1, new Error('transient'));
    expect(() => h.runMails()).toThrow(/operator 'Lookup' failed: Error: transient/);
  });

  it('waits exponentially longer between attempts, up to the maximum delay', async () => {
    const fn = new Controlled<string>();
    const retry = new AsyncRetryStrategies.ExponentialBackoffDelayRetryStrategyBuilder<string>(5, 10, 35, 2).ifException(RetryPredicates.HAS_EXCEPTION_PREDICATE).build();
    const h = await harness(fn, 'ORDERED', { retry }).open();
    h.processElement(1);
    const retryTimes: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      fn.fail(1, new Error('down'));
      h.runMails();
      const calls = fn.calls.length;
      let t = h.getProcessingTime();
      while (fn.calls.length === calls) h.setProcessingTime(++t);
      retryTimes.push(t);
    }
    // Delays 10, 20, 35 (capped from 40), 35.
    expect(retryTimes).toEqual([10, 30, 65, 100]);
  });

  it('does not retry errors the predicate rejects', async () => {
    const fn = new Controlled<string>();
    const retry = new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<string>(5, 10).ifException((e) => (e as Error).message === 'transient').build();
    const h = await harness(fn, 'ORDERED', { retry }).open();
    h.processElement(1);
    fn.fail(1, new RangeError('permanent'));
    expect(() => h.runMails()).toThrow(/RangeError: permanent/);
  });
});

describe('AsyncWaitOperator lifecycle and state', () => {
  it('finishes only after every request completed and was emitted', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED').open();
    h.processElement(1);
    h.processElement(2);
    let finished = false;
    const ending = h.endInput().then(() => (finished = true));
    fn.complete(2, ['b']);
    await h.drainMails();
    expect(finished).toBe(false);
    fn.complete(1, ['a']);
    await ending;
    expect(h.extractOutputValues()).toEqual(['a', 'b']);
  });

  it('fails with the cause and the operator name when a request completes exceptionally', async () => {
    const h = await harness(async (x: number): Promise<string[]> => {
      throw new TypeError(`cannot look up ${x}`);
    }, 'UNORDERED').open();
    h.processElement(3);
    await expect(h.drainMails()).rejects.toThrow("Async function of operator 'Lookup' failed: TypeError: cannot look up 3");
  });

  it('fails when results are not an array', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED').open();
    h.processElement(1);
    fn.complete(1, 'oops' as unknown as string[]);
    expect(() => h.runMails()).toThrow(/results must be an array/);
  });

  it('snapshots the inputs not yet emitted, in order, and requests them again after restore', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED', { capacity: 2 }).open();
    h.processElement(1, 10);
    h.processElement(2, 20);
    h.processElement(3); // backlog: capacity 2
    h.processElement(4, 40);
    fn.complete(1, ['a']);
    fn.complete(2, ['b']);
    h.runMails();
    expect(h.extractOutputValues()).toEqual(['a', 'b']);
    expect(fn.calls).toEqual([1, 2, 3, 4]);
    fn.complete(4, ['d']); // done, but waits behind 3
    h.runMails();
    expect(h.operator.snapshotInFlight()).toEqual([{ value: 3 }, { value: 4, timestamp: 40 }]);
    const snapshot = h.snapshot();
    await h.close();

    const fn2 = new Controlled();
    const restored = harness(fn2, 'ORDERED', { capacity: 2 });
    restored.initializeState(snapshot);
    await restored.open();
    expect(fn2.calls).toEqual([3, 4]);
    restored.processElement(5); // waits: the restored requests fill the capacity
    expect(fn2.calls).toEqual([3, 4]);
    fn2.complete(4, ['d']);
    fn2.complete(3, ['c']);
    restored.runMails();
    fn2.complete(5, ['e']);
    restored.runMails();
    expect(restored.getRecordOutput()).toEqual([{ value: 'c' }, { value: 'd', timestamp: 40 }, { value: 'e' }]);
  });

  it('restores in-flight inputs beyond the capacity into the backlog', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'UNORDERED', { capacity: 5 }).open();
    for (const x of [1, 2, 3, 4]) h.processElement(x);
    const snapshot = h.snapshot();
    const fn2 = new Controlled();
    const restored = harness(fn2, 'UNORDERED', { capacity: 2 });
    restored.initializeState(snapshot);
    await restored.open();
    expect(fn2.calls).toEqual([1, 2]);
    expect(restored.isInputHeld()).toBe(true);
    expect(restored.operator.snapshotInFlight().map((e) => e.value)).toEqual([1, 2, 3, 4]);
  });

  it('stops timers and ignores completions after close', async () => {
    const fn = new Controlled();
    const h = await harness(fn, 'ORDERED', { timeoutMs: 10 }).open();
    h.processElement(1);
    await h.close();
    fn.complete(1, ['late']);
    h.setProcessingTime(100);
    expect(h.runMails()).toBe(0);
    expect(h.getOutput()).toEqual([]);
  });
});
