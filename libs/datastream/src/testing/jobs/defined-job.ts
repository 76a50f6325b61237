import { defineJob } from '../../index.js';

/** A test job in the defineJob style: doubles 1..n and exposes the result as collect sink 'doubled'. */
export default defineJob((env, params) => {
  env
    .fromSequence(1, params.getNumber('n', 10))
    .map((x) => x * 2)
    .name('double')
    .addCollectSink('doubled');
});
