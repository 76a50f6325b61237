import { defineJob } from '@riffle/datastream';

/** A map that throws on one record (`--fail-at N`), after a keyBy so it runs in every subtask. */
export default defineJob((env, params) => {
  const failAt = params.getNumber('fail-at', 777);
  env
    .fromSequence(0, 100_000)
    .keyBy((x) => x % 16)
    .map((x) => {
      if (x === failAt) throw new RangeError(`record ${x} is cursed`);
      return x;
    })
    .name('Exploding Map')
    .addCollectSink('out');
});
