import { OutputTag, Time, type AggregateFunction, type Collector } from '@riffle/core';
import { ValueStateDescriptor } from '@riffle/state';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../environment/stream-execution-environment.js';
import type { KeyedStream } from '../../streams/data-stream.js';
import { EventTimeSessionWindows } from '../assigners/session-windows.js';
import { SlidingEventTimeWindows } from '../assigners/sliding-event-time-windows.js';
import { TumblingEventTimeWindows } from '../assigners/tumbling-event-time-windows.js';
import { ProcessWindowFunction, type ProcessWindowContext } from '../functions/window-functions.js';
import { WindowOperatorHarness } from '../testing/window-operator-harness.js';
import { ContinuousEventTimeTrigger } from '../triggers/continuous-event-time-trigger.js';
import { CountTrigger } from '../triggers/count-trigger.js';
import type { TimeWindow } from '../windows/time-window.js';

type Ev = [key: string, value: number];

function keyed(): KeyedStream<Ev, string> {
  return new StreamExecutionEnvironment().fromElements<Ev>(['a', 0]).keyBy((e) => e[0]);
}

const sumOf = (a: Ev, b: Ev): Ev => [a[0], a[1] + b[1]];

/** Counts and sums; results `[count, sum]`. */
const countSum: AggregateFunction<Ev, { n: number; s: number }, [number, number]> = {
  createAccumulator: () => ({ n: 0, s: 0 }),
  add: (v, acc) => {
    acc.n++;
    acc.s += v[1];
    return acc;
  },
  getResult: (acc) => [acc.n, acc.s],
  merge: (a, b) => ({ n: a.n + b.n, s: a.s + b.s }),
};

/** Emits `[key, start, end, sorted values]` for each firing. */
class Describe extends ProcessWindowFunction<Ev, [string, number, number, number[]], string, TimeWindow> {
  process(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Ev>, out: Collector<[string, number, number, number[]]>): void {
    const w = ctx.window();
    out.collect([key, w.start, w.end, [...elements].map((e) => e[1]).sort((x, y) => x - y)]);
  }
}

describe('WindowOperator: event-time tumbling windows', () => {
  it('fires each key and window when the watermark passes the window end, with the window max timestamp', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(Time.milliseconds(10))).reduce(sumOf));
    h.element(['a', 1], 1).element(['b', 2], 3).element(['a', 3], 9).element(['a', 4], 10).element(['b', 5], 0);
    h.watermark(8);
    expect(h.take()).toEqual([]);
    h.watermark(9);
    expect(h.takeRecords()).toEqual([
      { value: ['a', 4], timestamp: 9 },
      { value: ['b', 7], timestamp: 9 },
    ]);
    h.watermark(100);
    expect(h.takeRecords()).toEqual([{ value: ['a', 4], timestamp: 19 }]);
    expect(h.output.watermarks).toEqual([8, 9, 100]);
  });

  it('clears the state of fired windows at their cleanup time', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(10)).reduce(sumOf));
    for (let i = 0; i < 50; i++) h.element([`k${i % 5}`, i], i);
    // 5 keys x 5 windows of contents.
    expect(h.backend().numKeys('window-contents')).toBe(25);
    h.watermark(29);
    expect(h.take()).toHaveLength(15);
    expect(h.backend().numKeys('window-contents')).toBe(10);
    h.watermark(49);
    expect(h.numStateEntries()).toBe(0);
    expect(h.operator.getTimerServiceForTesting().numEventTimeTimers()).toBe(0);
  });

  it('aggregates incrementally and hands the result to a window function', async () => {
    const h = await WindowOperatorHarness.of(
      keyed()
        .window(TumblingEventTimeWindows.of(10))
        .aggregate(countSum, (key: string, w: TimeWindow, results: Iterable<[number, number]>, out: Collector<string>) => {
          for (const [n, s] of results) out.collect(`${key}@${w.start}: ${n} ${s}`);
        }),
    );
    h.element(['a', 1], 1).element(['a', 2], 2).element(['b', 5], 5).element(['a', 7], 12);
    h.watermark(20);
    expect(h.take()).toEqual(['a@0: 2 3', 'b@0: 1 5', 'a@10: 1 7']);
  });
});

describe('WindowOperator: allowed lateness and late data', () => {
  it('re-fires a window for each late element within the lateness, and side-outputs elements late for all windows', async () => {
    const late = new OutputTag<Ev>('late');
    const stream = keyed().window(TumblingEventTimeWindows.of(10)).allowedLateness(Time.milliseconds(5)).sideOutputLateData(late).reduce(sumOf);
    const h = await WindowOperatorHarness.of(stream);
    h.element(['a', 1], 2).element(['a', 2], 5);
    h.watermark(9);
    expect(h.take()).toEqual([['a', 3]]);
    // Within lateness (cleanup at 9 + 5 = 14): each late element fires the updated window at once.
    h.element(['a', 10], 7);
    expect(h.takeRecords()).toEqual([{ value: ['a', 13], timestamp: 9 }]);
    h.watermark(13);
    h.element(['a', 100], 0);
    expect(h.take()).toEqual([['a', 113]]);
    expect(h.backend().numKeys('window-contents')).toBe(1);
    h.watermark(14);
    expect(h.backend().numKeys('window-contents')).toBe(0);
    // Now too late: side output with its own timestamp, no firing.
    h.element(['a', 1000], 4);
    expect(h.take()).toEqual([]);
    expect(h.output.side.get('late')).toEqual([{ value: ['a', 1000], timestamp: 4 }]);
    expect(h.operator.getNumLateRecordsDropped()).toBe(0);
  });

  it('drops and counts late elements without a side output', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(10)).reduce(sumOf));
    h.watermark(20);
    h.element(['a', 1], 5).element(['a', 1], 19).element(['a', 1], 20);
    expect(h.operator.getNumLateRecordsDropped()).toBe(2);
    h.watermark(29);
    expect(h.take()).toEqual([['a', 1]]);
  });

  it('keeps a sliding element that is late for some of its windows only in the others, and does not count it late', async () => {
    const late = new OutputTag<Ev>('late');
    const h = await WindowOperatorHarness.of(keyed().window(SlidingEventTimeWindows.of(10, 5)).sideOutputLateData(late).reduce(sumOf));
    h.watermark(9);
    h.element(['a', 1], 7); // windows [0,10) late, [5,15) open
    expect(h.side(late)).toEqual([]);
    h.watermark(14);
    expect(h.takeRecords()).toEqual([{ value: ['a', 1], timestamp: 14 }]);
  });
});

describe('WindowOperator: session windows', () => {
  it('merges sessions, including two sessions bridged by one element', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(EventTimeSessionWindows.withGap(10)).process(new Describe()));
    h.element(['a', 1], 0).element(['a', 2], 5); // session [0, 15)
    h.element(['a', 3], 22).element(['a', 4], 24); // session [22, 34)
    h.element(['b', 9], 16); // other key: [16, 26)
    expect(h.backend().numKeys('window-contents')).toBe(3);
    h.element(['a', 5], 13); // [13, 23) touches both sessions of 'a': one session [0, 34)
    expect(h.backend().numKeys('window-contents')).toBe(2);
    h.watermark(25);
    expect(h.takeRecords()).toEqual([{ value: ['b', 16, 26, [9]], timestamp: 25 }]);
    h.watermark(32);
    expect(h.take()).toEqual([]);
    h.watermark(33);
    expect(h.takeRecords()).toEqual([{ value: ['a', 0, 34, [1, 2, 3, 4, 5]], timestamp: 33 }]);
    expect(h.numStateEntries()).toBe(0);
    expect(h.operator.getTimerServiceForTesting().numEventTimeTimers()).toBe(0);
  });

  it('merges counting trigger state when sessions merge', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(EventTimeSessionWindows.withGap(10)).trigger(CountTrigger.of(3)).process(new Describe()));
    h.element(['a', 1], 0).element(['a', 2], 20);
    expect(h.take()).toEqual([]);
    h.element(['a', 3], 10); // bridges: 3 elements in the merged session
    expect(h.take()).toEqual([['a', 0, 30, [1, 2, 3]]]);
  });

  it('fires a session again when a late element within the lateness extends it', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(EventTimeSessionWindows.withGap(10)).allowedLateness(100).process(new Describe()));
    h.element(['a', 1], 0);
    h.watermark(9);
    expect(h.take()).toEqual([['a', 0, 10, [1]]]);
    h.element(['a', 2], 5); // merges into [0, 15), whose end is still after the watermark
    h.watermark(14);
    expect(h.take()).toEqual([['a', 0, 15, [1, 2]]]);
    h.element(['a', 3], 3); // inside the fired session: fires at once
    expect(h.take()).toEqual([['a', 0, 15, [1, 2, 3]]]);
    h.watermark(114);
    expect(h.numStateEntries()).toBe(0);
  });
});

describe('WindowOperator: window function context', () => {
  it('gives per-window state that survives re-firings and is cleared with the window, global state across windows, and side outputs', async () => {
    const firings = new ValueStateDescriptor<number>('firings');
    const total = new ValueStateDescriptor<number>('total');
    const info = new OutputTag<string>('info');
    const cleared: number[] = [];
    class Firing extends ProcessWindowFunction<Ev, string, string, TimeWindow> {
      process(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Ev>, out: Collector<string>): void {
        const n = (ctx.windowState().getState(firings).value() ?? 0) + 1;
        ctx.windowState().getState(firings).update(n);
        const t = (ctx.globalState().getState(total).value() ?? 0) + 1;
        ctx.globalState().getState(total).update(t);
        out.collect(`${key} ${ctx.window().start} firing ${n} total ${t} size ${[...elements].length} wm ${ctx.currentWatermark()}`);
        ctx.output(info, `info ${ctx.window().start}`);
      }
      override clear(ctx: ProcessWindowContext<TimeWindow>): void {
        cleared.push(ctx.window().start);
        ctx.windowState().getState(firings).clear();
      }
    }
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(10)).allowedLateness(10).process(new Firing()));
    h.element(['a', 1], 1).watermark(9).element(['a', 1], 2).element(['a', 1], 15).watermark(19);
    expect(h.take()).toEqual(['a 0 firing 1 total 1 size 1 wm 9', 'a 0 firing 2 total 2 size 2 wm 9', 'a 10 firing 1 total 3 size 1 wm 19']);
    expect(h.output.side.get('info')).toEqual([
      { value: 'info 0', timestamp: 9 },
      { value: 'info 0', timestamp: 9 },
      { value: 'info 10', timestamp: 19 },
    ]);
    expect(cleared).toEqual([0]);
    h.watermark(29);
    expect(cleared).toEqual([0, 10]);
    // Only the global state remains.
    expect(h.numStateEntries()).toBe(1);
    expect(h.backend().numKeys('total')).toBe(1);
  });
});

describe('WindowOperator: triggers', () => {
  it('fires early with a continuous event-time trigger and keeps the contents', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(100)).trigger(ContinuousEventTimeTrigger.of(30)).reduce(sumOf));
    h.element(['a', 1], 5).watermark(29);
    expect(h.take()).toEqual([]);
    h.watermark(30);
    expect(h.take()).toEqual([['a', 1]]);
    h.element(['a', 2], 40).watermark(60);
    expect(h.take()).toEqual([['a', 3]]);
    // The next early firing (90) and the end of the window (99) both fire.
    h.watermark(99);
    expect(h.take()).toEqual([
      ['a', 3],
      ['a', 3],
    ]);
    expect(h.numStateEntries()).toBe(0);
  });
});
