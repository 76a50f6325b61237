import type { StreamRecord, TwoInputStreamOperator } from '@riffle/core';
import type { MapStateDescriptor } from '@riffle/state';
import { AbstractUdfStreamOperator } from '../operators/abstract-udf-stream-operator.js';
import { TimestampedCollector } from '../operators/timestamped-collector.js';
import { BroadcastSideContext, ReadOnlySideContext } from './broadcast-contexts.js';
import type { BroadcastProcessFunctionLike } from './broadcast-process-function.js';
import { BroadcastStates } from './broadcast-states.js';

/**
 * Runs a `BroadcastProcessFunction` (Flink's `CoBroadcastWithNonKeyedOperator`): input 1 is the
 * non-broadcast stream (`processElement`, read-only broadcast state), input 2 the broadcast
 * stream (`processBroadcastElement`, writable broadcast state). The broadcast states are this
 * subtask's copy, kept as operator state (see `initializeOperatorState`/`snapshotOperatorState`).
 */
export class CoBroadcastWithNonKeyedOperator<IN1, IN2, OUT>
  extends AbstractUdfStreamOperator<OUT, BroadcastProcessFunctionLike<IN1, IN2, OUT>>
  implements TwoInputStreamOperator<IN1, IN2, OUT>
{
  private readonly states: BroadcastStates;
  private collector!: TimestampedCollector<OUT>;
  private readOnlyContext!: ReadOnlySideContext<never>;
  private broadcastContext!: BroadcastSideContext<never>;

  constructor(fn: BroadcastProcessFunctionLike<IN1, IN2, OUT>, broadcastStateDescriptors: readonly MapStateDescriptor<any, any>[]) {
    super(fn);
    this.states = new BroadcastStates(broadcastStateDescriptors);
  }

  override open(): void | Promise<void> {
    this.states.open(this.getOperatorStateBackend());
    this.collector = new TimestampedCollector(this.output);
    const services = {
      output: this.output,
      states: this.states,
      processingTime: () => this.getProcessingTimeService().getCurrentProcessingTime(),
      watermark: () => this.currentWatermark,
    };
    this.readOnlyContext = new ReadOnlySideContext<never>(services, undefined);
    this.broadcastContext = new BroadcastSideContext<never>(services, undefined);
    return super.open();
  }

  processElement1(record: StreamRecord<IN1>): void {
    this.collector.setTimestampFrom(record);
    this.readOnlyContext.record = record;
    this.userFunction.processElement(record.value, this.readOnlyContext, this.collector);
  }

  processElement2(record: StreamRecord<IN2>): void {
    this.collector.setTimestampFrom(record);
    this.broadcastContext.record = record;
    this.userFunction.processBroadcastElement(record.value, this.broadcastContext, this.collector);
  }
}
