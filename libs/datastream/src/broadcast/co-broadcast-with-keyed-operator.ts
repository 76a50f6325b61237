import { NO_TIMESTAMP, StreamRecord, type TwoInputStreamOperator } from '@riffle/core';
import type { InternalTimer, Triggerable } from '@riffle/runtime';
import type { MapStateDescriptor, State, StateDescriptor, VoidNamespace } from '@riffle/state';
import { AbstractUdfStreamOperator } from '../operators/abstract-udf-stream-operator.js';
import { TimestampedCollector } from '../operators/timestamped-collector.js';
import { UserTimerService, voidNamespaceIdentity } from '../operators/user-timers.js';
import { BroadcastSideContext, ReadOnlySideContext } from './broadcast-contexts.js';
import type { KeyedBroadcastProcessFunctionLike } from './broadcast-process-function.js';
import { BroadcastStates } from './broadcast-states.js';

/**
 * Runs a `KeyedBroadcastProcessFunction` (Flink's `CoBroadcastWithKeyedOperator`): input 1 is the
 * keyed stream (`processElement` with the record's key current for keyed state and timers),
 * input 2 the broadcast stream (`processBroadcastElement`, writable broadcast state,
 * `applyToKeyedState` over every key of this subtask). Timers fire `onTimer` with their key
 * current; records emitted from an event-time timer carry its timestamp.
 */
export class CoBroadcastWithKeyedOperator<K, IN1, IN2, OUT>
  extends AbstractUdfStreamOperator<OUT, KeyedBroadcastProcessFunctionLike<K, IN1, IN2, OUT>>
  implements TwoInputStreamOperator<IN1, IN2, OUT>, Triggerable<unknown, VoidNamespace>
{
  private readonly states: BroadcastStates;
  private collector!: TimestampedCollector<OUT>;
  private readOnlyContext!: ReadOnlySideContext<K>;
  private broadcastContext!: BroadcastSideContext<K>;
  private timerContext!: ReadOnlySideContext<K>;
  private readonly timerRecord = new StreamRecord<unknown>(undefined);

  constructor(fn: KeyedBroadcastProcessFunctionLike<K, IN1, IN2, OUT>, broadcastStateDescriptors: readonly MapStateDescriptor<any, any>[]) {
    super(fn);
    this.states = new BroadcastStates(broadcastStateDescriptors);
  }

  override open(): void | Promise<void> {
    const backend = this.getKeyedStateBackend(); // a clear error when the first input is not keyed
    this.states.open(this.getOperatorStateBackend());
    const timers = new UserTimerService(this.getInternalTimerService('user-timers', voidNamespaceIdentity, this));
    this.collector = new TimestampedCollector(this.output);
    const services = {
      output: this.output,
      states: this.states,
      processingTime: () => this.getProcessingTimeService().getCurrentProcessingTime(),
      watermark: () => this.currentWatermark,
    };
    const applyToKeys = <S extends State>(descriptor: StateDescriptor<S>, fn: (key: K, state: S) => void): void =>
      backend.applyToAllKeys(descriptor, fn as (key: unknown, state: S) => void);
    this.readOnlyContext = new ReadOnlySideContext<K>(services, timers);
    this.broadcastContext = new BroadcastSideContext<K>(services, applyToKeys);
    this.timerContext = new ReadOnlySideContext<K>(services, timers);
    return super.open();
  }

  processElement1(record: StreamRecord<IN1>): void {
    this.setKeyContextElement(record, 0);
    const ctx = this.readOnlyContext;
    ctx.key = this.getCurrentKey() as K;
    ctx.record = record;
    this.collector.setTimestampFrom(record);
    this.userFunction.processElement(record.value, ctx, this.collector);
  }

  processElement2(record: StreamRecord<IN2>): void {
    this.broadcastContext.record = record;
    this.collector.setTimestampFrom(record);
    this.userFunction.processBroadcastElement(record.value, this.broadcastContext, this.collector);
  }

  onEventTime(timer: InternalTimer<unknown, VoidNamespace>): void {
    this.fire(timer, 'EVENT_TIME');
  }

  onProcessingTime(timer: InternalTimer<unknown, VoidNamespace>): void {
    this.fire(timer, 'PROCESSING_TIME');
  }

  private fire(timer: InternalTimer<unknown, VoidNamespace>, domain: 'EVENT_TIME' | 'PROCESSING_TIME'): void {
    const fn = this.userFunction;
    if (typeof fn.onTimer !== 'function') return;
    const ctx = this.timerContext;
    const timestamp = domain === 'EVENT_TIME' ? timer.timestamp : NO_TIMESTAMP;
    ctx.domain = domain;
    ctx.key = timer.key as K;
    ctx.record = this.timerRecord.replaceWithTimestamp(undefined, timestamp);
    this.collector.setTimestamp(timestamp);
    fn.onTimer(timer.timestamp, ctx, this.collector);
  }
}
