import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyedProcessFunction, RichMapFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { FileSink, SimpleStringEncoder } from '@riffle/connector-files';
import { DataGeneratorSource } from '@riffle/connector-datagen';
import { CheckpointingMode, RestartStrategies, defineJob } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';

/** `300000@0,r20000@1`: fail at record 300000 in attempt 0, at each subtask's 20000th record of attempt 1. */
function parsePoints(spec: string): Map<number, number> {
  const byAttempt = new Map<number, number>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [at, attempt] = part.split('@');
    // `r20000`: relative, a subtask's 20000th record of the attempt (stored negative).
    byAttempt.set(Number(attempt), at!.startsWith('r') ? -Number(at!.slice(1)) : Number(at));
  }
  return byAttempt;
}

/**
 * Passes records through; in attempt `a` it throws at the record `--fail` names for `a`, or ends
 * its worker thread abruptly (`process.exit` in a worker stops the thread, with no cleanup) at the
 * record `--kill` names for `a`.
 */
class Saboteur extends RichMapFunction<number, number> {
  private seen = 0;

  constructor(
    private readonly fail: Map<number, number>,
    private readonly kill: Map<number, number>,
    private readonly corrupt: Map<number, number>,
    private readonly checkpoints: string,
    private readonly trigger: string,
  ) {
    super();
  }

  map(x: number): number {
    const attempt = this.getRuntimeContext().getAttemptNumber();
    const seen = ++this.seen;
    // A point P >= 0 is the record P; P < 0 is this subtask's -P-th record of the attempt (so the
    // failure happens however far the restored checkpoint already got).
    const hits = (p: number | undefined): boolean => p !== undefined && (p >= 0 ? p === x : seen === -p);
    if (hits(this.fail.get(attempt))) throw new Error(`injected failure in attempt ${attempt}`);
    if (hits(this.kill.get(attempt))) process.exit(3);
    // In the attempt `--corrupt` names, once the test created the `--trigger` file (checked every
    // 500 records): damage the newest checkpoint, then fail.
    if (this.corrupt.has(attempt) && x % 500 === 0 && this.trigger !== '' && existsSync(this.trigger)) {
      // Exactly one subtask damages the checkpoint (a second flip of the same byte would undo it).
      if (claimOnce(`${this.trigger}.claimed`)) flipByteInNewestCheckpoint(join(this.checkpoints, this.getRuntimeContext().getJobId()));
      throw new Error(`injected failure after corrupting the newest checkpoint, at record ${x}`);
    }
    return x;
  }
}

/** Creates `path` if it does not exist yet; true for the one caller that created it. */
function claimOnce(path: string): boolean {
  try {
    closeSync(openSync(path, 'wx'));
    return true;
  } catch {
    return false;
  }
}

/** Flips one byte in the middle of the largest state file of the newest completed checkpoint. */
function flipByteInNewestCheckpoint(jobDir: string): void {
  const ids = readdirSync(jobDir)
    .map((name) => /^chk-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && existsSync(join(jobDir, m[0], '_metadata')))
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  if (ids.length < 2) throw new Error(`expected at least two completed checkpoints in ${jobDir}, found ${ids.length}`);
  const dir = join(jobDir, `chk-${ids[0]}`);
  const files = readdirSync(dir).filter((f) => f !== '_metadata');
  const largest = files.map((f) => ({ f, bytes: readFileSync(join(dir, f)) })).sort((a, b) => b.bytes.length - a.bytes.length)[0]!;
  largest.bytes[largest.bytes.length >> 1]! ^= 0x40;
  writeFileSync(join(dir, largest.f), largest.bytes);
}

/** Counts records per key in keyed state and emits `key,count,sum,attempt` once, at the end of the input. */
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
    out.collect(`${ctx.getCurrentKey()},${this.count.value()},${this.sum.value()},${this.getRuntimeContext().getAttemptNumber()}`);
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
  env
    .getCheckpointConfig()
    .setCheckpointStorage(params.getRequired('checkpoints'))
    .setNumRetainedCheckpoints(params.getNumber('retained', 1))
    .setMinPauseBetweenCheckpoints(params.getNumber('min-pause', 0));
  const maxFailures = params.getNumber('failure-rate', 0);
  env.setRestartStrategy(
    maxFailures > 0
      ? RestartStrategies.failureRateRestart(maxFailures, 60_000, 0)
      : RestartStrategies.fixedDelayRestart(params.getNumber('attempts', 10), params.getNumber('delay', 0)),
  );
  const rate = params.getNumber('rate', 0);
  const source =
    rate > 0
      ? env.fromSource(new DataGeneratorSource((i) => i, n, { recordsPerSecond: rate }), undefined, 'Paced Sequence')
      : env.fromSequence(0, n - 1);
  const records = source
    .map(
      new Saboteur(parsePoints(params.get('fail', '')), parsePoints(params.get('kill', '')), parsePoints(params.get('corrupt', '')), params.getRequired('checkpoints'), params.get('trigger', '')),
    )
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
