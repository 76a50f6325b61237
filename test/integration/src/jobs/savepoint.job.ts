import { DataGeneratorSource } from '@riffle/connector-datagen';
import { FileSink, SimpleStringEncoder } from '@riffle/connector-files';
import { KeyedProcessFunction, Time, WatermarkStrategy, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { ProcessWindowFunction, TumblingEventTimeWindows, defineJob, type ProcessWindowContext, type TimeWindow } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';

export const KEYS = 5;
/** Event i: key i % KEYS, value i, event time i * 10 ms (so 100 events per 1 s window). */
export interface Ev {
  readonly key: number;
  readonly value: number;
  readonly ts: number;
}

/** `C,key,count,sum` per key, once, at the end of the input. */
class CountPerKey extends KeyedProcessFunction<number, Ev, string> {
  private count!: ValueState<number>;
  private sum!: ValueState<number>;
  override open(): void {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', undefined, 0));
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum', undefined, 0));
  }
  processElement(e: Ev, ctx: KeyedProcessContext<number>): void {
    this.count.update(this.count.value()! + 1);
    this.sum.update(this.sum.value()! + e.value);
    ctx.timerService().registerEventTimeTimer(Number.MAX_SAFE_INTEGER);
  }
  override onTimer(_t: number, ctx: KeyedOnTimerContext<number>, out: Collector<string>): void {
    out.collect(`C,${ctx.getCurrentKey()},${this.count.value()},${this.sum.value()}`);
  }
}

/** `W,key,start,count,sum` per key and 1 s event-time window. */
class WindowSummary extends ProcessWindowFunction<Ev, string, number, TimeWindow> {
  process(key: number, context: ProcessWindowContext<TimeWindow>, elements: Iterable<Ev>, out: Collector<string>): void {
    let count = 0;
    let sum = 0;
    for (const e of elements) {
      count++;
      sum += e.value;
    }
    out.collect(`W,${key},${context.window().start},${count},${sum}`);
  }
}

/**
 * A paced generator (`--rate` events/s per subtask, `--n` events) → event time → keyed count and
 * tumbling 1 s windows → exactly-once FileSink into `--out`. Every stateful operator has a uid, so
 * savepoints restore into any parallelism.
 */
export default defineJob((env, params) => {
  env.enableCheckpointing(params.getNumber('interval', 200));
  env.getCheckpointConfig().setCheckpointStorage(params.getRequired('checkpoints'));
  const source = new DataGeneratorSource<Ev>((i) => ({ key: i % KEYS, value: i, ts: i * 10 }), params.getNumber('n', 30_000), {
    recordsPerSecond: params.getNumber('rate', 5000),
  });
  const events = env
    .fromSource(source, undefined, 'Events')
    .uid('events')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts))
    .uid('timestamps');
  const keyed = events.keyBy((e) => e.key);
  const counts = keyed.process(new CountPerKey()).uid('counts');
  const windows = keyed
    .window(TumblingEventTimeWindows.of(Time.seconds(1)))
    .process(new WindowSummary())
    .uid(params.get('windows-uid', 'windows'));
  counts
    .union(windows)
    .sinkTo(FileSink.forRowFormat<string>(params.getRequired('out'), new SimpleStringEncoder<string>()).build())
    .uid('files');
});
