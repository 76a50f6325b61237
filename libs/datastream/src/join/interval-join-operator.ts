import { StreamRecord, Types, dynamicSerializer, type Collector, type OutputTag, type TwoInputStreamOperator, type TypeSerializer } from '@riffle/core';
import type { InternalTimer, InternalTimerService, Triggerable } from '@riffle/runtime';
import { MapStateDescriptor, type HeapKeyedStateBackend, type MapState } from '@riffle/state';
import { AbstractUdfStreamOperator } from '../operators/abstract-udf-stream-operator.js';
import { requireKeySelector } from '../operators/keys.js';
import { TimestampedCollector } from '../operators/timestamped-collector.js';
import type { ProcessJoinContext, ProcessJoinFunctionLike } from './process-join-function.js';

/** Name of the keyed MapState holding the left input's elements (event timestamp → elements). */
export const LEFT_BUFFER_STATE = 'LEFT_BUFFER';
/** Name of the keyed MapState holding the right input's elements (event timestamp → elements). */
export const RIGHT_BUFFER_STATE = 'RIGHT_BUFFER';
/** Timer service of the left buffer's cleanup timers (namespace: the bucket's timestamp). */
export const LEFT_CLEANUP_TIMERS = 'interval-join-cleanup-left';
/** Timer service of the right buffer's cleanup timers (namespace: the bucket's timestamp). */
export const RIGHT_CLEANUP_TIMERS = 'interval-join-cleanup-right';

/** Settings of an {@link IntervalJoinOperator}; `IntervalJoined` builds them from the DataStream API. */
export interface IntervalJoinOperatorConfig<T1, T2> {
  /** Right elements join a left element `a` from `a.ts + lowerBound` on (ms, may be negative). */
  readonly lowerBound: number;
  /** … up to `a.ts + upperBound` (ms, ≥ lowerBound). */
  readonly upperBound: number;
  /** Whether a right timestamp equal to `a.ts + lowerBound` joins (default true). */
  readonly lowerBoundInclusive?: boolean;
  /** Whether a right timestamp equal to `a.ts + upperBound` joins (default true). */
  readonly upperBoundInclusive?: boolean;
  /** Writes buffered left elements into state snapshots (dynamic serializer by default). */
  readonly leftSerializer?: TypeSerializer<T1>;
  /** Writes buffered right elements into state snapshots (dynamic serializer by default). */
  readonly rightSerializer?: TypeSerializer<T2>;
  /** Where late left elements go; dropped (and counted) when undefined. */
  readonly leftLateDataOutputTag?: OutputTag<T1>;
  /** Where late right elements go; dropped (and counted) when undefined. */
  readonly rightLateDataOutputTag?: OutputTag<T2>;
}

type ProcessJoin<T1, T2, OUT> = Exclude<ProcessJoinFunctionLike<T1, T2, OUT>, (...args: any[]) => void>;

/**
 * Joins two keyed streams on event time (Flink's `IntervalJoinOperator`): emits every pair of a
 * left element `a` and a right element `b` with the same key and
 * `b.ts ∈ [a.ts + lowerBound, a.ts + upperBound]` (either bound exclusive when configured), once,
 * when the second element of the pair arrives. The pair goes to the `ProcessJoinFunction`; its
 * results carry `max(a.ts, b.ts)`.
 *
 * Each input's elements are kept in keyed MapState by timestamp. An element whose timestamp is
 * below the current watermark is late: it goes to its side's late-data output, or is dropped
 * and counted. A cleanup timer per buffered timestamp removes elements once the watermark
 * shows that no element that could still join them can arrive: left elements at
 * `ts + max(0, upperBound)`, right elements at `ts + max(0, -lowerBound)`.
 *
 * Records must carry event timestamps: one without fails the job, naming the operator.
 */
export class IntervalJoinOperator<T1, T2, OUT>
  extends AbstractUdfStreamOperator<OUT, ProcessJoinFunctionLike<T1, T2, OUT>>
  implements TwoInputStreamOperator<T1, T2, OUT>
{
  private readonly fn: ProcessJoin<T1, T2, OUT>;
  private readonly lowerBound: number;
  private readonly upperBound: number;
  private readonly lowerInclusive: boolean;
  private readonly upperInclusive: boolean;
  private readonly leftLateTag: OutputTag<T1> | undefined;
  private readonly rightLateTag: OutputTag<T2> | undefined;
  private readonly leftSerializer: TypeSerializer<T1>;
  private readonly rightSerializer: TypeSerializer<T2>;
  private backend!: HeapKeyedStateBackend<unknown>;
  private leftBuffer!: MapState<number, T1[]>;
  private rightBuffer!: MapState<number, T2[]>;
  private leftTimers!: InternalTimerService<number>;
  private rightTimers!: InternalTimerService<number>;
  private collector!: TimestampedCollector<OUT>;
  private context!: JoinContext;
  private name = '';
  private numLateRecordsDropped = 0;

  constructor(fn: ProcessJoinFunctionLike<T1, T2, OUT>, config: IntervalJoinOperatorConfig<T1, T2>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { processElement: fn } : fn;
    const { lowerBound, upperBound } = config;
    if (!Number.isFinite(lowerBound) || !Number.isFinite(upperBound)) {
      throw new RangeError(`interval join bounds must be finite numbers of ms, got [${lowerBound}, ${upperBound}]`);
    }
    if (lowerBound > upperBound) throw new RangeError(`interval join: lowerBound <= upperBound must be fulfilled, got [${lowerBound}, ${upperBound}]`);
    this.lowerBound = lowerBound;
    this.upperBound = upperBound;
    this.lowerInclusive = config.lowerBoundInclusive ?? true;
    this.upperInclusive = config.upperBoundInclusive ?? true;
    this.leftLateTag = config.leftLateDataOutputTag;
    this.rightLateTag = config.rightLateDataOutputTag;
    this.leftSerializer = config.leftSerializer ?? dynamicSerializer();
    this.rightSerializer = config.rightSerializer ?? dynamicSerializer();
  }

  override open(): void | Promise<void> {
    this.name = this.runtimeContext.getTaskName();
    requireKeySelector(this.keySelectors, 0, this.name);
    requireKeySelector(this.keySelectors, 1, this.name);
    this.backend = this.getKeyedStateBackend();
    this.leftBuffer = this.backend.getPartitionedState(new MapStateDescriptor(LEFT_BUFFER_STATE, Types.NUMBER, Types.ARRAY(typeOf(this.leftSerializer))));
    this.rightBuffer = this.backend.getPartitionedState(new MapStateDescriptor(RIGHT_BUFFER_STATE, Types.NUMBER, Types.ARRAY(typeOf(this.rightSerializer))));
    const timestampIdentity = (ts: number): string => String(ts);
    this.leftTimers = this.getInternalTimerService<number>(LEFT_CLEANUP_TIMERS, timestampIdentity, new BufferCleanup(this.leftBuffer));
    this.rightTimers = this.getInternalTimerService<number>(RIGHT_CLEANUP_TIMERS, timestampIdentity, new BufferCleanup(this.rightBuffer));
    this.collector = new TimestampedCollector(this.output);
    this.context = new JoinContext(this.output);
    return super.open();
  }

  processElement1(record: StreamRecord<T1>): void {
    const ts = this.checkTimestamp(record, 'left');
    if (ts < this.currentWatermark) {
      if (this.leftLateTag !== undefined) this.output.collectSide(this.leftLateTag, record);
      else this.numLateRecordsDropped++;
      return;
    }
    this.setKeyContextElement(record, 0);
    const value = record.value;
    addToBuffer(this.leftBuffer, value, ts);
    // Right elements b with b.ts in [ts + lower, ts + upper].
    const lo = ts + this.lowerBound;
    const hi = ts + this.upperBound;
    for (const [rightTs, rights] of this.rightBuffer.entries()) {
      if (!this.inRange(rightTs, lo, hi)) continue;
      for (let i = 0; i < rights.length; i++) this.collect(value, rights[i]!, ts, rightTs);
    }
    this.leftTimers.registerEventTimeTimer(ts, this.upperBound > 0 ? ts + this.upperBound : ts);
  }

  processElement2(record: StreamRecord<T2>): void {
    const ts = this.checkTimestamp(record, 'right');
    if (ts < this.currentWatermark) {
      if (this.rightLateTag !== undefined) this.output.collectSide(this.rightLateTag, record);
      else this.numLateRecordsDropped++;
      return;
    }
    this.setKeyContextElement(record, 1);
    const value = record.value;
    addToBuffer(this.rightBuffer, value, ts);
    // Left elements a with ts in [a.ts + lower, a.ts + upper] (the bounds are relative to the left timestamp).
    const lower = this.lowerBound;
    const upper = this.upperBound;
    for (const [leftTs, lefts] of this.leftBuffer.entries()) {
      if (!this.inRange(ts, leftTs + lower, leftTs + upper)) continue;
      for (let i = 0; i < lefts.length; i++) this.collect(lefts[i]!, value, leftTs, ts);
    }
    this.rightTimers.registerEventTimeTimer(ts, this.lowerBound < 0 ? ts - this.lowerBound : ts);
  }

  /** Number of late elements dropped (those without a late-data side output), both inputs together. */
  getNumLateRecordsDropped(): number {
    return this.numLateRecordsDropped;
  }

  /** @internal For tests: the keyed state backend (buffers under {@link LEFT_BUFFER_STATE} and {@link RIGHT_BUFFER_STATE}). */
  getStateBackendForTesting(): HeapKeyedStateBackend<unknown> {
    return this.backend;
  }

  /** @internal For tests: the number of pending cleanup timers of both inputs. */
  numCleanupTimersForTesting(): number {
    return this.leftTimers.numEventTimeTimers() + this.rightTimers.numEventTimeTimers();
  }

  private inRange(ts: number, lo: number, hi: number): boolean {
    return (this.lowerInclusive ? ts >= lo : ts > lo) && (this.upperInclusive ? ts <= hi : ts < hi);
  }

  private collect(left: T1, right: T2, leftTs: number, rightTs: number): void {
    const ts = leftTs > rightTs ? leftTs : rightTs;
    this.collector.setTimestamp(ts);
    const ctx = this.context;
    ctx.leftTimestamp = leftTs;
    ctx.rightTimestamp = rightTs;
    ctx.timestamp = ts;
    this.fn.processElement(left, right, ctx, this.collector as Collector<OUT>);
  }

  private checkTimestamp(record: StreamRecord<unknown>, side: 'left' | 'right'): number {
    if (!record.hasTimestamp()) {
      throw new Error(
        `Interval join operator '${this.name}': a record of the ${side} input has no event timestamp. Interval joins need ` +
          'timestamps: give the input a WatermarkStrategy (fromSource / assignTimestampsAndWatermarks)',
      );
    }
    return record.timestamp;
  }
}

function addToBuffer<T>(buffer: MapState<number, T[]>, value: T, ts: number): void {
  const bucket = buffer.get(ts);
  if (bucket === undefined) buffer.put(ts, [value]);
  else {
    bucket.push(value);
    buffer.put(ts, bucket);
  }
}

/** A type information around a serializer, for the state descriptors. */
function typeOf<T>(serializer: TypeSerializer<T>): { readonly name: string; createSerializer(): TypeSerializer<T> } {
  return { name: serializer.id, createSerializer: () => serializer };
}

/** Removes a buffer's bucket when its cleanup timer fires (the timer's namespace is the bucket's timestamp). */
class BufferCleanup implements Triggerable<unknown, number> {
  constructor(private readonly buffer: MapState<number, unknown>) {}

  onEventTime(timer: InternalTimer<unknown, number>): void {
    this.buffer.remove(timer.namespace);
  }

  onProcessingTime(): void {}
}

/** The {@link ProcessJoinContext}, pointed at each pair. */
class JoinContext implements ProcessJoinContext {
  leftTimestamp = 0;
  rightTimestamp = 0;
  timestamp = 0;
  private readonly sideRecord = new StreamRecord<unknown>(undefined);

  constructor(private readonly out: { collectSide<X>(tag: OutputTag<X>, record: StreamRecord<X>): void }) {}

  getLeftTimestamp(): number {
    return this.leftTimestamp;
  }
  getRightTimestamp(): number {
    return this.rightTimestamp;
  }
  getTimestamp(): number {
    return this.timestamp;
  }
  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag, this.sideRecord.replaceWithTimestamp(value, this.timestamp));
  }
}
