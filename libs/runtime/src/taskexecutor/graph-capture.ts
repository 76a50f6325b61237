import { setExecutionContext } from '../client/execution-context.js';
import { isJobDefinition, runJobDefinition } from '../client/job-definition.js';
import type { JobClient, PipelineExecutor } from '../client/job-client.js';
import type { StreamGraph } from '../graph/stream-graph.js';

/**
 * Rebuilds a job's StreamGraph in this thread by importing the job module under a capturing
 * executor: `execute()` hands the graph over and runs nothing. Works for modules that
 * `export default defineJob(...)` and for scripts that call `env.execute()` themselves.
 */
export async function captureStreamGraph(
  jobModule: string,
  params: Readonly<Record<string, string>>,
  parallelism: number,
): Promise<StreamGraph> {
  let captured!: (g: StreamGraph) => void;
  const graph = new Promise<StreamGraph>((r) => (captured = r));
  const executor: PipelineExecutor = {
    execute(g: StreamGraph): Promise<JobClient> {
      captured(g);
      // In a worker the job never runs from here: the returned client never completes.
      return new Promise<JobClient>(() => {});
    },
  };
  setExecutionContext({ jobModule, params, executor, parallelism });
  const loaded = (async () => {
    const mod = (await import(jobModule)) as { default?: unknown };
    if (isJobDefinition(mod.default)) {
      await runJobDefinition(mod.default);
    }
    throw new Error(`the job module ${jobModule} did not build a job: export default defineJob(...) or call env.execute()`);
  })();
  return Promise.race([graph, loaded]);
}
