import { existsSync } from 'node:fs';
import { DataGeneratorSource } from '@riffle/connector-datagen';
import { KeyedProcessFunction, RichMapFunction } from '@riffle/core';
import { DiscardingSink, defineJob } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';

/** Keeps one `--bytes`-character string per key (the last record's), so state grows to keys × bytes. */
class Remember extends KeyedProcessFunction<number, number, number> {
  private last!: ValueState<string>;
  constructor(private readonly bytes: number) {
    super();
  }
  override open(): void {
    this.last = this.getRuntimeContext().getState(new ValueStateDescriptor<string>('last'));
  }
  processElement(x: number): void {
    this.last.update(String(x).padEnd(this.bytes, '.'));
  }
}

/** Fails once, in attempt 0, after the `--trigger` file appears (checked every 1000 records). */
class FailOnTrigger extends RichMapFunction<number, number> {
  constructor(private readonly trigger: string) {
    super();
  }
  map(x: number): number {
    if (x % 1000 === 0 && this.trigger !== '' && this.getRuntimeContext().getAttemptNumber() === 0 && existsSync(this.trigger)) {
      throw new Error('benchmark failure');
    }
    return x;
  }
}

/**
 * An unbounded keyed job whose state grows to `--keys` × `--bytes`: a generator cycling over the
 * keys at `--rate` records/s per subtask → keyed state → discard, with checkpoints every
 * `--interval` ms into `--checkpoints`.
 */
export default defineJob((env, params) => {
  const keys = params.getNumber('keys', 1_000_000);
  env.enableCheckpointing(params.getNumber('interval', 2000));
  env.getCheckpointConfig().setCheckpointStorage(params.getRequired('checkpoints'));
  env
    .fromSource(new DataGeneratorSource((i) => i % keys, 'unbounded', { recordsPerSecond: params.getNumber('rate', 200_000) }), undefined, 'Keys')
    .map(new FailOnTrigger(params.get('trigger', '')))
    .keyBy((k) => k)
    .process(new Remember(params.getNumber('bytes', 100)))
    .sinkTo(new DiscardingSink<number>());
});
