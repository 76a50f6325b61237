import { existsSync, readdirSync } from 'node:fs';
import { RichMapFunction } from '@riffle/core';
import { RestartStrategies, defineJob } from '@riffle/datastream';
import { FileSink, OutputFileConfig, SimpleStringEncoder } from '@riffle/connector-files';

/** Whether `dir` holds a finished (visible, not `.`-prefixed) part file. */
function hasFinishedFile(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).some((e) => e.isFile() && !e.name.startsWith('.'));
}

/** In attempt 0, throws at the first record (checked every 50) after `dir` shows a finished file. */
class FailWhenVisible extends RichMapFunction<number, number> {
  private seen = 0;

  constructor(private readonly dir: string) {
    super();
  }

  map(n: number): number {
    if (this.getRuntimeContext().getAttemptNumber() === 0 && ++this.seen % 50 === 0 && hasFinishedFile(this.dir)) {
      throw new Error(`injected failure after the short pipeline's files became visible (record ${n})`);
    }
    return n;
  }
}

/**
 * Two pipelines in one job, checkpointing every `--interval` ms (default 100):
 * - short: `rec-0` .. `rec-<short-1>` into a row-format FileSink under `--out` (it ends quickly);
 * - long: `--long` numbers, paced (`--pace` ms every 100 records), through a map that fails once
 *   in attempt 0 as soon as the short pipeline's output is visible, into a discarding sink.
 * The short sink's output must hold each record exactly once: its last part files become visible
 * only through a checkpoint taken after its input ended, so the restore after the failure does
 * not replay its records.
 */
export default defineJob((env, params) => {
  env.enableCheckpointing(params.getNumber('interval', 100));
  env.getCheckpointConfig().setCheckpointStorage(params.getRequired('checkpoints'));
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 0));
  const out = params.getRequired('out');
  const short = params.getNumber('short', 1000);
  const pace = params.getNumber('pace', 2);
  env
    .fromSequence(0, short - 1)
    .uid('short-source')
    .map((n) => `rec-${n}`)
    .uid('short-format')
    .sinkTo(FileSink.forRowFormat<string>(out, new SimpleStringEncoder<string>()).withOutputFileConfig(OutputFileConfig.builder().withPartSuffix('.txt').build()).build())
    .uid('short-files');
  env
    .fromSequence(0, params.getNumber('long', 100_000) - 1)
    .uid('long-source')
    .map((n) => {
      if (pace > 0 && n % 100 === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pace);
      return n;
    })
    .uid('long-pace')
    .map(new FailWhenVisible(out))
    .uid('long-saboteur')
    .addSink(() => {})
    .uid('long-discard');
});
