import { KeyedProcessFunction, RichMapFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { FileSink, SimpleStringEncoder } from '@riffle/connector-files';
import { CheckpointingMode, RestartStrategies, defineJob } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';

/** `300000@0,700000@1`: fail at record 300000 in attempt 0, at 700000 in attempt 1. */
function parsePoints(spec: string): Map<number, number> {
  const byAttempt = new Map<number, number>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [at, attempt] = part.split('@').map(Number);
    byAttempt.set(attempt!, at!);
  }
  return byAttempt;
}

/**
 * Passes records through; in attempt `a` it throws at the record `--fail` names for `a`, or ends
 * its worker thread abruptly (`process.exit` in a worker stops the thread, with no cleanup) at the
 * record `--kill` names for `a`.
 */
class Saboteur extends RichMapFunction<number, number> {
  constructor(
    private readonly fail: Map<number, number>,
    private readonly kill: Map<number, number>,
  ) {
    super();
  }

  map(x: number): number {
    const attempt = this.getRuntimeContext().getAttemptNumber();
    if (this.fail.get(attempt) === x) throw new Error(`injected failure at record ${x} in attempt ${attempt}`);
    if (this.kill.get(attempt) === x) process.exit(3);
    return x;
  }
}

/** Counts records per key in keyed state and emits `key,count,sum` once, at the end of the input. */
class CountPerKey extends KeyedProcessFunction<number, number, string> {
  private count!: ValueState<number>;
  private sum!: ValueState<number>;

  override open(): void {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', undefined, 0));
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum', undefined, 0));
  }

  processElement(x: number, ctx: KeyedProcessContext<number>): void {
    this.count.update(this.count.value()! + 1);
    this.sum.update(this.sum.value()! + x);
    // Only the final watermark (end of input) reaches this timer; it is checkpointed with the state.
    ctx.timerService().registerEventTimeTimer(1);
  }

  override onTimer(_ts: number, ctx: KeyedOnTimerContext<number>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()},${this.count.value()},${this.sum.value()}`);
  }
}

/**
 * The exactly-once acceptance job: `fromSequence(0, n-1)` → saboteur map → keyBy(x % keys) →
 * count per key, emitted at the end; with `--out DIR` every record also goes through a FileSink.
 */
export default defineJob((env, params) => {
  const n = params.getNumber('n', 1_000_000);
  const keys = params.getNumber('keys', 64);
  env.enableCheckpointing(params.getNumber('interval', 100), params.get('mode', 'EXACTLY_ONCE') === 'AT_LEAST_ONCE' ? CheckpointingMode.AT_LEAST_ONCE : CheckpointingMode.EXACTLY_ONCE);
  env.getCheckpointConfig().setCheckpointStorage(params.getRequired('checkpoints'));
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(params.getNumber('attempts', 10), params.getNumber('delay', 0)));
  const records = env
    .fromSequence(0, n - 1)
    .map(new Saboteur(parsePoints(params.get('fail', '')), parsePoints(params.get('kill', ''))))
    .name('Saboteur')
    .uid('saboteur');
  records
    .keyBy((x) => x % keys)
    .process(new CountPerKey())
    .name('Count')
    .uid('count')
    .addCollectSink('counts');
  const out = params.get('out', '');
  if (out) {
    records
      .map((x) => String(x))
      .sinkTo(FileSink.forRowFormat<string>(out, new SimpleStringEncoder<string>()).build())
      .name('Files')
      .uid('files');
  }
});
