import { NO_TIMESTAMP, StreamRecord, type KeyedOnTimerContext, type Output, type OutputTag, type TimerService } from '@riffle/core';
import { type InternalTimerService } from '@riffle/runtime';
import { VoidNamespace } from '@riffle/state';

/** Identity of the void namespace for timer deduplication. */
export const voidNamespaceIdentity = (): string => '';

/**
 * The TimerService user functions see on a keyed stream: timers for the current key in the void
 * namespace of the operator's internal timer service (so one timer per key and timestamp).
 */
export class UserTimerService implements TimerService {
  constructor(private readonly timers: InternalTimerService<VoidNamespace>) {}

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }
  currentWatermark(): number {
    return this.timers.currentWatermark();
  }
  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, time);
  }
  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, time);
  }
  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
  }
}

/**
 * The context of `onTimer`: the time domain, the timer's key, its timestamp (event-time timers
 * only, as in Flink) and side outputs. One instance per operator, pointed at each firing timer.
 */
export class OnTimerContextImpl<K> implements KeyedOnTimerContext<K> {
  domain: 'EVENT_TIME' | 'PROCESSING_TIME' = 'EVENT_TIME';
  key: K = undefined as K;
  time = NO_TIMESTAMP;
  private readonly sideRecord = new StreamRecord<unknown>(undefined);

  constructor(
    private readonly out: Output<unknown>,
    private readonly timers: TimerService,
  ) {}

  timeDomain(): 'EVENT_TIME' | 'PROCESSING_TIME' {
    return this.domain;
  }
  timestamp(): number | undefined {
    return this.domain === 'EVENT_TIME' ? this.time : undefined;
  }
  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag, this.sideRecord.replaceWithTimestamp(value, this.domain === 'EVENT_TIME' ? this.time : NO_TIMESTAMP));
  }
  timerService(): TimerService {
    return this.timers;
  }
  getCurrentKey(): K {
    return this.key;
  }
}
