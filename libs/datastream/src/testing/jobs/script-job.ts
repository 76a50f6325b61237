import { StreamExecutionEnvironment } from '../../index.js';

/** A script-style test job: builds and executes at import, as a Flink main() would. */
const env = StreamExecutionEnvironment.getExecutionEnvironment();
env
  .fromElements(env.getJobParameters().get('word', 'hello'))
  .map((w) => w.toUpperCase())
  .addCollectSink('upper');
const result = await env.execute('script job');

/** What the job collected, as the module saw it; reported to the test through a global list. */
const seen: unknown[] = (() => {
  try {
    return result.getCollected('upper');
  } catch (error) {
    return [`error: ${(error as Error).message}`];
  }
})();
(globalThis as { riffleScriptJobSeen?: unknown[][] }).riffleScriptJobSeen?.push(seen);
