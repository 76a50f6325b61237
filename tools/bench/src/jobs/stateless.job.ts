import { DiscardingSink, defineJob } from '@riffle/datastream';

/** A chained stateless pipeline: source → map → filter → map → discarding sink, all in one task per subtask. */
export default defineJob((env, params) => {
  env
    .fromSequence(1, params.getNumber('records', 10_000_000))
    .map((x) => x * 3)
    .filter((x) => (x & 7) !== 0)
    .map((x) => x + 1)
    .sinkTo(new DiscardingSink<number>());
});
