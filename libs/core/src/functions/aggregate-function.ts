/**
 * An incremental aggregation (Flink's `AggregateFunction<IN, ACC, OUT>`), used by
 * `AggregatingState` and by window aggregations.
 *
 * Contract: `createAccumulator` starts an empty aggregate; `add` folds one input into an
 * accumulator and returns the accumulator to keep (it may mutate and return the one it got, or
 * return a new one); `getResult` reads the result without consuming the accumulator (it may be
 * called several times, e.g. on every early firing of a window); `merge` combines two
 * accumulators into one (used when session windows merge), and may reuse either argument.
 * All methods are synchronous and run on the task thread, once per record for `add`.
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}
