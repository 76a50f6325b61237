import { defineJob } from '@riffle/datastream';

/** Jobs that must be rejected: `--case parallelism` or `--case undefined-key`. */
export default defineJob((env, params) => {
  switch (params.getRequired('case')) {
    case 'parallelism':
      env.fromSequence(1, 10).map((x) => x).name('Too Wide').setMaxParallelism(4).setParallelism(8).addCollectSink('out');
      break;
    case 'undefined-key':
      env
        .fromSequence(1, 1000)
        .keyBy((x) => (x === 500 ? undefined : x))
        .map((x) => x)
        .name('After Holey Key')
        .addCollectSink('out');
      break;
    default:
      throw new Error('unknown case');
  }
});
