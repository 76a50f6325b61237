import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { getLogger } from '@riffle/core';
import { getExecutionContext } from '../client/execution-context.js';
import {
  JobExecutionError,
  type JobClient,
  type JobExecutionResult,
  type JobStatus,
  type PipelineExecutor,
} from '../client/job-client.js';
import { Dispatcher } from '../dispatcher/dispatcher.js';
import type { JobGraph } from '../graph/job-graph.js';
import type { StreamGraph } from '../graph/stream-graph.js';
import { createJobGraph } from '../graph/streaming-job-graph-generator.js';
import type { NetworkStackStats } from '../network/network-stats.js';
import { ResourceManager } from '../resourcemanager/resource-manager.js';
import type { JobResult, SlotReport } from '../rpc/gateways.js';
import { deserializeError } from '../rpc/messages.js';
import { TaskExecutor } from '../taskexecutor/task-executor.js';
import type { CheckpointStatsSnapshot } from '../jobmaster/job-checkpointing.js';
import type { SavepointRestoreSettings } from '../rpc/messages.js';

const log = getLogger('MiniCluster');

export interface MiniClusterConfig {
  /** Number of TaskExecutors (default 1). */
  readonly numTaskManagers?: number;
  /** Slots of each TaskExecutor (default 1). Each active slot is one worker thread. */
  readonly numSlotsPerTaskManager?: number;
  /** How long a job waits for slots before it fails, ms (default 30 s). */
  readonly slotRequestTimeoutMs?: number;
  /** How long a failing or cancelled job waits for its tasks to confirm cancellation, ms (see `JobMasterOptions`). */
  readonly cancellationTimeoutMs?: number;
  /** How long freeing a slot waits for a terminated worker thread to end, ms (see `TaskExecutorOptions`). */
  readonly workerStopTimeoutMs?: number;
}

/** Number of slots a job needs: one per subtask index of each slot sharing group. */
export function requiredSlots(jobGraph: JobGraph): number {
  const groups = new Map<string, number>();
  for (const v of jobGraph.vertices) groups.set(v.slotSharingGroup, Math.max(groups.get(v.slotSharingGroup) ?? 0, v.parallelism));
  return [...groups.values()].reduce((a, b) => a + b, 0);
}

/**
 * A whole cluster in one process: a ResourceManager, a Dispatcher with its JobMasters and a
 * number of TaskExecutors, the same components a multi-process cluster uses, talking through
 * their gateways. Tasks run in worker threads, one per active slot.
 */
export class MiniCluster {
  readonly resourceManager = new ResourceManager();
  readonly dispatcher: Dispatcher;
  readonly taskExecutors: TaskExecutor[] = [];
  /** StreamGraphs of submitted jobs, handed to their JobMasters in-process. */
  private readonly graphs = new Map<string, StreamGraph>();
  private closed = false;

  private constructor(private readonly config: MiniClusterConfig) {
    this.dispatcher = new Dispatcher(
      this.resourceManager,
      async (submission) => {
        const graph = this.graphs.get(submission.jobGraph.jobId);
        if (!graph) throw new Error(`no StreamGraph for job ${submission.jobGraph.jobId}`);
        return graph;
      },
      { slotRequestTimeoutMs: config.slotRequestTimeoutMs, cancellationTimeoutMs: config.cancellationTimeoutMs },
    );
  }

  static async start(config: MiniClusterConfig = {}): Promise<MiniCluster> {
    const cluster = new MiniCluster(config);
    const n = config.numTaskManagers ?? 1;
    for (let i = 0; i < n; i++) {
      const te = new TaskExecutor(`tm-${i + 1}`, config.numSlotsPerTaskManager ?? 1, { workerStopTimeoutMs: config.workerStopTimeoutMs });
      cluster.taskExecutors.push(te);
      await cluster.resourceManager.registerTaskExecutor({ taskExecutorId: te.taskExecutorId, numberOfSlots: te.numberOfSlots }, te);
    }
    return cluster;
  }

  /**
   * Submits a job built in this process. `jobModule` is what workers import to rebuild it. With
   * `savepointRestore` (or one in the execution context: `riffle run --fromSavepoint`) the job
   * starts from that savepoint.
   */
  async submitJob(graph: StreamGraph, jobModule: string, options: { savepointRestore?: SavepointRestoreSettings } = {}): Promise<JobClient> {
    if (this.closed) throw new Error('the MiniCluster is closed');
    const jobId = randomUUID().replaceAll('-', '');
    const jobGraph = createJobGraph(graph, jobId);
    this.graphs.set(jobId, graph);
    const savepointRestore = options.savepointRestore ?? getExecutionContext()?.savepointRestore;
    await this.dispatcher.submitJob({ jobGraph, jobModule, params: graph.config.params, ...(savepointRestore ? { savepointRestore } : {}) });
    return new ClusterJobClient(jobId, this.dispatcher);
  }

  /** An executor that submits graphs built in this process to this cluster (from `savepointRestore` when given). */
  executor(options: { savepointRestore?: SavepointRestoreSettings } = {}): PipelineExecutor {
    return { execute: (graph) => this.submitJob(graph, resolveJobModule(), options) };
  }

  /** Network counters of the worker threads a finished job used (one entry per thread). */
  networkStats(jobId: string): NetworkStackStats[] {
    return this.taskExecutors.flatMap((te) => te.networkStats(jobId));
  }

  /** Live worker threads over all TaskExecutors. */
  activeWorkerCount(): number {
    return this.taskExecutors.reduce((n, te) => n + te.activeWorkerCount(), 0);
  }

  slotReport(): Promise<SlotReport[]> {
    return this.resourceManager.slotReport();
  }

  /** Cancels running jobs and stops every worker thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dispatcher.shutdown();
    await Promise.all(this.taskExecutors.map((te) => te.shutdown()));
  }
}

/** A JobClient talking to a Dispatcher. */
export class ClusterJobClient implements JobClient {
  constructor(
    private readonly jobId: string,
    private readonly dispatcher: Dispatcher,
    private readonly onTerminal?: () => Promise<void>,
  ) {}

  getJobID(): string {
    return this.jobId;
  }

  getJobStatus(): Promise<JobStatus> {
    return this.dispatcher.requestJobStatus(this.jobId);
  }

  async cancel(): Promise<void> {
    await this.dispatcher.cancelJob(this.jobId);
  }

  triggerSavepoint(targetDirectory: string): Promise<string> {
    return this.dispatcher.triggerSavepoint(this.jobId, targetDirectory);
  }

  stopWithSavepoint(targetDirectory: string): Promise<string> {
    return this.dispatcher.stopWithSavepoint(this.jobId, targetDirectory);
  }

  getCheckpointStats(): Promise<CheckpointStatsSnapshot[]> {
    return this.dispatcher.requestCheckpointStats(this.jobId);
  }

  async getJobExecutionResult(): Promise<JobExecutionResult> {
    const result = await this.dispatcher.requestJobResult(this.jobId);
    await this.onTerminal?.();
    return toExecutionResult(result);
  }
}

/** Turns a JobResult into what `execute()` returns, or throws the job's error. */
export function toExecutionResult(result: JobResult): JobExecutionResult {
  if (result.status === 'FINISHED') {
    return {
      jobId: result.jobId,
      jobName: result.jobName,
      netRuntimeMs: result.endTime - result.startTime,
      getCollected<T>(id: string): T[] {
        return (result.collected[id] ?? []) as T[];
      },
      getMetrics(): Record<string, number> {
        return { ...(result.metrics ?? {}) };
      },
    };
  }
  if (result.status === 'CANCELED') {
    throw new JobExecutionError(`Job '${result.jobName}' (${result.jobId}) was cancelled.`, result.jobId, new Error('cancelled'));
  }
  const err = result.error ?? { name: 'Error', message: 'unknown failure' };
  const where =
    err.operatorName !== undefined
      ? ` in operator '${err.operatorName}'${err.subtaskIndex !== undefined ? `, subtask ${err.subtaskIndex}` : ''}`
      : err.taskName !== undefined
        ? ` in task '${err.taskName}'${err.subtaskIndex !== undefined ? `, subtask ${err.subtaskIndex}` : ''}`
        : '';
  throw new JobExecutionError(
    `Job '${result.jobName}' (${result.jobId}) failed${where}: ${err.name}: ${err.message}`,
    result.jobId,
    deserializeError(err),
    err.operatorName,
    err.subtaskIndex,
  );
}

/** The module workers import for a graph built in this process. */
export function resolveJobModule(): string {
  const ctx = getExecutionContext();
  if (ctx?.jobModule) return ctx.jobModule;
  const main = process.argv[1];
  if (!main) {
    throw new Error('Riffle cannot tell which module builds this job: run it with `riffle run`, `runJob()`, or as a script (`npx tsx job.ts`)');
  }
  return pathToFileURL(main).href;
}

/**
 * The default executor: a MiniCluster started for the job, with exactly the slots it needs,
 * and shut down when the job ends (Flink's local execution).
 */
export class LocalExecutor implements PipelineExecutor {
  constructor(private readonly config: MiniClusterConfig = {}) {}

  async execute(graph: StreamGraph): Promise<JobClient> {
    const probe = createJobGraph(graph, 'probe');
    const cluster = await MiniCluster.start({
      numTaskManagers: 1,
      numSlotsPerTaskManager: this.config.numSlotsPerTaskManager ?? requiredSlots(probe),
      slotRequestTimeoutMs: this.config.slotRequestTimeoutMs,
      workerStopTimeoutMs: this.config.workerStopTimeoutMs,
      cancellationTimeoutMs: this.config.cancellationTimeoutMs,
    });
    let client: JobClient;
    try {
      client = await cluster.submitJob(graph, resolveJobModule());
    } catch (e) {
      await cluster.close();
      throw e;
    }
    const jobId = client.getJobID();
    // Close the cluster once the job is over, whoever asks for the result.
    void cluster.dispatcher
      .requestJobResult(jobId)
      .then(() => cluster.close())
      .catch((e) => log.warn(`closing the local cluster failed: ${String(e)}`));
    return client;
  }
}
