import { RichMapFunction } from '@riffle/core';
import { RestartStrategies, defineJob } from '@riffle/datastream';

/**
 * A map that throws on one record (`--fail-at N`), after a keyBy so it runs in every subtask.
 * With `--block-at M --block-seconds S`, the subtask that gets record M blocks its worker thread for
 * S seconds (`Atomics.wait`): it answers no cancellation, as a thread stuck in a driver would
 * (terminating the thread does end this wait). With
 * `--restart true`, the job restarts once (fixed delay 0), both happen only in attempt 0, and
 * attempt 1 emits `1_000_000 + x` (the collect sink also keeps what attempt 0 sent before it failed).
 */
export default defineJob((env, params) => {
  const failAt = params.getNumber('fail-at', 777);
  const blockAt = params.getNumber('block-at', -1);
  const blockSeconds = params.getNumber('block-seconds', 0);
  const restart = params.get('restart') === 'true';
  if (restart) env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 0));
  env
    .fromSequence(0, 100_000)
    .keyBy((x) => x % 16)
    .map(
      new (class extends RichMapFunction<number, number> {
        map(x: number): number {
          if (restart && this.getRuntimeContext().getAttemptNumber() > 0) return 1_000_000 + x;
          if (x === blockAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, blockSeconds * 1000);
          if (x === failAt) throw new RangeError(`record ${x} is cursed`);
          return x;
        }
      })(),
    )
    .name('Exploding Map')
    .addCollectSink('out');
});
