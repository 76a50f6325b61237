import { WatermarkStrategy, type Collector, type ProcessContext } from '@riffle/core';
import { SlidingEventTimeWindows, TumblingEventTimeWindows, defineJob, type DataStream, type ProcessJoinContext } from '@riffle/datastream';

/** One input event: its side, index, key and event timestamp, all pure functions of the index. */
export interface Ev {
  side: 'L' | 'R';
  id: number;
  key: string;
  ts: number;
}

/** Maximum out-of-orderness of both inputs (ms); every event is within it, so none is late. */
export const BOUND = 40;
export const INTERVAL = { lower: -30, upper: 20 } as const;
export const BEFORE = { lower: -50, upper: -10 } as const;
export const TUMBLE = 100;
export const SLIDE = { size: 100, slide: 50 } as const;

function mix(i: number, salt: number): number {
  let x = (Math.imul(i + 1, 0x9e3779b1) ^ salt) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Event `i` of a side: base time 5 ms per index, out of order by up to BOUND - 1 ms. Since the
 * base never goes back, `ts >= maxSeen - (BOUND - 6)`: no event is behind its input's watermark.
 */
export function eventAt(side: 'L' | 'R', i: number, keys: number): Ev {
  const salt = side === 'L' ? 0x1234 : 0x9876;
  return { side, id: i, key: `k${mix(i, salt) % keys}`, ts: 1000 + i * 5 + (mix(i, salt + 1) % BOUND) };
}

/** The record's timestamp appended to the value, to check what the join stamps on its results. */
function withTimestamp<T extends unknown[]>(value: T, ctx: ProcessContext, out: Collector<[...T, number]>): void {
  out.collect([...value, ctx.timestamp() ?? Number.NaN]);
}

/**
 * Two inputs, each generated and timestamped at parallelism 1 (or, with `--parallel-sources`,
 * at the job's parallelism), joined at the job's parallelism: interval joins, window joins
 * (tumbling and sliding) and a window coGroup. No event is late whatever the parallelism: each
 * source subtask reads its splits in ascending order (the sequence source hands splits out in
 * order), so its timestamps stay within BOUND of its own maximum, and a join subtask's
 * watermark is never ahead of the watermark of any input channel.
 */
export default defineJob((env, params) => {
  const n = params.getNumber('events', 1500);
  const keys = params.getNumber('keys', 7);
  const sourceParallelism = params.getBoolean('parallel-sources', false) ? env.getParallelism() : 1;

  // The left input uses the periodic bounded-out-of-orderness generator, the right a punctuated one.
  env.getConfig().setAutoWatermarkInterval(1);
  const left: DataStream<Ev> = env
    .fromSequence(0, n - 1)
    .setParallelism(sourceParallelism)
    .map((i) => eventAt('L', i, keys))
    .setParallelism(sourceParallelism)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(BOUND).withTimestampAssigner((e) => e.ts))
    .setParallelism(sourceParallelism);
  const right: DataStream<Ev> = env
    .fromSequence(0, n - 1)
    .setParallelism(sourceParallelism)
    .map((i) => eventAt('R', i, keys))
    .setParallelism(sourceParallelism)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forGenerator<Ev>(() => {
        let max = Number.NEGATIVE_INFINITY;
        return {
          onEvent: (_e, ts, out) => {
            if (ts > max) max = ts;
            out.emitWatermark(max - BOUND - 1);
          },
          onPeriodicEmit: () => {},
        };
      }).withTimestampAssigner((e) => e.ts),
    )
    .setParallelism(sourceParallelism);

  const pair = (a: Ev, b: Ev, ctx: ProcessJoinContext, out: Collector<[number, number, number]>): void => {
    if (ctx.getLeftTimestamp() !== a.ts || ctx.getRightTimestamp() !== b.ts) throw new Error('the join context reports wrong timestamps');
    out.collect([a.id, b.id, ctx.getTimestamp()]);
  };

  left
    .keyBy((e) => e.key)
    .intervalJoin(right.keyBy((e) => e.key))
    .between(INTERVAL.lower, INTERVAL.upper)
    .process(pair)
    .process(withTimestamp)
    .addCollectSink('interval');

  left
    .keyBy((e) => e.key)
    .intervalJoin(right.keyBy((e) => e.key))
    .between(BEFORE.lower, BEFORE.upper)
    .lowerBoundExclusive()
    .upperBoundExclusive()
    .process(pair)
    .process(withTimestamp)
    .addCollectSink('interval-exclusive');

  left
    .join(right)
    .where((e) => e.key)
    .equalTo((e) => e.key)
    .window(TumblingEventTimeWindows.of(TUMBLE))
    .apply((a, b): [number, number] => [a.id, b.id])
    .process(withTimestamp)
    .addCollectSink('tumbling');

  left
    .join(right)
    .where((e) => e.key)
    .equalTo((e) => e.key)
    .window(SlidingEventTimeWindows.of(SLIDE.size, SLIDE.slide))
    .apply((a: Ev, b: Ev, out: Collector<[number, number]>) => out.collect([a.id, b.id]))
    .process(withTimestamp)
    .addCollectSink('sliding');

  left
    .coGroup(right)
    .where((e) => e.key)
    .equalTo((e) => e.key)
    .window(TumblingEventTimeWindows.of(TUMBLE))
    .apply((as: Iterable<Ev>, bs: Iterable<Ev>, out: Collector<[string, number, number]>) => {
      let key = '';
      let l = 0;
      let r = 0;
      for (const a of as) {
        key = a.key;
        l++;
      }
      for (const b of bs) {
        key = b.key;
        r++;
      }
      out.collect([key, l, r]);
    })
    .process(withTimestamp)
    .addCollectSink('cogroup');
});
