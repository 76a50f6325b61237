import { defineJob } from '@riffle/datastream';

/** Two bounded inputs of different lengths connected into one co-map. */
export default defineJob((env) => {
  env
    .fromSequence(0, 9)
    .connect(env.fromSequence(100, 101))
    .map({ map1: (x: number) => `1:${x}`, map2: (x: number) => `2:${x}` })
    .addCollectSink('out');
});
