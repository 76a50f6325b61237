import type { Collector } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../environment/stream-execution-environment.js';
import type { KeyedStream } from '../../streams/data-stream.js';
import { TumblingEventTimeWindows } from '../assigners/tumbling-event-time-windows.js';
import { CountEvictor } from '../evictors/count-evictor.js';
import { DeltaEvictor } from '../evictors/delta-evictor.js';
import { TimestampedValue, type Evictor } from '../evictors/evictor.js';
import { TimeEvictor } from '../evictors/time-evictor.js';
import { WindowOperatorHarness } from '../testing/window-operator-harness.js';
import { CountTrigger } from '../triggers/count-trigger.js';
import type { TimeWindow } from '../windows/time-window.js';

type Ev = [key: string, value: number];

function keyed(): KeyedStream<Ev, string> {
  return new StreamExecutionEnvironment().fromElements<Ev>(['a', 0]).keyBy((e) => e[0]);
}
const values = (key: string, _w: TimeWindow, input: Iterable<Ev>, out: Collector<string>): void => {
  out.collect(`${key}:${[...input].map((e) => e[1]).join(',')}`);
};

describe('EvictingWindowOperator', () => {
  it('evicts by time before the window function', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(100)).evictor(TimeEvictor.of(30)).apply(values));
    expect((h.operator.constructor as { name: string }).name).toBe('EvictingWindowOperator');
    h.element(['a', 1], 10).element(['a', 2], 90).element(['a', 3], 50).element(['a', 4], 61);
    h.watermark(99);
    // max timestamp 90, cutoff 60: 61 and 90 stay.
    expect(h.take()).toEqual(['a:2,4']);
    expect(h.numStateEntries()).toBe(0);
  });

  it('keeps what remains after eviction as the window contents for later firings', async () => {
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(100)).trigger(CountTrigger.of(2)).evictor(CountEvictor.of(1, true)).apply(values));
    h.element(['a', 1], 1).element(['a', 2], 2); // fires [1,2], keeps [2]
    h.element(['a', 3], 3); // 2 elements since last firing? count restarts: [2,3] held, count 1
    h.element(['a', 4], 4); // fires [2,3,4], keeps [4]
    expect(h.take()).toEqual(['a:1,2', 'a:2,3,4']);
  });

  it('applies a reduce to the elements left after eviction', async () => {
    const h = await WindowOperatorHarness.of(
      keyed()
        .window(TumblingEventTimeWindows.of(100))
        .evictor(DeltaEvictor.of(10, (a: Ev, b: Ev) => Math.abs(a[1] - b[1])))
        .reduce((a, b) => [a[0], a[1] + b[1]]),
    );
    h.element(['a', 1], 1).element(['a', 30], 2).element(['a', 25], 3).watermark(99);
    // Delta to the last element (25): 1 → 24 (evicted), 30 → 5, 25 → 0.
    expect(h.take()).toEqual([['a', 55]]);
  });

  it('runs custom evictors with timestamps and the window', async () => {
    const seen: string[] = [];
    const dropOdd: Evictor<Ev, TimeWindow> = {
      evictBefore(elements: TimestampedValue<Ev>[], size: number, window: TimeWindow) {
        seen.push(`${window.start} ${size} ${elements.map((e) => e.timestamp).join(',')}`);
        for (let i = elements.length - 1; i >= 0; i--) if (elements[i]!.value[1] % 2 === 1) elements.splice(i, 1);
      },
      evictAfter() {},
    };
    const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(10)).evictor(dropOdd).apply(values));
    h.element(['a', 1], 1).element(['a', 2], 2).element(['a', 4], 3).watermark(9);
    expect(h.take()).toEqual(['a:2,4']);
    expect(seen).toEqual(['0 3 1,2,3']);
  });
});
