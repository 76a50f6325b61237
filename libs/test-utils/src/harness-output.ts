import type { Output, OutputTag, StreamRecord, Watermark, WatermarkStatus } from '@riffle/core';

/** A record an operator emitted; `timestamp` is absent when the record carries none. */
export interface OutputRecord<T> {
  readonly value: T;
  readonly timestamp?: number;
}

/** A watermark an operator emitted. */
export interface OutputWatermark {
  readonly watermark: number;
}

/** A watermark-status change an operator emitted. */
export interface OutputWatermarkStatus {
  readonly watermarkStatus: WatermarkStatus;
}

/** One element of a harness's main output, in emission order. */
export type OutputElement<T> = OutputRecord<T> | OutputWatermark | OutputWatermarkStatus;

/** True for the records of an output (not watermarks or statuses). */
export function isOutputRecord<T>(element: OutputElement<T>): element is OutputRecord<T> {
  return 'value' in element;
}

/** Turns a (possibly reused) StreamRecord into a plain, independent output record. */
function toOutputRecord<T>(record: StreamRecord<T>): OutputRecord<T> {
  return record.hasTimestamp() ? { value: record.value, timestamp: record.timestamp } : { value: record.value };
}

/**
 * The {@link Output} a test harness gives its operator: keeps every element, in emission order.
 * Record wrappers are copied on arrival, because the Output contract lets the operator reuse its
 * `StreamRecord` for the next record; values are kept as they are (not cloned).
 */
export class HarnessOutput<T> implements Output<T> {
  readonly elements: OutputElement<T>[] = [];
  readonly sideOutputs = new Map<string, OutputRecord<unknown>[]>();

  collect(record: StreamRecord<T>): void {
    this.elements.push(toOutputRecord(record));
  }

  collectSide<X>(tag: OutputTag<X>, record: StreamRecord<X>): void {
    let list = this.sideOutputs.get(tag.id);
    if (list === undefined) this.sideOutputs.set(tag.id, (list = []));
    list.push(toOutputRecord(record));
  }

  emitWatermark(mark: Watermark): void {
    this.elements.push({ watermark: mark.timestamp });
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    this.elements.push({ watermarkStatus: status });
  }

  /** Forgets everything emitted so far, main and side outputs. */
  clear(): void {
    this.elements.length = 0;
    this.sideOutputs.clear();
  }
}
