export * from './environment/stream-execution-environment.js';
export * from './environment/execution-config.js';
export * from './environment/parameter-tool.js';
export * from './environment/checkpoint-config.js';
export {
  RestartStrategies,
  type RestartStrategyConfiguration,
  type NoRestartStrategyConfiguration,
  type FixedDelayRestartStrategyConfiguration,
  type FailureRateRestartStrategyConfiguration,
  type ExponentialDelayRestartStrategyConfiguration,
  type ExponentialDelayRestartOptions,
} from '@riffle/runtime';
export * from './environment/job.js';
export * from './functions.js';
export * from './streams/data-stream.js';
export * from './streams/data-stream-sink.js';
export * from './streams/connected-streams.js';
export * from './transformations/transformation.js';
export * from './transformations/stream-graph-generator.js';
export * from './operators/abstract-udf-stream-operator.js';
export * from './operators/aggregations.js';
export * from './operators/co-process-operator.js';
export * from './operators/co-stream-flat-map.js';
export * from './operators/co-stream-map.js';
export * from './operators/collect-sink-operator.js';
export * from './operators/keyed-process-operator.js';
export * from './operators/print-sink-operator.js';
export * from './operators/process-context.js';
export * from './operators/process-operator.js';
export * from './operators/sink-function-operator.js';
export * from './operators/sink-writer-operator.js';
export * from './operators/stream-filter.js';
export * from './operators/stream-flat-map.js';
export * from './operators/stream-grouped-reduce.js';
export * from './operators/stream-map.js';
export * from './operators/timestamped-collector.js';
export { openUserFunction, closeUserFunction } from './operators/user-function.js';
export { DiscardingSink } from './sinks/discarding-sink.js';
export { WindowedStream } from './streams/windowed-stream.js';
export { AllWindowedStream } from './streams/all-windowed-stream.js';
export * from './windowing/index.js';
// Async I/O
export { AsyncDataStream } from './async/async-data-stream.js';
export { RichAsyncFunction, AsyncTimeoutError, type AsyncFunction, type AsyncFunctionLike, type ResultFuture } from './async/async-function.js';
export {
  AsyncRetryStrategies,
  FixedDelayRetryStrategyBuilder,
  ExponentialBackoffDelayRetryStrategyBuilder,
  RetryPredicates,
  type AsyncRetryStrategy,
  type AsyncRetryPredicate,
} from './async/async-retry-strategies.js';
export {
  AsyncWaitOperator,
  ASYNC_WAIT_OPERATOR_STATE_NAME,
  type AsyncOutputMode,
  type AsyncWaitOperatorOptions,
  type InFlightElement,
} from './async/async-wait-operator.js';
export * from './join/index.js';
// Broadcast state
export { BroadcastStream } from './broadcast/broadcast-stream.js';
export { BroadcastConnectedStream } from './broadcast/broadcast-connected-stream.js';
export {
  BroadcastProcessFunction,
  KeyedBroadcastProcessFunction,
  type BaseBroadcastProcessContext,
  type BroadcastProcessContext,
  type ReadOnlyBroadcastProcessContext,
  type KeyedBroadcastProcessContext,
  type KeyedReadOnlyBroadcastProcessContext,
  type KeyedBroadcastOnTimerContext,
  type BroadcastProcessFunctionLike,
  type KeyedBroadcastProcessFunctionLike,
} from './broadcast/broadcast-process-function.js';
export { CoBroadcastWithNonKeyedOperator } from './broadcast/co-broadcast-with-non-keyed-operator.js';
export { CoBroadcastWithKeyedOperator } from './broadcast/co-broadcast-with-keyed-operator.js';
