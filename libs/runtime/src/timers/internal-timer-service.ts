import { MIN_WATERMARK, type TypeSerializer } from '@riffle/core';
import { toMapKey } from '@riffle/state';
import type { ProcessingTimeService } from '../tasks/processing-time-service.js';
import { TimerQueue, type InternalTimer } from './timer-queue.js';

export type { InternalTimer } from './timer-queue.js';

/** Sets and reads the key that keyed state and timers refer to (the operator's keyed state backend). */
export interface KeyContext {
  setCurrentKey(key: unknown): void;
  getCurrentKey(): unknown;
}

/** Receives fired timers; the current key is set to the timer's key before each call. */
export interface Triggerable<K, N> {
  onEventTime(timer: InternalTimer<K, N>): void;
  onProcessingTime(timer: InternalTimer<K, N>): void;
}

/**
 * Keyed timers in namespaces (Flink's InternalTimerService): windows use the window as the
 * namespace, process functions a void one. Registration is for the current key; at most one
 * timer exists per (key, namespace, timestamp). Event-time timers fire, in timestamp order, when
 * the watermark reaches them; processing-time timers when the task's clock does. All calls happen
 * on the task thread.
 */
export interface InternalTimerService<N> {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerProcessingTimeTimer(namespace: N, time: number): void;
  deleteProcessingTimeTimer(namespace: N, time: number): void;
  registerEventTimeTimer(namespace: N, time: number): void;
  deleteEventTimeTimer(namespace: N, time: number): void;
  numEventTimeTimers(): number;
  numProcessingTimeTimers(): number;
}

/** Turns a key or namespace into the string identity timers are deduplicated by. */
export type IdentityOf<T> = (value: T) => string;

/** The heap implementation, one per (operator, timer service name). */
export class HeapInternalTimerService<K, N> implements InternalTimerService<N> {
  private readonly eventTimers = new TimerQueue<K, N>();
  private readonly processingTimers = new TimerQueue<K, N>();
  private watermark = MIN_WATERMARK;
  private scheduledAt = Number.POSITIVE_INFINITY;
  private cancelScheduled: (() => void) | undefined;

  constructor(
    private readonly keyContext: KeyContext,
    private readonly time: ProcessingTimeService,
    private readonly triggerable: Triggerable<K, N>,
    private readonly namespaceIdentity: IdentityOf<N>,
    /** Writes this service's namespaces into checkpoints; `undefined`: the default (void namespace or dynamic). */
    private readonly namespaceSerializer?: TypeSerializer<N>,
  ) {}

  /**
   * The serializer of this service's namespaces given at registration, or `undefined` when none
   * was given (snapshots then use the default timer namespace serializer).
   */
  getNamespaceSerializer(): TypeSerializer<N> | undefined {
    return this.namespaceSerializer;
  }

  currentProcessingTime(): number {
    return this.time.getCurrentProcessingTime();
  }

  currentWatermark(): number {
    return this.watermark;
  }

  registerEventTimeTimer(namespace: N, time: number): void {
    const key = this.keyContext.getCurrentKey() as K;
    this.eventTimers.add(toMapKey(key), this.namespaceIdentity(namespace), key, namespace, time);
  }

  deleteEventTimeTimer(namespace: N, time: number): void {
    this.eventTimers.remove(toMapKey(this.keyContext.getCurrentKey()), this.namespaceIdentity(namespace), time);
  }

  registerProcessingTimeTimer(namespace: N, time: number): void {
    const key = this.keyContext.getCurrentKey() as K;
    if (this.processingTimers.add(toMapKey(key), this.namespaceIdentity(namespace), key, namespace, time) && time < this.scheduledAt) {
      this.schedule(time);
    }
  }

  deleteProcessingTimeTimer(namespace: N, time: number): void {
    this.processingTimers.remove(toMapKey(this.keyContext.getCurrentKey()), this.namespaceIdentity(namespace), time);
  }

  numEventTimeTimers(): number {
    return this.eventTimers.size;
  }

  numProcessingTimeTimers(): number {
    return this.processingTimers.size;
  }

  /** Fires every event-time timer at or before `time`, in order. Called by the operator on a new watermark. */
  advanceWatermark(time: number): void {
    this.watermark = time;
    for (;;) {
      const timer = this.eventTimers.pollDue(time);
      if (!timer) break;
      this.keyContext.setCurrentKey(timer.key);
      this.triggerable.onEventTime(timer);
    }
  }

  /** Every registered timer, for snapshots. */
  snapshot(): { eventTime: InternalTimer<K, N>[]; processingTime: InternalTimer<K, N>[] } {
    return { eventTime: [...this.eventTimers.timers()], processingTime: [...this.processingTimers.timers()] };
  }

  /** Re-registers restored timers (processing-time ones reschedule themselves). */
  restore(timers: { eventTime: InternalTimer<K, N>[]; processingTime: InternalTimer<K, N>[] }): void {
    for (const t of timers.eventTime) this.eventTimers.add(toMapKey(t.key), this.namespaceIdentity(t.namespace), t.key, t.namespace, t.timestamp);
    for (const t of timers.processingTime) {
      this.processingTimers.add(toMapKey(t.key), this.namespaceIdentity(t.namespace), t.key, t.namespace, t.timestamp);
    }
    const next = this.processingTimers.peekTimestamp();
    if (next < this.scheduledAt) this.schedule(next);
  }

  /** Stops the processing-time callback. */
  close(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
  }

  private schedule(time: number): void {
    this.cancelScheduled?.();
    this.scheduledAt = time;
    this.cancelScheduled = this.time.registerTimer(time, (now) => this.onProcessingTime(now));
  }

  private onProcessingTime(now: number): void {
    this.scheduledAt = Number.POSITIVE_INFINITY;
    this.cancelScheduled = undefined;
    const current = Math.max(now, this.time.getCurrentProcessingTime());
    for (;;) {
      const timer = this.processingTimers.pollDue(current);
      if (!timer) break;
      this.keyContext.setCurrentKey(timer.key);
      this.triggerable.onProcessingTime(timer);
    }
    const next = this.processingTimers.peekTimestamp();
    if (next !== Number.POSITIVE_INFINITY && next < this.scheduledAt) this.schedule(next);
  }
}
