/**
 * Joins of the DataStream API: interval joins of keyed streams (`KeyedStream.intervalJoin`),
 * window joins (`DataStream.join`) and window co-groups (`DataStream.coGroup`).
 */
export { ProcessJoinFunction, type ProcessJoinContext, type ProcessJoinFunctionLike } from './process-join-function.js';
export { IntervalJoin, IntervalJoined } from './interval-join.js';
export {
  IntervalJoinOperator,
  type IntervalJoinOperatorConfig,
  LEFT_BUFFER_STATE,
  RIGHT_BUFFER_STATE,
  LEFT_CLEANUP_TIMERS,
  RIGHT_CLEANUP_TIMERS,
} from './interval-join-operator.js';
export {
  type JoinFunction,
  type FlatJoinFunction,
  type CoGroupFunction,
  type JoinFunctionLike,
  type FlatJoinFunctionLike,
  type CoGroupFunctionLike,
  RichJoinFunction,
  RichFlatJoinFunction,
  RichCoGroupFunction,
} from './join-functions.js';
export { TaggedUnion, TaggedUnionSerializer } from './tagged-union.js';
export { CoGroupedStreams, CoGroupedWhere, CoGroupedEqualTo, CoGroupedWithWindow } from './co-grouped-streams.js';
export { JoinedStreams, JoinedWhere, JoinedEqualTo, JoinedWithWindow } from './joined-streams.js';
