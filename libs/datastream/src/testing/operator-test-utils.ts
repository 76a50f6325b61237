import type {
  KeySelector,
  OneInputStreamOperator,
  Output,
  OutputTag,
  StreamOperator,
  StreamRecord,
  TwoInputStreamOperator,
  Watermark,
  WatermarkStatus,
} from '@riffle/core';
import { ManualProcessingTimeService, PROCESSING_TIME_SERVICE, StreamingRuntimeContext, type StreamGraph, type StreamNode } from '@riffle/runtime';

/**
 * A tiny operator test kit for this package's unit tests (a proper harness package, with state
 * snapshots and timers, comes with keyed state). Records are copied on arrival because the
 * Output contract lets senders reuse record objects.
 */

/** An {@link Output} that keeps everything it receives. */
export class CollectingOutput<T> implements Output<T> {
  readonly records: Array<{ value: T; timestamp: number }> = [];
  readonly side = new Map<string, Array<{ value: unknown; timestamp: number }>>();
  readonly watermarks: number[] = [];

  collect(record: StreamRecord<T>): void {
    this.records.push({ value: record.value, timestamp: record.timestamp });
  }

  collectSide<X>(tag: OutputTag<X>, record: StreamRecord<X>): void {
    let list = this.side.get(tag.id);
    if (!list) this.side.set(tag.id, (list = []));
    list.push({ value: record.value, timestamp: record.timestamp });
  }

  emitWatermark(mark: Watermark): void {
    this.watermarks.push(mark.timestamp);
  }

  readonly statuses: WatermarkStatus[] = [];

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.statuses.push(status);
  }

  values(): T[] {
    return this.records.map((r) => r.value);
  }

  sideValues<X>(tag: OutputTag<X>): X[] {
    return (this.side.get(tag.id) ?? []).map((r) => r.value as X);
  }
}

export interface TestingRuntimeContextOptions {
  subtask?: number;
  parallelism?: number;
  maxParallelism?: number;
  attempt?: number;
  taskName?: string;
  jobId?: string;
}

/** A runtime context with fixed answers (and keyed state once a keyed operator attaches its store). */
export class TestingRuntimeContext extends StreamingRuntimeContext {
  constructor(options: TestingRuntimeContextOptions = {}) {
    super(
      options.taskName ?? 'Test Operator',
      options.subtask ?? 0,
      options.parallelism ?? 1,
      options.maxParallelism ?? 128,
      options.attempt ?? 0,
      options.jobId ?? 'test-job',
    );
  }
}

export interface SetupOptions extends TestingRuntimeContextOptions {
  keySelectors?: Array<KeySelector<any, any> | undefined>;
  services?: Map<string, unknown>;
  /** The processing-time clock the operator sees (a fresh manual one at 0 by default). */
  processingTime?: ManualProcessingTimeService;
}

/** Creates a node's operator, sets it up with a {@link CollectingOutput} and opens it. */
export async function openNodeOperator<OUT, O extends StreamOperator<OUT> = OneInputStreamOperator<any, OUT>>(
  graph: StreamGraph,
  node: StreamNode | number,
  options: SetupOptions = {},
): Promise<{ operator: O; output: CollectingOutput<OUT> }> {
  const n = typeof node === 'number' ? graph.getNode(node) : node;
  if (!n.operatorFactory) throw new Error(`node ${n.id} (${n.name}) has no operator`);
  return openOperator<OUT, O>(n.operatorFactory() as O, {
    taskName: n.name,
    parallelism: n.parallelism,
    maxParallelism: n.maxParallelism,
    keySelectors: n.keySelectors,
    ...options,
  });
}

/** Sets up and opens `operator` with a {@link CollectingOutput}. */
export async function openOperator<OUT, O extends StreamOperator<OUT>>(operator: O, options: SetupOptions = {}): Promise<{ operator: O; output: CollectingOutput<OUT> }> {
  const output = new CollectingOutput<OUT>();
  operator.setup({
    output,
    runtimeContext: new TestingRuntimeContext(options),
    keySelectors: options.keySelectors ?? [],
    services: new Map<string, unknown>([
      [PROCESSING_TIME_SERVICE, options.processingTime ?? new ManualProcessingTimeService(0)],
      ...(options.services ?? new Map()),
    ]),
  });
  await operator.open();
  return { operator, output };
}

/** Typed views on operators for tests. */
export type OneInput<IN, OUT> = OneInputStreamOperator<IN, OUT>;
export type TwoInput<IN1, IN2, OUT> = TwoInputStreamOperator<IN1, IN2, OUT>;
