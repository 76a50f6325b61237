/**
 * Window operator throughput, driving the operator directly (no tasks, no network): a keyed
 * tumbling-window count and a sliding-window sum over generated in-order events with periodic
 * watermarks. Prints events/s; not a test.
 *
 *   npx tsx libs/datastream/src/windowing/window.bench.ts [events]
 */
import { StreamRecord, Watermark, type AggregateFunction, type Output } from '@riffle/core';
import { ManualProcessingTimeService, PROCESSING_TIME_SERVICE } from '@riffle/runtime';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import type { DataStream } from '../streams/data-stream.js';
import { TestingRuntimeContext } from '../testing/operator-test-utils.js';
import type { OneInputTransformation } from '../transformations/transformation.js';
import { SlidingEventTimeWindows } from './assigners/sliding-event-time-windows.js';
import { TumblingEventTimeWindows } from './assigners/tumbling-event-time-windows.js';
import type { WindowOperator } from './operator/window-operator.js';

interface Event {
  k: string;
  v: number;
}

const EVENTS = Number(process.argv[2] ?? 10_000_000);
const KEYS = 1000;
/** Events per millisecond of event time (100K events per second of event time). */
const PER_MS = 100;
const WATERMARK_EVERY = 1000;
const keys = Array.from({ length: KEYS }, (_, i) => `key-${i}`);

class CountingOutput implements Output<unknown> {
  records = 0;
  collect(): void {
    this.records++;
  }
  collectSide(): void {}
  emitWatermark(): void {}
  emitWatermarkStatus(): void {}
}

const count: AggregateFunction<Event, { n: number }, number> = {
  createAccumulator: () => ({ n: 0 }),
  add: (_v, acc) => {
    acc.n++;
    return acc;
  },
  getResult: (acc) => acc.n,
  merge: (a, b) => ({ n: a.n + b.n }),
};

async function operatorOf<OUT>(stream: DataStream<OUT>, output: Output<OUT>): Promise<WindowOperator<Event, unknown, OUT, string, any>> {
  const t = stream.getTransformation() as OneInputTransformation<Event, OUT>;
  const op = t.operatorFactory() as WindowOperator<Event, unknown, OUT, string, any>;
  op.setup({
    output,
    runtimeContext: new TestingRuntimeContext({ maxParallelism: 128 }),
    keySelectors: [t.keySelector],
    services: new Map([[PROCESSING_TIME_SERVICE, new ManualProcessingTimeService(0)]]),
  });
  await op.open();
  return op;
}

/** Optional name filter (third argument): run only the benchmarks whose name contains it. */
const only = process.argv[3];

async function run(name: string, build: (k: ReturnType<typeof keyed>) => DataStream<any>): Promise<void> {
  if (only !== undefined && !name.includes(only)) return;
  const output = new CountingOutput();
  const op = await operatorOf(build(keyed()), output);
  const record = new StreamRecord<Event>(undefined as unknown as Event, 0);
  let seed = 42;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < EVENTS; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    const ts = (i / PER_MS) | 0;
    // A fresh value per event, as a deserializer would produce (reduce keeps the first one).
    record.replaceWithTimestamp({ k: keys[(seed >>> 8) % KEYS]!, v: seed & 1023 }, ts);
    op.processElement(record);
    if (i % WATERMARK_EVERY === WATERMARK_EVERY - 1) op.processWatermark(new Watermark(ts - 1));
  }
  op.processWatermark(Watermark.MAX);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
  console.log(
    `${name.padEnd(46)} ${String(EVENTS).padStart(10)} events  ${(EVENTS / seconds / 1e6).toFixed(2)} M events/s  ` +
      `(${(EVENTS / cpuSeconds / 1e6).toFixed(2)} M/s per CPU second)  ${output.records} results`,
  );
  await op.close();
}

function keyed() {
  return new StreamExecutionEnvironment().fromElements<Event>({ k: 'x', v: 0 }).keyBy((e) => e.k);
}

await run('tumbling 1 s, aggregate count', (k) => k.window(TumblingEventTimeWindows.of(1000)).aggregate(count));
await run('tumbling 1 s, reduce sum', (k) => k.window(TumblingEventTimeWindows.of(1000)).reduce((a, b) => ({ k: a.k, v: a.v + b.v })));
await run('sliding 10 s / 1 s, reduce sum', (k) => k.window(SlidingEventTimeWindows.of(10_000, 1000)).reduce((a, b) => ({ k: a.k, v: a.v + b.v })));
await run('sliding 10 s / 1 s, sum(v)', (k) => k.window(SlidingEventTimeWindows.of(10_000, 1000)).sum('v'));
const sumAgg: AggregateFunction<Event, { s: number }, number> = {
  createAccumulator: () => ({ s: 0 }),
  add: (v, acc) => {
    acc.s += v.v;
    return acc;
  },
  getResult: (acc) => acc.s,
  merge: (a, b) => ({ s: a.s + b.s }),
};
await run('sliding 10 s / 1 s, aggregate sum', (k) => k.window(SlidingEventTimeWindows.of(10_000, 1000)).aggregate(sumAgg));
