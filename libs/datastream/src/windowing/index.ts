/**
 * Windows of the DataStream API (Flink's `org.apache.flink.streaming.api.windowing`): windows,
 * assigners, triggers, evictors, window functions and the window operators.
 */
export { Window, windowIdentity, WindowTypeInformation } from './windows/window.js';
export { TimeWindow, TimeWindowSerializer, TIME_WINDOW_TYPE } from './windows/time-window.js';
export { GlobalWindow, GLOBAL_WINDOW_SERIALIZER, GLOBAL_WINDOW_TYPE } from './windows/global-window.js';
export { WindowAssigner, MergingWindowAssigner, type WindowAssignerContext, type MergeCallback } from './assigners/window-assigner.js';
export { TumblingEventTimeWindows } from './assigners/tumbling-event-time-windows.js';
export { SlidingEventTimeWindows } from './assigners/sliding-event-time-windows.js';
export { TumblingProcessingTimeWindows } from './assigners/tumbling-processing-time-windows.js';
export { SlidingProcessingTimeWindows } from './assigners/sliding-processing-time-windows.js';
export {
  EventTimeSessionWindows,
  DynamicEventTimeSessionWindows,
  ProcessingTimeSessionWindows,
  DynamicProcessingTimeSessionWindows,
  type SessionWindowTimeGapExtractor,
  type SessionWindowTimeGapExtractorLike,
} from './assigners/session-windows.js';
export { GlobalWindows, NeverTrigger } from './assigners/global-windows.js';
export { Trigger, TriggerResult, type TriggerContext, type OnMergeContext } from './triggers/trigger.js';
export { EventTimeTrigger } from './triggers/event-time-trigger.js';
export { ProcessingTimeTrigger } from './triggers/processing-time-trigger.js';
export { CountTrigger } from './triggers/count-trigger.js';
export { PurgingTrigger } from './triggers/purging-trigger.js';
export { ContinuousEventTimeTrigger } from './triggers/continuous-event-time-trigger.js';
export { ContinuousProcessingTimeTrigger } from './triggers/continuous-processing-time-trigger.js';
export { TimestampedValue, type Evictor, type EvictorContext } from './evictors/evictor.js';
export { CountEvictor } from './evictors/count-evictor.js';
export { TimeEvictor } from './evictors/time-evictor.js';
export { DeltaEvictor, type DeltaFunction, type DeltaFunctionLike } from './evictors/delta-evictor.js';
export {
  ProcessWindowFunction,
  ProcessAllWindowFunction,
  type ProcessWindowContext,
  type ProcessAllWindowContext,
  type WindowFunction,
  type AllWindowFunction,
  type WindowFunctionLike,
  type AllWindowFunctionLike,
  type ProcessWindowFunctionLike,
  type ProcessAllWindowFunctionLike,
} from './functions/window-functions.js';
export {
  WindowOperator,
  type WindowOperatorConfig,
  type WindowContentsSpec,
  WINDOW_TIMERS,
  WINDOW_CONTENTS_STATE,
  MERGING_WINDOW_SET_STATE,
} from './operator/window-operator.js';
export { EvictingWindowOperator, type EvictingWindowOperatorConfig } from './operator/evicting-window-operator.js';
export {
  type InternalWindowFunction,
  type ContentsShape,
  PassThroughWindowFunction,
  InternalProcessWindowFunction,
  InternalProcessAllWindowFunction,
  InternalApplyWindowFunction,
  InternalApplyAllWindowFunction,
} from './functions/internal-window-function.js';
