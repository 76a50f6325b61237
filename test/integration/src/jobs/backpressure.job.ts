import { defineJob } from '@riffle/datastream';

/**
 * A fast source feeding a deliberately slow stage in another slot (so across worker threads):
 * the slow map busy-waits `--pause-ms` every `--every` records. A rolling total behind it emits
 * only the final count and sum, so the test can check that every record arrived.
 */
export default defineJob((env, params) => {
  const n = params.getNumber('records', 10_000_000);
  const every = params.getNumber('every', 20_000);
  const pauseMs = params.getNumber('pause-ms', 5);
  let seen = 0;
  env
    .fromSequence(1, n)
    .setParallelism(1)
    .map((x) => {
      if (++seen % every === 0) {
        const until = performance.now() + pauseMs;
        while (performance.now() < until) {
          // busy: a slow consumer
        }
      }
      return x;
    })
    .name('Slow Map')
    .setParallelism(1)
    .slotSharingGroup('slow')
    .map((x) => ({ count: 1, sum: x }))
    .keyBy(() => 0)
    .reduce((a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }))
    .filter((t) => t.count === n)
    .addCollectSink('total');
});
