import { AsyncDataStream, AsyncRetryStrategies, RetryPredicates, RichAsyncFunction, defineJob, type ResultFuture } from '@riffle/datastream';

/** What the lookup emits per input: the input, which subtask requested it, in which order, and what it saw. */
export interface LookupResult {
  readonly x: number;
  readonly subtask: number;
  /** Position of the request among this subtask's requests (= its input order). */
  readonly seq: number;
  /** The most requests this subtask had in flight at once, so far. */
  readonly maxInFlight: number;
  readonly attempts: number;
  readonly timedOut?: boolean;
}

/**
 * An asynchronous "service" per record: answers after a few milliseconds (varying per record, so
 * answers come back out of order), counts requests in flight, and depending on `--case`
 * never answers some records (`timeout`), fails the first attempts of some (`retry`) or fails
 * for good on one (`fail`). One instance serves one subtask: each slot is its own worker thread.
 */
class Lookup extends RichAsyncFunction<number, LookupResult> {
  private inFlight = 0;
  private maxInFlight = 0;
  private seq = 0;
  private readonly attempts = new Map<number, number>();
  private readonly seqOf = new Map<number, number>();

  constructor(private readonly scenario: string) {
    super();
  }

  asyncInvoke(x: number, resultFuture: ResultFuture<LookupResult>): void {
    const attempts = (this.attempts.get(x) ?? 0) + 1;
    this.attempts.set(x, attempts);
    if (attempts === 1) this.seqOf.set(x, this.seq++);
    const seq = this.seqOf.get(x)!;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.scenario === 'timeout' && x % 10 === 3) return; // never answers: the timeout decides
    const subtask = this.getRuntimeContext().getIndexOfThisSubtask();
    setTimeout(() => {
      this.inFlight--;
      if (this.scenario === 'retry' && x % 3 === 0 && attempts < 3) resultFuture.completeExceptionally(new Error(`busy (${x})`));
      else if (this.scenario === 'fail' && x === 42) resultFuture.completeExceptionally(new RangeError('no such record: 42'));
      else resultFuture.complete([{ x, subtask, seq, maxInFlight: this.maxInFlight, attempts }]);
    }, (x * 7) % 5);
  }

  override timeout(x: number, resultFuture: ResultFuture<LookupResult>): void {
    this.inFlight--;
    const subtask = this.getRuntimeContext().getIndexOfThisSubtask();
    resultFuture.complete([{ x, subtask, seq: this.seqOf.get(x)!, maxInFlight: this.maxInFlight, attempts: 1, timedOut: true }]);
  }
}

export default defineJob((env, params) => {
  const scenario = params.get('case', 'plain');
  const ordered = params.get('mode', 'ordered') === 'ordered';
  const capacity = params.getNumber('capacity', 8);
  const timeoutMs = params.getNumber('timeout', scenario === 'timeout' ? 50 : 60_000);
  const input = env.fromSequence(0, params.getNumber('records', 2000) - 1);
  const lookup = new Lookup(scenario);
  const retry = new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<LookupResult>(3, 5).ifException(RetryPredicates.HAS_EXCEPTION_PREDICATE).build();
  const results =
    scenario === 'retry'
      ? ordered
        ? AsyncDataStream.orderedWaitWithRetry(input, lookup, timeoutMs, capacity, retry)
        : AsyncDataStream.unorderedWaitWithRetry(input, lookup, timeoutMs, capacity, retry)
      : ordered
        ? AsyncDataStream.orderedWait(input, lookup, timeoutMs, capacity)
        : AsyncDataStream.unorderedWait(input, lookup, timeoutMs, capacity);
  results.name('Lookup').addCollectSink('results');
});
