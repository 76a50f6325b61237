import { DiscardingSink, defineJob } from '@riffle/datastream';

/** A keyed exchange across worker threads: source → map to (key, 1) → keyBy → rolling sum → discarding sink. */
export default defineJob((env, params) => {
  const keys = params.getNumber('keys', 10_000);
  env
    .fromSequence(1, params.getNumber('records', 10_000_000))
    .map((x): [string, number] => [`k${x % keys}`, 1])
    .keyBy((t) => t[0])
    .sum(1)
    .sinkTo(new DiscardingSink<[string, number]>());
});
