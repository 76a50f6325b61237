import type { JobClient, JobExecutionResult, JobStatus, PipelineExecutor, StreamGraph } from '@riffle/runtime';

/**
 * A {@link PipelineExecutor} that runs nothing: it records the graphs it is given and answers
 * with a finished job whose collect sinks hold `collected` (or a failure, when `failWith` is set).
 * For testing graph building and job runners without a runtime.
 */
export class TestingPipelineExecutor implements PipelineExecutor {
  readonly graphs: StreamGraph[] = [];

  constructor(
    private readonly collected: Record<string, unknown[]> = {},
    private readonly failWith?: Error,
  ) {}

  async execute(graph: StreamGraph): Promise<JobClient> {
    this.graphs.push(graph);
    const jobId = `testing-job-${this.graphs.length}`;
    const collected = this.collected;
    const failure = this.failWith;
    let resultRequests = 0;
    return {
      getJobID: () => jobId,
      getJobStatus: async (): Promise<JobStatus> => (failure ? 'FAILED' : 'FINISHED'),
      cancel: async () => {},
      triggerSavepoint: () => Promise.reject(new Error('TestingPipelineExecutor runs nothing: no savepoints')),
      stopWithSavepoint: () => Promise.reject(new Error('TestingPipelineExecutor runs nothing: no savepoints')),
      getCheckpointStats: async () => [],
      getJobExecutionResult: async (): Promise<JobExecutionResult> => {
        resultRequests++;
        if (resultRequests > 1) throw new Error('TestingPipelineExecutor: the result was requested more than once');
        if (failure) throw failure;
        return {
          jobId,
          jobName: graph.config.jobName,
          netRuntimeMs: 1,
          getCollected: <T>(id: string) => (collected[id] ?? []) as T[],
          getMetrics: () => ({}),
        };
      },
    };
  }
}
