import { getLogger } from '@riffle/core';
import type { JobStatus } from '../client/job-client.js';
import type { StreamGraph } from '../graph/stream-graph.js';
import { JobMaster, type JobMasterOptions, type SlotProvider } from '../jobmaster/job-master.js';
import type { DispatcherGateway, JobOverview, JobResult } from '../rpc/gateways.js';
import type { CheckpointStatsSnapshot } from '../jobmaster/job-checkpointing.js';
import type { JobSubmission } from '../rpc/messages.js';

const log = getLogger('Dispatcher');

/**
 * Loads the user code a JobMaster needs (the StreamGraph, for source enumerators). In-process the
 * client hands over the graph it built; a remote JobManager imports the job module instead.
 */
export type UserCodeLoader = (submission: JobSubmission) => Promise<StreamGraph>;

/**
 * Accepts job submissions, starts a JobMaster for each, and keeps the results of finished jobs
 * (Flink's Dispatcher). Runs on the JobManager's event loop.
 */
export class Dispatcher implements DispatcherGateway {
  private readonly jobs = new Map<string, { master: JobMaster; startTime: number }>();

  constructor(
    private readonly slots: SlotProvider,
    private readonly loadUserCode: UserCodeLoader,
    private readonly jobMasterOptions: JobMasterOptions = {},
  ) {}

  async submitJob(submission: JobSubmission): Promise<void> {
    const jobId = submission.jobGraph.jobId;
    if (this.jobs.has(jobId)) throw new Error(`a job with id ${jobId} was already submitted`);
    const streamGraph = await this.loadUserCode(submission);
    const master = new JobMaster(submission, streamGraph, this.slots, this.jobMasterOptions);
    this.jobs.set(jobId, { master, startTime: Date.now() });
    log.info(`submitted job ${jobId} (${submission.jobGraph.jobName})`);
    void master.start();
  }

  async requestJobStatus(jobId: string): Promise<JobStatus> {
    return this.master(jobId).getJobStatus();
  }

  async requestJobResult(jobId: string): Promise<JobResult> {
    return this.master(jobId).result;
  }

  async cancelJob(jobId: string): Promise<void> {
    await this.master(jobId).cancel();
  }

  triggerSavepoint(jobId: string, targetDirectory: string): Promise<string> {
    return this.master(jobId).triggerSavepoint(targetDirectory);
  }

  stopWithSavepoint(jobId: string, targetDirectory: string): Promise<string> {
    return this.master(jobId).stopWithSavepoint(targetDirectory);
  }

  async requestCheckpointStats(jobId: string): Promise<CheckpointStatsSnapshot[]> {
    return this.master(jobId).checkpointStats();
  }

  async listJobs(): Promise<JobOverview[]> {
    return [...this.jobs.entries()].map(([jobId, { master, startTime }]) => ({
      jobId,
      jobName: master.jobGraph.jobName,
      status: master.getJobStatus(),
      startTime,
    }));
  }

  /** Cancels every job that is still running (cluster shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all(
      [...this.jobs.values()].map(({ master }) => (master.state.isTerminal() ? undefined : master.cancel())),
    );
  }

  private master(jobId: string): JobMaster {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    return job.master;
  }
}
