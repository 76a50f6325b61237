import { Time, type Collector } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../environment/stream-execution-environment.js';
import type { DataStream, KeyedStream } from '../../streams/data-stream.js';
import { GlobalWindows } from '../assigners/global-windows.js';
import { ProcessingTimeSessionWindows } from '../assigners/session-windows.js';
import { SlidingProcessingTimeWindows } from '../assigners/sliding-processing-time-windows.js';
import { TumblingEventTimeWindows } from '../assigners/tumbling-event-time-windows.js';
import { TumblingProcessingTimeWindows } from '../assigners/tumbling-processing-time-windows.js';
import { ProcessAllWindowFunction, type ProcessAllWindowContext } from '../functions/window-functions.js';
import { WindowOperatorHarness } from '../testing/window-operator-harness.js';
import { CountTrigger } from '../triggers/count-trigger.js';
import type { GlobalWindow } from '../windows/global-window.js';
import type { TimeWindow } from '../windows/time-window.js';

type Ev = [key: string, value: number];

function source(): DataStream<Ev> {
  return new StreamExecutionEnvironment().fromElements<Ev>(['a', 0]);
}
function keyed(): KeyedStream<Ev, string> {
  return source().keyBy((e) => e[0]);
}
const values = (key: string, _w: unknown, input: Iterable<Ev>, out: Collector<string>): void => {
  out.collect(`${key}:${[...input].map((e) => e[1]).join(',')}`);
};

describe('count windows', () => {
  it('countWindow(n) fires and purges every n elements per key', async () => {
    const h = await WindowOperatorHarness.of(keyed().countWindow(3).sum(1));
    for (let i = 1; i <= 7; i++) h.element(['a', i]).element(['b', 10 * i]);
    expect(h.take()).toEqual([
      ['a', 6],
      ['b', 60],
      ['a', 15],
      ['b', 150],
    ]);
    // One element of each key is pending (contents and trigger count), nothing else.
    expect(h.backend().numKeys('window-contents')).toBe(2);
    expect(h.backend().numKeys('count')).toBe(2);
    h.element(['a', 8]).element(['a', 9]);
    expect(h.take()).toEqual([['a', 24]]);
    expect(h.backend().numKeys('window-contents')).toBe(1);
  });

  it('countWindow(size, slide) evaluates the last size elements every slide elements', async () => {
    const h = await WindowOperatorHarness.of(keyed().countWindow(3, 2).apply(values));
    for (let i = 1; i <= 7; i++) h.element(['a', i]);
    expect(h.take()).toEqual(['a:1,2', 'a:2,3,4', 'a:4,5,6']);
  });

  it('GlobalWindows with a non-purging CountTrigger fires with everything so far', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(GlobalWindows.create()).trigger(CountTrigger.of(2)).apply(values));
    for (let i = 1; i <= 5; i++) h.element(['a', i]);
    expect(h.takeRecords()).toEqual([
      { value: 'a:1,2', timestamp: Number.POSITIVE_INFINITY },
      { value: 'a:1,2,3,4', timestamp: Number.POSITIVE_INFINITY },
    ]);
    // Global windows are never cleaned up by time: no timers at all.
    h.watermark(Number.POSITIVE_INFINITY);
    expect(h.take()).toEqual([]);
    expect(h.operator.getTimerServiceForTesting().numEventTimeTimers() + h.operator.getTimerServiceForTesting().numProcessingTimeTimers()).toBe(0);
  });

  it('countWindowAll counts over all keys in one operator of parallelism 1', async () => {
    const stream = source().countWindowAll(3).max(1);
    expect(stream.getTransformation().parallelism).toBe(1);
    expect(stream.getTransformation().maxParallelism).toBe(1);
    const h = await WindowOperatorHarness.of(stream);
    h.element(['a', 1]).element(['b', 9]).element(['c', 2]).element(['d', 4]);
    expect(h.take()).toEqual([['a', 9]]);
  });
});

describe('processing-time windows', () => {
  it('tumbling windows fire when the clock passes their end', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingProcessingTimeWindows.of(Time.milliseconds(10))).apply(values));
    h.element(['a', 1]).element(['b', 2]);
    h.advanceProcessingTime(5).element(['a', 3]);
    h.advanceProcessingTime(8);
    expect(h.take()).toEqual([]);
    h.advanceProcessingTime(9);
    expect(h.takeRecords()).toEqual([
      { value: 'a:1,3', timestamp: 9 },
      { value: 'b:2', timestamp: 9 },
    ]);
    h.advanceProcessingTime(12).element(['a', 4]).advanceProcessingTime(30);
    expect(h.take()).toEqual(['a:4']);
    expect(h.numStateEntries()).toBe(0);
    expect(h.time.pendingTimers()).toBe(0);
  });

  it('ignore watermarks and event timestamps', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingProcessingTimeWindows.of(10)).apply(values));
    h.element(['a', 1], -1_000_000).watermark(1_000_000);
    expect(h.take()).toEqual([]);
    h.advanceProcessingTime(10);
    expect(h.take()).toEqual(['a:1']);
  });

  it('sliding windows put each element into size/slide windows', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(SlidingProcessingTimeWindows.of(10, 5)).apply(values), { startTime: 3 });
    h.element(['a', 1]);
    h.advanceProcessingTime(7).element(['a', 2]);
    h.advanceProcessingTime(20);
    // [-5,5) holds 1; [0,10) holds 1,2; [5,15) holds 2.
    expect(h.takeRecords()).toEqual([
      { value: 'a:1', timestamp: 4 },
      { value: 'a:1,2', timestamp: 9 },
      { value: 'a:2', timestamp: 14 },
    ]);
  });

  it('sessions merge while elements keep coming within the gap', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(ProcessingTimeSessionWindows.withGap(10)).apply(values));
    h.element(['a', 1]);
    h.advanceProcessingTime(6).element(['a', 2]);
    h.advanceProcessingTime(12).element(['a', 3]).element(['b', 7]);
    h.advanceProcessingTime(20);
    expect(h.take()).toEqual([]);
    h.advanceProcessingTime(21); // the sessions' max timestamp: [0, 22) and [12, 22)
    expect(h.takeRecords()).toEqual([
      { value: 'a:1,2,3', timestamp: 21 },
      { value: 'b:7', timestamp: 21 },
    ]);
    expect(h.numStateEntries()).toBe(0);
  });
});

describe('windowAll', () => {
  it('windows the whole stream with a ProcessAllWindowFunction', async () => {
    class Describe extends ProcessAllWindowFunction<Ev, string, TimeWindow> {
      process(ctx: ProcessAllWindowContext<TimeWindow>, elements: Iterable<Ev>, out: Collector<string>): void {
        out.collect(`${ctx.window().start}: ${[...elements].map((e) => e.join('')).join(' ')}`);
      }
    }
    const stream = source().windowAll(TumblingEventTimeWindows.of(10)).process(new Describe());
    expect(stream.getTransformation().parallelism).toBe(1);
    expect(stream.getTransformation().name).toBe('AllWindow(TumblingEventTimeWindows(10), EventTimeTrigger, Describe)');
    const h = await WindowOperatorHarness.of(stream);
    h.element(['a', 1], 1).element(['b', 2], 2).element(['c', 3], 13).watermark(20);
    expect(h.take()).toEqual(['0: a1 b2', '10: c3']);
  });

  it('applies an AllWindowFunction after a reduce', async () => {
    const stream = source()
      .countWindowAll(2)
      .reduce(
        (a, b) => [a[0] + b[0], a[1] + b[1]],
        (w: GlobalWindow, input: Iterable<Ev>, out: Collector<string>) => {
          for (const [k, v] of input) out.collect(`${String(w)} ${k} ${v}`);
        },
      );
    const h = await WindowOperatorHarness.of(stream);
    h.element(['a', 1]).element(['b', 2]).element(['c', 3]);
    expect(h.take()).toEqual(['GlobalWindow ab 3']);
  });
});
