import { OutputTag, Time, WatermarkStrategy, type Collector } from '@riffle/core';
import {
  EventTimeSessionWindows,
  ProcessWindowFunction,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  defineJob,
  type ProcessWindowContext,
  type TimeWindow,
} from '@riffle/datastream';

/** One input event: a key, a value and an event timestamp, all pure functions of the index. */
export interface Event {
  key: string;
  value: number;
  ts: number;
}

function mix(i: number, salt: number): number {
  let x = (Math.imul(i + 1, 0x9e3779b1) ^ salt) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Base time advances irregularly; timestamps lag it by up to 1750 ms, so some exceed the 400 ms bound and the 300 ms lateness. */
export function eventAt(i: number, keys: number): Event {
  // 9 ms per event plus a 50 ms pause every 5th; offset so that no timestamp is negative.
  const base = 10_000 + i * 9 + Math.floor(i / 5) * 50;
  const lag = mix(i, 1) % 100 < 90 ? mix(i, 2) % 350 : 350 + (mix(i, 3) % 1400);
  return { key: `k${mix(i, 4) % keys}`, value: 1 + (mix(i, 5) % 100), ts: base - lag };
}

export const OUT_OF_ORDERNESS = 400;
export const LATE = new OutputTag<Event>('late');
export const LATE_SESSIONS = new OutputTag<Event>('late-sessions');

/** [key, start, end, count, sum] for every firing of a window. */
export type Firing = [string, number, number, number, number];

class Summarize extends ProcessWindowFunction<Event, Firing, string, TimeWindow> {
  process(key: string, ctx: ProcessWindowContext<TimeWindow>, elements: Iterable<Event>, out: Collector<Firing>): void {
    let count = 0;
    let sum = 0;
    for (const e of elements) {
      count++;
      sum += e.value;
    }
    out.collect([key, ctx.window().getStart(), ctx.window().getEnd(), count, sum]);
  }
}

/**
 * Event-time windows with lateness. The source and the watermark assigner run at parallelism 1
 * and emit a watermark after every event (punctuated, `max seen − bound − 1`), and each window
 * subtask reads one channel, so every subtask sees records and watermarks in the source's order
 * at any parallelism: the results, late firings and late records are deterministic.
 */
export default defineJob((env, params) => {
  const n = params.getNumber('events', 20_000);
  const keys = params.getNumber('keys', 5);
  const events = env
    .fromSequence(0, n - 1)
    .setParallelism(1)
    .map((i) => eventAt(i, keys))
    .setParallelism(1)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forGenerator<Event>(() => {
        let max = Number.NEGATIVE_INFINITY;
        return {
          onEvent: (_e, ts, out) => {
            if (ts > max) max = ts;
            out.emitWatermark(max - OUT_OF_ORDERNESS - 1);
          },
          onPeriodicEmit: () => {},
        };
      }).withTimestampAssigner((e) => e.ts),
    )
    .setParallelism(1);

  const tumbling = events
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(Time.milliseconds(1000)))
    .allowedLateness(Time.milliseconds(300))
    .sideOutputLateData(LATE)
    .process(new Summarize());
  tumbling.addCollectSink('tumbling');
  tumbling.getSideOutput(LATE).addCollectSink('tumbling-late');

  events
    .keyBy((e) => e.key)
    .window(SlidingEventTimeWindows.of(Time.milliseconds(1000), Time.milliseconds(250)))
    .allowedLateness(Time.milliseconds(300))
    .process(new Summarize())
    .addCollectSink('sliding');

  const sessions = events
    .keyBy((e) => e.key)
    .window(EventTimeSessionWindows.withGap(Time.milliseconds(40)))
    .sideOutputLateData(LATE_SESSIONS)
    .process(new Summarize());
  sessions.addCollectSink('sessions');
  sessions.getSideOutput(LATE_SESSIONS).addCollectSink('sessions-late');
});
