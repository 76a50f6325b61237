import { NO_TIMESTAMP, StreamRecord, type KeyedProcessContext, type Output, type OutputTag, type TimerService } from '@riffle/core';

/**
 * The context handed to process functions, one per operator and reused for every record: the
 * operator points it at the record being processed (and its key) before calling the function.
 * It serves plain, keyed and two-input process functions alike.
 */
export class OperatorProcessContext<K = never> implements KeyedProcessContext<K> {
  /** The record being processed; set by the operator around each call. */
  record: StreamRecord<unknown> | undefined;
  /** The key of the record being processed (keyed operators). */
  key: K = undefined as K;
  private readonly sideRecord = new StreamRecord<unknown>(undefined);

  constructor(
    private readonly out: Output<unknown>,
    private readonly timers: TimerService,
  ) {}

  timestamp(): number | undefined {
    const record = this.record;
    return record && record.hasTimestamp() ? record.timestamp : undefined;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    const record = this.sideRecord.replaceWithTimestamp(value, this.record ? this.record.timestamp : NO_TIMESTAMP);
    this.out.collectSide(tag, record);
  }

  timerService(): TimerService {
    return this.timers;
  }

  getCurrentKey(): K {
    return this.key;
  }
}

/**
 * The timer service of operators that cannot set timers (yet): it tells the time and the
 * watermark, and registering a timer throws `reason`. Non-keyed streams never get timers
 * (Flink's rule); keyed streams get them with the timer service (next issue).
 */
export class NoTimersTimerService implements TimerService {
  constructor(
    private readonly watermark: () => number,
    private readonly reason: string,
  ) {}

  currentProcessingTime(): number {
    return Date.now();
  }

  currentWatermark(): number {
    return this.watermark();
  }

  registerProcessingTimeTimer(_time: number): void {
    throw new Error(this.reason);
  }

  registerEventTimeTimer(_time: number): void {
    throw new Error(this.reason);
  }

  deleteProcessingTimeTimer(_time: number): void {
    throw new Error(this.reason);
  }

  deleteEventTimeTimer(_time: number): void {
    throw new Error(this.reason);
  }
}

export const NON_KEYED_TIMERS = 'Setting timers is only supported on a keyed stream: use keyBy() before process()';
export const KEYED_TIMERS_PENDING = 'Timers are not available yet: the keyed timer service arrives with keyed state';
