import { OutputTag, type Collector } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../environment/stream-execution-environment.js';
import type { KeyedStream } from '../../streams/data-stream.js';
import { EventTimeSessionWindows } from '../assigners/session-windows.js';
import { SlidingEventTimeWindows } from '../assigners/sliding-event-time-windows.js';
import { TumblingEventTimeWindows } from '../assigners/tumbling-event-time-windows.js';
import { ProcessWindowFunction, type ProcessWindowContext } from '../functions/window-functions.js';
import { WindowOperatorHarness } from '../testing/window-operator-harness.js';
import { generateSteps, referenceFixedWindows, referenceSessions, type Firing, type ReferenceResult, type Step } from '../testing/window-reference.js';
import type { TimeWindow } from '../windows/time-window.js';

/**
 * The window operator against the independent reference in `testing/window-reference.ts`, on
 * seeded random out-of-order input with several keys, late elements and watermarks: the same
 * firings in the same order, the same late elements, and no state left at the end.
 */

type Ev = { key: string; value: number };
type Out = [key: string, start: number, end: number, values: number[]];

function keyed(): KeyedStream<Ev, string> {
  return new StreamExecutionEnvironment().fromElements<Ev>({ key: 'a', value: 0 }).keyBy((e) => e.key);
}

class Collect extends ProcessWindowFunction<Ev, Out, string, TimeWindow> {
  process(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Ev>, out: Collector<Out>): void {
    out.collect([key, ctx.window().start, ctx.window().end, [...elements].map((e) => e.value)]);
  }
}

async function run(h: WindowOperatorHarness<Ev, Out>, steps: Step[], late: OutputTag<Ev>): Promise<ReferenceResult & { timestamps: number[] }> {
  for (const s of steps) {
    if (s.kind === 'watermark') h.watermark(s.ts);
    else h.element({ key: s.key, value: s.value }, s.ts);
  }
  const records = h.takeRecords();
  return {
    firings: records.map(({ value: [key, start, end, values] }) => ({ key, start, end, values })),
    late: (h.output.side.get(late.id) ?? []).map((r) => ({ ...(r.value as Ev), ts: r.timestamp })),
    timestamps: records.map((r) => r.timestamp),
  };
}

/** Sessions merge contents in an order of their own: compare values as multisets there. */
const sorted = (fs: Firing[]): Firing[] => fs.map((f) => ({ ...f, values: [...f.values].sort((a, b) => a - b) }));

function tumbling(size: number) {
  return (ts: number): Array<[number, number]> => {
    const start = ts - (((ts % size) + size) % size);
    return [[start, start + size]];
  };
}

function sliding(size: number, slide: number) {
  return (ts: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let k = Math.floor((ts - size) / slide); k <= Math.floor(ts / slide); k++) {
      const start = k * slide;
      if (start <= ts && ts < start + size) out.push([start, start + size]);
    }
    return out.sort((a, b) => b[0] - a[0]);
  };
}

describe('WindowOperator against a reference', () => {
  for (const [seed, lateness] of [
    [1, 0],
    [2, 0],
    [3, 40],
    [4, 150],
  ] as const) {
    it(`tumbling windows (seed ${seed}, lateness ${lateness}) fire like the reference`, async () => {
      const steps = generateSteps({ seed, count: 3000, keys: 7, start: -500, maxOutOfOrderness: 50, lateFraction: 0.05 });
      const late = new OutputTag<Ev>('late');
      const h = await WindowOperatorHarness.of(keyed().window(TumblingEventTimeWindows.of(100)).allowedLateness(lateness).sideOutputLateData(late).process(new Collect()));
      const actual = await run(h, steps, late);
      const expected = referenceFixedWindows(steps, tumbling(100), lateness);
      expect(expected.firings.length).toBeGreaterThan(100);
      expect(expected.late.length).toBeGreaterThan(10);
      expect(actual.firings).toEqual(expected.firings);
      expect(actual.late).toEqual(expected.late);
      expect(actual.timestamps).toEqual(expected.firings.map((f) => f.end - 1));
      expect(h.numStateEntries()).toBe(0);
      expect(h.operator.getTimerServiceForTesting().numEventTimeTimers()).toBe(0);
    });
  }

  for (const [seed, lateness] of [
    [5, 0],
    [6, 70],
  ] as const) {
    it(`sliding windows (seed ${seed}, lateness ${lateness}) fire like the reference, also reduced`, async () => {
      const steps = generateSteps({ seed, count: 2000, keys: 5, start: -300, maxOutOfOrderness: 60, lateFraction: 0.05 });
      const late = new OutputTag<Ev>('late');
      const h = await WindowOperatorHarness.of(keyed().window(SlidingEventTimeWindows.of(100, 30)).allowedLateness(lateness).sideOutputLateData(late).process(new Collect()));
      const actual = await run(h, steps, late);
      const expected = referenceFixedWindows(steps, sliding(100, 30), lateness);
      expect(actual.firings).toEqual(expected.firings);
      expect(actual.late).toEqual(expected.late);
      expect(h.numStateEntries()).toBe(0);

      // The same with incremental reduction: the sums of the reference's windows.
      const reduced = await WindowOperatorHarness.of(
        keyed()
          .window(SlidingEventTimeWindows.of(100, 30))
          .allowedLateness(lateness)
          .reduce(
            (a, b) => ({ key: a.key, value: a.value + b.value }),
            (key: string, w: TimeWindow, sums: Iterable<Ev>, out: Collector<Out>) => {
              for (const s of sums) out.collect([key, w.start, w.end, [s.value]]);
            },
          ),
      );
      const sums = await run(reduced, steps, late);
      expect(sums.firings).toEqual(expected.firings.map((f) => ({ ...f, values: [f.values.reduce((a, b) => a + b, 0)] })));
      expect(reduced.operator.getNumLateRecordsDropped()).toBe(expected.late.length);
    });
  }

  for (const [seed, lateness] of [
    [7, 0],
    [8, 0],
    [9, 60],
  ] as const) {
    it(`session windows (seed ${seed}, lateness ${lateness}) merge and fire like the reference`, async () => {
      // Sparse keys and a gap close to the spacing, so that sessions form, split and get bridged.
      const steps = generateSteps({ seed, count: 2500, keys: 4, start: -200, step: 12, maxOutOfOrderness: 40, lateFraction: 0.04 });
      const late = new OutputTag<Ev>('late');
      const h = await WindowOperatorHarness.of(keyed().window(EventTimeSessionWindows.withGap(25)).allowedLateness(lateness).sideOutputLateData(late).process(new Collect()));
      const actual = await run(h, steps, late);
      const expected = referenceSessions(steps, 25, lateness);
      expect(expected.firings.length).toBeGreaterThan(50);
      expect(expected.firings.some((f) => f.values.length > 3)).toBe(true);
      expect(sorted(actual.firings)).toEqual(sorted(expected.firings));
      expect(actual.late).toEqual(expected.late);
      expect(h.numStateEntries()).toBe(0);
      expect(h.operator.getTimerServiceForTesting().numEventTimeTimers()).toBe(0);
    });
  }
});

describe('WindowOperator snapshot and restore', () => {
  for (const [name, build, reference] of [
    [
      'tumbling windows with lateness',
      (late: OutputTag<Ev>) => keyed().window(TumblingEventTimeWindows.of(100)).allowedLateness(80).sideOutputLateData(late).process(new Collect()),
      (steps: Step[]) => referenceFixedWindows(steps, tumbling(100), 80),
    ],
    [
      'session windows',
      (late: OutputTag<Ev>) => keyed().window(EventTimeSessionWindows.withGap(25)).allowedLateness(30).sideOutputLateData(late).process(new Collect()),
      (steps: Step[]) => referenceSessions(steps, 25, 30),
    ],
  ] as const) {
    it(`continues ${name} from a snapshot as if never stopped`, async () => {
      const steps = generateSteps({ seed: 11, count: 2000, keys: 5, start: -100, step: 12, maxOutOfOrderness: 40, lateFraction: 0.04 });
      const late = new OutputTag<Ev>('late');
      const expected = reference(steps);
      const firings: Firing[] = [];
      const lateSeen: ReferenceResult['late'] = [];
      let h = await WindowOperatorHarness.of(build(late));
      for (const [i, cut] of [700, 1400, steps.length].entries()) {
        const part = await run(h, steps.slice(i === 0 ? 0 : [700, 1400][i - 1], cut), late);
        firings.push(...part.firings);
        lateSeen.push(...part.late);
        if (cut === steps.length) break;
        const snapshot = h.snapshot();
        expect(h.numStateEntries()).toBeGreaterThan(0);
        await h.operator.close();
        h = await WindowOperatorHarness.restore(build(late), snapshot);
      }
      expect(firings.map((f) => ({ ...f, values: [...f.values].sort((a, b) => a - b) }))).toEqual(sorted(expected.firings));
      expect(firings.map((f) => `${f.key}|${f.start}`)).toEqual(expected.firings.map((f) => `${f.key}|${f.start}`));
      expect(lateSeen).toEqual(expected.late);
      expect(h.numStateEntries()).toBe(0);
    });
  }
});
