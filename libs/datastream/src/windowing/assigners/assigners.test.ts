import { NO_TIMESTAMP, Time } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import { GlobalWindow } from '../windows/global-window.js';
import { TimeWindow } from '../windows/time-window.js';
import { GlobalWindows, NeverTrigger } from './global-windows.js';
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './session-windows.js';
import { SlidingEventTimeWindows } from './sliding-event-time-windows.js';
import { SlidingProcessingTimeWindows } from './sliding-processing-time-windows.js';
import { TumblingEventTimeWindows } from './tumbling-event-time-windows.js';
import { TumblingProcessingTimeWindows } from './tumbling-processing-time-windows.js';

const noClock = { getCurrentProcessingTime: (): number => 0 };
const clockAt = (t: number) => ({ getCurrentProcessingTime: (): number => t });
const bounds = (ws: readonly TimeWindow[]): Array<[number, number]> => ws.map((w) => [w.start, w.end]);

describe('TimeWindow', () => {
  it('computes window starts with offsets for positive and negative timestamps', () => {
    expect(TimeWindow.getWindowStartWithOffset(0, 0, 5000)).toBe(0);
    expect(TimeWindow.getWindowStartWithOffset(4999, 0, 5000)).toBe(0);
    expect(TimeWindow.getWindowStartWithOffset(5000, 0, 5000)).toBe(5000);
    expect(TimeWindow.getWindowStartWithOffset(-1, 0, 5000)).toBe(-5000);
    expect(TimeWindow.getWindowStartWithOffset(-5000, 0, 5000)).toBe(-5000);
    expect(TimeWindow.getWindowStartWithOffset(-5001, 0, 5000)).toBe(-10000);
    expect(TimeWindow.getWindowStartWithOffset(1000, 100, 5000)).toBe(100);
    expect(TimeWindow.getWindowStartWithOffset(99, 100, 5000)).toBe(-4900);
    expect(TimeWindow.getWindowStartWithOffset(1000, -100, 5000)).toBe(-100);
    expect(TimeWindow.getWindowStartWithOffset(4900, -100, 5000)).toBe(4900);
  });

  it('has the max timestamp end - 1 and value equality', () => {
    const w = new TimeWindow(0, 10);
    expect(w.maxTimestamp()).toBe(9);
    expect(w.equals(new TimeWindow(0, 10))).toBe(true);
    expect(w.equals(new TimeWindow(0, 11))).toBe(false);
    expect(w.identity()).toBe(new TimeWindow(0, 10).identity());
    expect(String(w)).toBe('TimeWindow{start=0, end=10}');
    // Only start and end are enumerable: structural encodings see the window's value only.
    expect(Object.keys(w)).toEqual(['start', 'end']);
  });

  it('intersects touching windows and covers both', () => {
    expect(new TimeWindow(0, 5).intersects(new TimeWindow(5, 10))).toBe(true);
    expect(new TimeWindow(0, 5).intersects(new TimeWindow(6, 10))).toBe(false);
    const c = new TimeWindow(3, 5).cover(new TimeWindow(0, 4));
    expect([c.start, c.end]).toEqual([0, 5]);
  });

  it('merges overlapping windows into groups in start order', () => {
    const merges: Array<[Array<[number, number]>, [number, number]]> = [];
    TimeWindow.mergeWindows([new TimeWindow(10, 15), new TimeWindow(0, 5), new TimeWindow(4, 8), new TimeWindow(20, 25), new TimeWindow(15, 16)], (ws, r) =>
      merges.push([bounds(ws), [r.start, r.end]]),
    );
    expect(merges).toEqual([
      [
        [
          [0, 5],
          [4, 8],
        ],
        [0, 8],
      ],
      [
        [
          [10, 15],
          [15, 16],
        ],
        [10, 16],
      ],
    ]);
  });
});

describe('TumblingEventTimeWindows', () => {
  it('assigns the aligned window, with offsets and negative timestamps', () => {
    const a = TumblingEventTimeWindows.of(Time.seconds(5));
    expect(bounds(a.assignWindows('x', 0, noClock))).toEqual([[0, 5000]]);
    expect(bounds(a.assignWindows('x', 4999, noClock))).toEqual([[0, 5000]]);
    expect(bounds(a.assignWindows('x', 5000, noClock))).toEqual([[5000, 10000]]);
    expect(bounds(a.assignWindows('x', -1, noClock))).toEqual([[-5000, 0]]);
    const o = TumblingEventTimeWindows.of(5000, 100);
    expect(bounds(o.assignWindows('x', 99, noClock))).toEqual([[-4900, 100]]);
    expect(bounds(o.assignWindows('x', 100, noClock))).toEqual([[100, 5100]]);
    const neg = TumblingEventTimeWindows.of(Time.hours(24), -8 * 3600_000);
    expect(bounds(neg.assignWindows('x', 0, noClock))).toEqual([[-8 * 3600_000, 16 * 3600_000]]);
  });

  it('returns the same window object for the elements of one window', () => {
    const a = TumblingEventTimeWindows.of(1000);
    expect(a.assignWindows('x', 10, noClock)[0]).toBe(a.assignWindows('y', 999, noClock)[0]);
  });

  it('is event time with the event-time trigger and rejects bad parameters and missing timestamps', () => {
    const a = TumblingEventTimeWindows.of(1000);
    expect(a.isEventTime()).toBe(true);
    expect(a.getDefaultTrigger()).toBeInstanceOf(EventTimeTrigger);
    expect(() => TumblingEventTimeWindows.of(1000, 1000)).toThrow(/abs\(offset\) < size/);
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(/abs\(offset\) < size/);
    expect(() => a.assignWindows('x', NO_TIMESTAMP, noClock)).toThrow(/no timestamp/);
  });
});

describe('SlidingEventTimeWindows', () => {
  it('assigns size/slide windows, latest start first', () => {
    const a = SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(3));
    // 10 / 3 is not integral: 4 windows contain 0 and 9, but 3 contain 1000.
    expect(bounds(a.assignWindows('x', 0, noClock))).toEqual([
      [0, 10000],
      [-3000, 7000],
      [-6000, 4000],
      [-9000, 1000],
    ]);
    expect(a.assignWindows('x', 1000, noClock)).toHaveLength(3);
    const b = SlidingEventTimeWindows.of(10_000, 1000);
    for (const t of [0, 1, 999, 1000, -1, -12345, 1_700_000_000_123]) {
      const ws = b.assignWindows('x', t, noClock);
      expect(ws).toHaveLength(10);
      for (const w of ws) expect(w.start <= t && t < w.end).toBe(true);
    }
  });

  it('applies the offset to the window starts', () => {
    const a = SlidingEventTimeWindows.of(4000, 2000, 500);
    expect(bounds(a.assignWindows('x', 500, noClock))).toEqual([
      [500, 4500],
      [-1500, 2500],
    ]);
    expect(bounds(a.assignWindows('x', 499, noClock))).toEqual([
      [-1500, 2500],
      [-3500, 500],
    ]);
  });

  it('rejects offsets not smaller than the slide and non-positive sizes', () => {
    expect(() => SlidingEventTimeWindows.of(1000, 100, 100)).toThrow(/abs\(offset\) < slide/);
    expect(() => SlidingEventTimeWindows.of(0, 100)).toThrow(/size > 0/);
    expect(() => SlidingEventTimeWindows.of(1000, 0)).toThrow();
  });
});

describe('session windows', () => {
  it('give each element [t, t + gap) and merge overlapping ones', () => {
    const a = EventTimeSessionWindows.withGap(Time.seconds(1));
    expect(bounds(a.assignWindows('x', 500, noClock))).toEqual([[500, 1500]]);
    const merges: Array<[number, number]> = [];
    a.mergeWindows([new TimeWindow(0, 1000), new TimeWindow(1000, 2000), new TimeWindow(3000, 4000)], (_ws, r) => merges.push([r.start, r.end]));
    expect(merges).toEqual([[0, 2000]]);
    expect(a.isEventTime()).toBe(true);
    expect(() => EventTimeSessionWindows.withGap(0)).toThrow(/gap must be > 0/);
  });

  it('take a dynamic gap from the element', () => {
    const a = EventTimeSessionWindows.withDynamicGap((e: { gap: number }) => e.gap);
    expect(bounds(a.assignWindows({ gap: 7 }, 10, noClock))).toEqual([[10, 17]]);
    expect(() => a.assignWindows({ gap: 0 }, 10, noClock)).toThrow(/0 < gap/);
  });

  it('use processing time for processing-time sessions', () => {
    const a = ProcessingTimeSessionWindows.withGap(100);
    expect(bounds(a.assignWindows('x', NO_TIMESTAMP, clockAt(42)))).toEqual([[42, 142]]);
    expect(a.isEventTime()).toBe(false);
    expect(a.getDefaultTrigger()).toBeInstanceOf(ProcessingTimeTrigger);
    const d = ProcessingTimeSessionWindows.withDynamicGap((e: number) => e);
    expect(bounds(d.assignWindows(5, NO_TIMESTAMP, clockAt(42)))).toEqual([[42, 47]]);
  });
});

describe('processing-time assigners', () => {
  it('assign by the current processing time, ignoring the timestamp', () => {
    const t = TumblingProcessingTimeWindows.of(1000);
    expect(bounds(t.assignWindows('x', NO_TIMESTAMP, clockAt(2500)))).toEqual([[2000, 3000]]);
    expect(t.isEventTime()).toBe(false);
    expect(t.getDefaultTrigger()).toBeInstanceOf(ProcessingTimeTrigger);
    const s = SlidingProcessingTimeWindows.of(1000, 500);
    expect(bounds(s.assignWindows('x', 0, clockAt(2500)))).toEqual([
      [2500, 3500],
      [2000, 3000],
    ]);
  });
});

describe('GlobalWindows', () => {
  it('puts everything into the one global window, which never ends and never fires by default', () => {
    const g = GlobalWindows.create();
    const [w] = g.assignWindows('x', 5, noClock);
    expect(w).toBe(GlobalWindow.get());
    expect(w!.maxTimestamp()).toBe(Number.POSITIVE_INFINITY);
    expect(g.getDefaultTrigger()).toBeInstanceOf(NeverTrigger);
    expect(g.isEventTime()).toBe(false);
  });
});
