import type { DataInputView, DataOutputView, TypeSerializer } from '@riffle/core';
import { Window, WindowTypeInformation } from './window.js';

/**
 * A window of time from `start` (inclusive) to `end` (exclusive), in milliseconds (Flink's
 * `TimeWindow`). The event-time and processing-time assigners produce these.
 */
export class TimeWindow extends Window {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super();
  }

  getStart(): number {
    return this.start;
  }

  getEnd(): number {
    return this.end;
  }

  /** `end - 1`: the last millisecond that belongs to the window. */
  maxTimestamp(): number {
    return this.end - 1;
  }

  /** True when the windows overlap or touch (`[0, 5)` and `[5, 10)` intersect), as in Flink. */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window containing both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  protected override computeIdentity(): string {
    return `${this.start},${this.end}`;
  }

  /**
   * Same as {@link Window.equals} (same class, same bounds) without building identity strings:
   * session windows compare a fresh window per record with the merged ones.
   */
  override equals(other: unknown): boolean {
    if (this === other) return true;
    if (this.constructor !== TimeWindow || !(other instanceof TimeWindow) || other.constructor !== TimeWindow) return super.equals(other);
    return this.start === other.start && this.end === other.end;
  }

  override toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  /**
   * The start of the window of length `windowSize` that contains `timestamp`, for windows
   * aligned to `offset` (Flink's `TimeWindow.getWindowStartWithOffset`): works for negative
   * timestamps and offsets.
   */
  static getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
    const remainder = (timestamp - offset) % windowSize;
    // % keeps the sign of the dividend: step back one size for negative remainders.
    return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
  }

  /**
   * Merges overlapping (or touching) windows, as Flink's `TimeWindow.mergeWindows`: sorts by
   * start, sweeps, and calls `callback(merged, result)` for every group of two or more distinct
   * windows. Equal windows count once.
   */
  static mergeWindows(windows: readonly TimeWindow[], callback: (toBeMerged: TimeWindow[], mergeResult: TimeWindow) => void): void {
    if (windows.length < 2) return;
    const sorted = windows.slice().sort(byStart);
    let cover = sorted[0]!;
    let group: TimeWindow[] = [cover];
    for (let i = 1; i < sorted.length; i++) {
      const candidate = sorted[i]!;
      if (cover.intersects(candidate)) {
        cover = cover.cover(candidate);
        if (!containsWindow(group, candidate)) group.push(candidate);
      } else {
        if (group.length > 1) callback(group, cover);
        cover = candidate;
        group = [candidate];
      }
    }
    if (group.length > 1) callback(group, cover);
  }
}

function byStart(a: TimeWindow, b: TimeWindow): number {
  return a.start - b.start;
}

function containsWindow(list: readonly TimeWindow[], w: TimeWindow): boolean {
  for (let i = 0; i < list.length; i++) if (list[i]!.start === w.start && list[i]!.end === w.end) return true;
  return false;
}

/**
 * Serializer of {@link TimeWindow}s (Flink's `TimeWindow.Serializer`): start and end as two
 * float64s (version 1 format, id `time-window`).
 */
export class TimeWindowSerializer implements TypeSerializer<TimeWindow> {
  static readonly INSTANCE = new TimeWindowSerializer();
  readonly id = 'time-window';

  serialize(value: TimeWindow, out: DataOutputView): void {
    out.writeFloat64(value.start);
    out.writeFloat64(value.end);
  }

  deserialize(input: DataInputView): TimeWindow {
    const start = input.readFloat64();
    return new TimeWindow(start, input.readFloat64());
  }

  copy(value: TimeWindow): TimeWindow {
    return value;
  }
}

/** Type information of {@link TimeWindow}, for state descriptors that hold windows. */
export const TIME_WINDOW_TYPE = new WindowTypeInformation<TimeWindow>('TimeWindow', TimeWindowSerializer.INSTANCE);
