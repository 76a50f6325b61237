import { Time, WatermarkStrategy } from '@riffle/core';
import {
  DiscardingSink,
  EventTimeSessionWindows,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  defineJob,
} from '@riffle/datastream';

/**
 * Windowed benchmarks over a synthetic event stream (`--rate` events per ms of event time per
 * subtask, default 10, keys spread evenly): `--kind tumbling` counts per key in 1 s windows, `--kind sliding` sums in
 * 10 s windows sliding by 1 s, `--kind session` counts per key in sessions with a 5 s gap over
 * `--keys` keys (each key seen about once per `keys` events). `--checkpoint-interval MS` turns on
 * exactly-once checkpoints.
 */
export default defineJob((env, params) => {
  const records = params.getNumber('records', 10_000_000);
  const keys = params.getNumber('keys', 1000);
  const kind = params.get('kind', 'tumbling');
  // fromSequence gives each subtask a contiguous range: map every range onto the same span of
  // event time, so that parallel subtasks advance their watermarks together.
  const span = Math.ceil(records / env.getParallelism());
  const rate = params.getNumber('rate', 10);
  const checkpointInterval = params.getNumber('checkpoint-interval', 0);
  if (checkpointInterval > 0) env.enableCheckpointing(checkpointInterval, params.get('checkpoint-mode', 'EXACTLY_ONCE') === 'AT_LEAST_ONCE' ? 'AT_LEAST_ONCE' : 'EXACTLY_ONCE');
  const events = env
    .fromSequence(0, records - 1)
    .map((i): [number, number] => [i % keys, Math.floor((i % span) / rate)])
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<[number, number]>(1000).withTimestampAssigner((e) => e[1]));
  const keyed = events.keyBy((e) => e[0]);
  const windowed =
    kind === 'sliding'
      ? keyed.window(SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(1))).reduce((a, b) => [a[0], a[1] + b[1]])
      : kind === 'session'
        ? keyed.window(EventTimeSessionWindows.withGap(Time.milliseconds(params.getNumber('gap', 5000)))).reduce((a, _b) => [a[0], a[1] + 1])
        : keyed.window(TumblingEventTimeWindows.of(Time.seconds(1))).reduce((a, _b) => [a[0], a[1] + 1]);
  windowed.sinkTo(new DiscardingSink<[number, number]>());
});
