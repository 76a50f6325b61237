import { defineJob } from '@riffle/datastream';

/** One stream feeding two chained maps whose results are unioned: each branch must see the original records. */
export default defineJob((env) => {
  const numbers = env.fromSequence(1, 1000);
  const doubled = numbers.map((x) => `double ${x * 2}`);
  const negated = numbers.map((x) => `negate ${-x}`);
  doubled.union(negated).addCollectSink('out');
});
