import { defineJob } from '@riffle/datastream';

/** Runs until cancelled: a practically endless sequence through a keyed exchange into a discarding filter. */
export default defineJob((env) => {
  env
    .fromSequence(0, Number.MAX_SAFE_INTEGER)
    .keyBy((x) => x % 64)
    .map((x) => x * 2)
    .filter(() => false)
    .addCollectSink('nothing');
});
