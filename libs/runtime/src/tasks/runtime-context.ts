import { MetricRegistryGroup, type MetricGroup, type RuntimeContext } from '@riffle/core';
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  KeyedStateStore,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  ReducingState,
  ReducingStateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '@riffle/state';
import { notKeyed } from '../state/keyed-runtime-context.js';

/** The RuntimeContext of one operator in one subtask. Keyed state works once the operator attached its keyed store. */
export class StreamingRuntimeContext implements RuntimeContext {
  private keyedStore: KeyedStateStore | undefined;

  constructor(
    private readonly operatorName: string,
    private readonly subtaskIndex: number,
    private readonly parallelism: number,
    private readonly maxParallelism: number,
    private readonly attemptNumber: number,
    private readonly jobId: string,
    private readonly metricGroup: MetricGroup = MetricRegistryGroup.root(operatorName),
  ) {}

  /** Called by a keyed operator at setup. */
  setKeyedStateStore(store: KeyedStateStore): void {
    this.keyedStore = store;
  }

  private keyed(what: string): KeyedStateStore {
    if (!this.keyedStore) throw notKeyed(this.operatorName, what);
    return this.keyedStore;
  }

  getIndexOfThisSubtask(): number {
    return this.subtaskIndex;
  }
  getNumberOfParallelSubtasks(): number {
    return this.parallelism;
  }
  getMaxNumberOfParallelSubtasks(): number {
    return this.maxParallelism;
  }
  getAttemptNumber(): number {
    return this.attemptNumber;
  }
  getTaskName(): string {
    return this.operatorName;
  }
  getTaskNameWithSubtasks(): string {
    return `${this.operatorName} (${this.subtaskIndex + 1}/${this.parallelism})`;
  }
  getJobId(): string {
    return this.jobId;
  }
  getMetricGroup(): MetricGroup {
    return this.metricGroup;
  }
  getState<T>(d: ValueStateDescriptor<T>): ValueState<T> {
    return this.keyed('getState').getState(d);
  }
  getListState<T>(d: ListStateDescriptor<T>): ListState<T> {
    return this.keyed('getListState').getListState(d);
  }
  getMapState<UK, UV>(d: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.keyed('getMapState').getMapState(d);
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.keyed('getReducingState').getReducingState(d);
  }
  getAggregatingState<IN, ACC, OUT>(d: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.keyed('getAggregatingState').getAggregatingState(d);
  }
}
