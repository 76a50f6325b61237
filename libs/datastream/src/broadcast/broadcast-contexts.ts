import { NO_TIMESTAMP, StreamRecord, type Output, type OutputTag, type TimerService } from '@riffle/core';
import type { BroadcastState, MapStateDescriptor, ReadOnlyBroadcastState, State, StateDescriptor } from '@riffle/state';
import type {
  KeyedBroadcastOnTimerContext,
  KeyedBroadcastProcessContext,
  KeyedReadOnlyBroadcastProcessContext,
} from './broadcast-process-function.js';
import type { BroadcastStates } from './broadcast-states.js';

/** What the contexts need of their operator; closures created once per operator. */
export interface BroadcastContextServices {
  readonly output: Output<unknown>;
  readonly states: BroadcastStates;
  readonly processingTime: () => number;
  readonly watermark: () => number;
}

/**
 * The contexts of the broadcast functions, one instance per operator and kind, pointed at the
 * element being processed by the operator (its record, key and time domain) before each call.
 */
abstract class BaseContext {
  /** The element being processed (for a timer: a record carrying the timer's event time, or none). */
  record: StreamRecord<unknown> | undefined;
  private readonly sideRecord = new StreamRecord<unknown>(undefined);

  constructor(protected readonly services: BroadcastContextServices) {}

  timestamp(): number | undefined {
    const record = this.record;
    return record !== undefined && record.hasTimestamp() ? record.timestamp : undefined;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.services.output.collectSide(tag, this.sideRecord.replaceWithTimestamp(value, this.record ? this.record.timestamp : NO_TIMESTAMP));
  }

  currentProcessingTime(): number {
    return this.services.processingTime();
  }

  currentWatermark(): number {
    return this.services.watermark();
  }
}

/** The broadcast side's context: writable broadcast state; on a keyed stream, also `applyToKeyedState`. */
export class BroadcastSideContext<K> extends BaseContext implements KeyedBroadcastProcessContext<K> {
  constructor(
    services: BroadcastContextServices,
    private readonly applyToKeys: (<S extends State>(descriptor: StateDescriptor<S>, fn: (key: K, state: S) => void) => void) | undefined,
  ) {
    super(services);
  }

  getBroadcastState<KS, VS>(descriptor: MapStateDescriptor<KS, VS>): BroadcastState<KS, VS> {
    return this.services.states.get(descriptor);
  }

  applyToKeyedState<S extends State>(descriptor: StateDescriptor<S>, fn: (key: K, state: S) => void): void {
    if (this.applyToKeys === undefined) throw new Error('applyToKeyedState() is only available on a keyed stream (KeyedBroadcastProcessFunction)');
    this.applyToKeys(descriptor, fn);
  }
}

/** The non-broadcast side's context (and the timer context): read-only broadcast state, key and timers when keyed. */
export class ReadOnlySideContext<K> extends BaseContext implements KeyedReadOnlyBroadcastProcessContext<K>, KeyedBroadcastOnTimerContext<K> {
  key: K = undefined as K;
  domain: 'EVENT_TIME' | 'PROCESSING_TIME' = 'EVENT_TIME';

  constructor(
    services: BroadcastContextServices,
    private readonly timers: TimerService | undefined,
  ) {
    super(services);
  }

  getBroadcastState<KS, VS>(descriptor: MapStateDescriptor<KS, VS>): ReadOnlyBroadcastState<KS, VS> {
    return this.services.states.getReadOnly(descriptor);
  }

  timerService(): TimerService {
    if (this.timers === undefined) throw new Error('Setting timers is only supported on a keyed stream: use keyBy() before connect()');
    return this.timers;
  }

  getCurrentKey(): K {
    return this.key;
  }

  timeDomain(): 'EVENT_TIME' | 'PROCESSING_TIME' {
    return this.domain;
  }
}
