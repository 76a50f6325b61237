import { StreamRecord, Watermark, type OutputTag } from '@riffle/core';
import { ManualProcessingTimeService, PROCESSING_TIME_SERVICE, type HeapInternalTimerService, type InternalTimer } from '@riffle/runtime';
import type { HeapKeyedStateBackend, KeyedStateSnapshot } from '@riffle/state';
import type { DataStream } from '../../streams/data-stream.js';
import { CollectingOutput, openOperator, TestingRuntimeContext } from '../../testing/operator-test-utils.js';
import type { OneInputTransformation } from '../../transformations/transformation.js';
import type { WindowOperator } from '../operator/window-operator.js';

/** A window operator's keyed state (bytes) and timers, taken between elements. */
export interface WindowOperatorSnapshot {
  readonly keyed: KeyedStateSnapshot;
  readonly timers: { eventTime: InternalTimer<unknown, unknown>[]; processingTime: InternalTimer<unknown, unknown>[] };
}

/**
 * Drives one window operator in a test: elements with timestamps, watermarks and a manual
 * processing-time clock, with everything emitted collected in order.
 */
export class WindowOperatorHarness<IN, OUT> {
  readonly time: ManualProcessingTimeService;
  output!: CollectingOutput<OUT>;

  constructor(
    readonly operator: WindowOperator<IN, any, OUT, any, any>,
    private readonly keySelector: (value: IN) => unknown,
    private readonly options: { maxParallelism?: number; startTime?: number } = {},
  ) {
    this.time = new ManualProcessingTimeService(options.startTime ?? 0);
  }

  /** A harness for the window operator that produces `stream` (built with the DataStream API), opened. */
  static async of<OUT>(stream: DataStream<OUT>, options: { maxParallelism?: number; startTime?: number } = {}): Promise<WindowOperatorHarness<any, OUT>> {
    const t = stream.getTransformation() as OneInputTransformation<any, OUT>;
    const selector = t.keySelector;
    if (selector === undefined) throw new Error('the stream is not produced by a keyed window operator');
    const operator = t.operatorFactory() as WindowOperator<any, any, OUT, any, any>;
    return new WindowOperatorHarness<any, OUT>(operator, (v) => selector.getKey(v), options).open();
  }

  /** A fresh window operator for `stream`, restored from `snapshot` and opened (its clock at `snapshot` time). */
  static async restore<OUT>(stream: DataStream<OUT>, snapshot: WindowOperatorSnapshot, options: { maxParallelism?: number; startTime?: number } = {}): Promise<WindowOperatorHarness<any, OUT>> {
    const t = stream.getTransformation() as OneInputTransformation<any, OUT>;
    const selector = t.keySelector!;
    const operator = t.operatorFactory() as WindowOperator<any, any, OUT, any, any>;
    const h = new WindowOperatorHarness<any, OUT>(operator, (v) => selector.getKey(v), options);
    h.output = new CollectingOutput<OUT>();
    operator.setup({
      output: h.output,
      runtimeContext: new TestingRuntimeContext({ maxParallelism: options.maxParallelism ?? 128 }),
      keySelectors: [selector],
      services: new Map<string, unknown>([[PROCESSING_TIME_SERVICE, h.time]]),
    });
    operator.getStateBackendForTesting().restore([snapshot.keyed]);
    await operator.open();
    (operator.getTimerServiceForTesting() as unknown as HeapInternalTimerService<unknown, unknown>).restore(snapshot.timers);
    return h;
  }

  /** The operator's keyed state and timers now. */
  snapshot(): WindowOperatorSnapshot {
    const timers = (this.operator.getTimerServiceForTesting() as unknown as HeapInternalTimerService<unknown, unknown>).snapshot();
    return { keyed: this.backend().snapshot(), timers: { eventTime: timers.eventTime.map((x) => ({ ...x })), processingTime: timers.processingTime.map((x) => ({ ...x })) } };
  }

  async open(): Promise<this> {
    const { output } = await openOperator<OUT, WindowOperator<IN, any, OUT, any, any>>(this.operator, {
      keySelectors: [{ getKey: this.keySelector }],
      processingTime: this.time,
      maxParallelism: this.options.maxParallelism ?? 128,
    });
    this.output = output;
    return this;
  }

  element(value: IN, timestamp?: number): this {
    this.operator.processElement(timestamp === undefined ? new StreamRecord(value) : new StreamRecord(value, timestamp));
    return this;
  }

  watermark(timestamp: number): this {
    this.operator.processWatermark(new Watermark(timestamp));
    return this;
  }

  advanceProcessingTime(to: number): this {
    this.time.advanceTo(to);
    return this;
  }

  /** The values emitted so far, and forgets them. */
  take(): OUT[] {
    const values = this.output.values();
    this.output.records.length = 0;
    return values;
  }

  /** The records (value and timestamp) emitted so far, and forgets them. */
  takeRecords(): Array<{ value: OUT; timestamp: number }> {
    const records = this.output.records.slice();
    this.output.records.length = 0;
    return records;
  }

  side<X>(tag: OutputTag<X>): X[] {
    return this.output.sideValues(tag);
  }

  backend(): HeapKeyedStateBackend<unknown> {
    return this.operator.getStateBackendForTesting();
  }

  /** Number of (key, namespace) entries of all keyed state (window contents, trigger and function state, window sets). */
  numStateEntries(): number {
    return this.backend().numKeys();
  }
}
