import { defineJob } from '../../index.js';

/** A defineJob job whose build executes the job itself (the runner must not execute again). */
export default defineJob(async (env) => {
  env.fromElements('a', 'b').addCollectSink('letters');
  await env.execute('self executing');
});
