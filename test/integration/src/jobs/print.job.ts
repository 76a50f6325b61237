import { defineJob } from '@riffle/datastream';

/** Prints `--n` numbers: every line must reach the process's stdout before the job ends. */
export default defineJob((env, params) => {
  env.fromSequence(1, params.getNumber('n', 15)).print();
});
