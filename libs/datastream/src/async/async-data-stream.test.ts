import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { AsyncDataStream } from './async-data-stream.js';
import { AsyncRetryStrategies, RetryPredicates } from './async-retry-strategies.js';
import { AsyncWaitOperator } from './async-wait-operator.js';

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 2 });
}

describe('AsyncDataStream', () => {
  it('adds an async wait operator with the given mode, timeout and capacity', () => {
    const e = env();
    const out = AsyncDataStream.unorderedWait(e.fromSequence(1, 10), async (x: number) => [x], 500, 7).name('Lookup');
    out.addCollectSink('x');
    const graph = e.getStreamGraph();
    const node = [...graph.nodes.values()].find((n) => n.name === 'Lookup')!;
    expect(node.keySelectors).toEqual([undefined]);
    const operator = node.operatorFactory!() as AsyncWaitOperator<number, number>;
    expect(operator).toBeInstanceOf(AsyncWaitOperator);
    expect([operator.outputMode, operator.timeoutMs, operator.capacity]).toEqual(['UNORDERED', 500, 7]);
    expect(operator).not.toBe(node.operatorFactory!());
  });

  it('defaults the capacity to 100 and keeps the ordered mode', () => {
    const e = env();
    AsyncDataStream.orderedWait(e.fromSequence(1, 10), { asyncInvoke: (x: number, rf) => rf.complete([x]) }, 0).addCollectSink('x');
    const node = [...e.getStreamGraph().nodes.values()].find((n) => n.name === 'Async Wait')!;
    const operator = node.operatorFactory!() as AsyncWaitOperator<number, number>;
    expect([operator.outputMode, operator.capacity]).toEqual(['ORDERED', 100]);
  });

  it('rejects bad arguments when the job is built', () => {
    const s = env().fromSequence(1, 10);
    expect(() => AsyncDataStream.orderedWait(s, async (x: number) => [x], 100, 0)).toThrow(/orderedWait\(\): the async capacity must be a positive integer, got 0/);
    expect(() => AsyncDataStream.unorderedWait(s, async (x: number) => [x], -1)).toThrow(/timeout must be a number ≥ 0/);
    expect(() => AsyncDataStream.orderedWait(s, {} as never, 100)).toThrow(/expected an AsyncFunction/);
    expect(() => AsyncDataStream.orderedWaitWithRetry(s, async (x: number) => [x], 100, 1, {} as never)).toThrow(/expected an AsyncRetryStrategy/);
  });
});

describe('AsyncRetryStrategies', () => {
  it('fixed delay: up to maxAttempts retries after the first call, each after the same delay', () => {
    const s = new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<number>(3, 50).ifResult(RetryPredicates.EMPTY_RESULT_PREDICATE).build();
    expect([1, 2, 3, 4].map((a) => s.canRetry(a))).toEqual([true, true, true, false]);
    expect(s.getBackoffTimeMillis(1)).toBe(50);
    expect(s.getBackoffTimeMillis(3)).toBe(50);
    expect(s.getRetryPredicate().resultPredicate!([])).toBe(true);
    expect(s.getRetryPredicate().resultPredicate!([1])).toBe(false);
    expect(s.getRetryPredicate().exceptionPredicate).toBeUndefined();
  });

  it('exponential backoff: multiplies the delay per attempt up to the maximum, the same for every request', () => {
    const s = new AsyncRetryStrategies.ExponentialBackoffDelayRetryStrategyBuilder<number>(10, 100, 1000, 3).build();
    expect([1, 2, 3, 4, 5].map((a) => s.getBackoffTimeMillis(a))).toEqual([100, 300, 900, 1000, 1000]);
    expect(s.getBackoffTimeMillis(1)).toBe(100);
  });

  it('never retries with NO_RETRY_STRATEGY', () => {
    expect(AsyncRetryStrategies.NO_RETRY_STRATEGY.canRetry(1)).toBe(false);
  });

  it('rejects invalid settings', () => {
    expect(() => new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder(0, 10)).toThrow(/maxAttempts/);
    expect(() => new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder(1, -1)).toThrow(/backoffTimeMillis/);
    expect(() => new AsyncRetryStrategies.ExponentialBackoffDelayRetryStrategyBuilder(1, 100, 50, 2)).toThrow(/maxRetryDelay/);
    expect(() => new AsyncRetryStrategies.ExponentialBackoffDelayRetryStrategyBuilder(1, 10, 50, 0.5)).toThrow(/multiplier/);
  });
});
