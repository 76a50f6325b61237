import { getLogger, type Sink } from '@riffle/core';
import type { JobStatus } from '../client/job-client.js';
import { getJobEdge, type JobGraph, type JobVertex } from '../graph/job-graph.js';
import { SINK_PROPERTY, type StreamGraph } from '../graph/stream-graph.js';
import { createExecutionStateMachine, type ExecutionState } from '../lifecycle/execution-state.js';
import { createJobStateMachine, toJobStatus } from '../lifecycle/job-state.js';
import type { StateMachine } from '../lifecycle/state-machine.js';
import { computeEdgeConnections } from '../network/edge-connections.js';
import type { JobMasterGateway, JobResult, OperatorEvent, TaskEvent, TaskExecutorGateway } from '../rpc/gateways.js';
import {
  SECONDARY_FAILURE_NAMES,
  serializeError,
  type ChannelPeer,
  type JobSubmission,
  type SerializedError,
  type SlotAllocation,
  type TaskDeploymentDescriptor,
  type TaskExecutionStateUpdate,
  type TaskLocation,
} from '../rpc/messages.js';
import { SourceCoordinator } from './source-coordinator.js';
import { JobCheckpointing, type CheckpointStatsSnapshot } from './job-checkpointing.js';
import { createRestartBackoffTimeStrategy, type RestartBackoffTimeStrategy } from '../restart/restart-backoff-time-strategy.js';
import { describeRestartStrategy, resolveRestartStrategy } from '../restart/restart-strategies.js';
import type { LoadedCheckpoint } from '../checkpoint/storage/checkpoint-storage.js';
import { loadCheckpointFromDirectory, verifyCheckpoint } from '../checkpoint/storage/state-file-reader.js';
import type { CheckpointEvent } from '../rpc/gateways.js';

const log = getLogger('JobMaster');

/** What the JobMaster needs from the ResourceManager (the gateway plus the TaskExecutor lookup). */
export interface SlotProvider {
  requestSlots(jobId: string, count: number, timeoutMs: number): Promise<SlotAllocation[]>;
  releaseSlots(jobId: string): Promise<void>;
  getTaskExecutor(taskExecutorId: string): TaskExecutorGateway;
}

export interface JobMasterOptions {
  /** How long to wait for slots before failing the job, ms. */
  readonly slotRequestTimeoutMs?: number;
  /**
   * How long a failing or cancelled job waits for its tasks to confirm their cancellation, ms
   * (default 30 s, Flink's `task.cancellation.interval`). A task that has not confirmed by then is
   * stuck (its thread blocked); the job then frees every slot, ending the threads, and counts the
   * task cancelled, so the job still reaches its terminal state.
   */
  readonly cancellationTimeoutMs?: number;
}

const DEFAULT_CANCELLATION_TIMEOUT_MS = 30_000;

interface Execution {
  readonly executionId: string;
  readonly vertex: JobVertex;
  readonly subtaskIndex: number;
  readonly state: StateMachine<ExecutionState>;
  location?: TaskLocation;
}

/**
 * Runs one job: allocates slots (one per subtask index of each slot sharing group), starts the
 * slots' worker threads, deploys every subtask, coordinates sources, and drives the job's state
 * machine to FINISHED, FAILED (with the first task's error) or CANCELED. All methods run on the
 * JobManager's event loop.
 */
export class JobMaster implements JobMasterGateway {
  readonly jobId: string;
  readonly state: StateMachine<import('../lifecycle/job-state.js').JobState>;
  private readonly executions = new Map<string, Execution>();
  private readonly coordinators = new Map<string, SourceCoordinator<any>>();
  private readonly collected: Record<string, unknown[]> = {};
  /** The metrics each subtask reported when it ended, by `vertexId#subtask` (this attempt only). */
  private readonly taskMetrics = new Map<string, Record<string, number>>();
  private allocations: SlotAllocation[] = [];
  private failureCause?: SerializedError;
  /** Restarts so far: the attempt number of the current deployment. */
  private attempt = 0;
  private readonly checkpointing: JobCheckpointing;
  private readonly restartStrategy: RestartBackoffTimeStrategy;
  /** The checkpoint or savepoint the next deployment restores from. */
  private restoreFrom: LoadedCheckpoint | undefined;
  /** Set by stopWithSavepoint: the job ends FINISHED once its tasks are cancelled. */
  private stopping = false;
  private allRunningNotified = false;
  /** Set for failures no restart can fix (a savepoint that does not fit the job). */
  private unrecoverable = false;
  /** When the failure that caused the current restart happened (for the recovery time in the log). */
  private failedAt: number | undefined;
  private readonly startTime = Date.now();
  private resolveResult!: (r: JobResult) => void;
  /** Resolves once the job reached a terminal state and its slots are released. */
  readonly result: Promise<JobResult>;

  constructor(
    private readonly submission: JobSubmission,
    private readonly streamGraph: StreamGraph,
    private readonly slots: SlotProvider,
    private readonly options: JobMasterOptions = {},
  ) {
    this.jobId = submission.jobGraph.jobId;
    this.state = createJobStateMachine(this.jobId);
    this.result = new Promise((r) => (this.resolveResult = r));
    const config = submission.jobGraph.config;
    const restart = resolveRestartStrategy(config.restartStrategy, config.checkpoint !== undefined);
    this.restartStrategy = createRestartBackoffTimeStrategy(restart);
    log.info(`job ${this.jobId}: restart strategy ${describeRestartStrategy(restart)}`);
    this.checkpointing = new JobCheckpointing(config.checkpoint, {
      jobId: this.jobId,
      operators: () =>
        this.jobGraph.vertices.flatMap((v) => v.chainedNodes.map((n) => ({ operatorUid: n.uid, parallelism: v.parallelism, maxParallelism: n.maxParallelism }))),
      executions: () => [...this.executions.values()].filter((e) => !e.state.isTerminal()).map((e) => e.executionId),
      send: (executionId, event) => this.sendCheckpointEvent(executionId, event),
      snapshotCoordinators: (checkpointId) => {
        const states = new Map<string, Uint8Array>();
        for (const [vertexId, c] of this.coordinators) {
          const blob = c.snapshotState(checkpointId);
          if (blob) states.set(this.headUid(vertexId), blob);
        }
        return states;
      },
      notifyCoordinatorsComplete: (checkpointId) => {
        for (const c of this.coordinators.values()) c.notifyCheckpointComplete(checkpointId);
      },
      failJob: (cause) => this.fail(serializeError(cause)),
    });
  }

  /** Statistics of the job's checkpoints and savepoints, oldest first. */
  checkpointStats(): CheckpointStatsSnapshot[] {
    return this.checkpointing.stats();
  }

  /** Takes a savepoint into `targetDir` (a new folder inside it); resolves with the savepoint's folder. */
  async triggerSavepoint(targetDir: string): Promise<string> {
    if (this.state.state !== 'RUNNING' || !this.allRunningNotified) {
      throw new Error(`cannot take a savepoint of job ${this.jobId}: it is ${this.state.state}${this.state.state === 'RUNNING' ? ' but not all of its tasks run yet' : ''}`);
    }
    return this.checkpointing.triggerSavepoint(targetDir);
  }

  /** Takes a savepoint, then stops the job (it ends FINISHED); resolves with the savepoint's folder. */
  async stopWithSavepoint(targetDir: string): Promise<string> {
    const path = await this.triggerSavepoint(targetDir);
    if (this.state.state === 'RUNNING') {
      this.stopping = true;
      this.checkpointing.stop('the job is stopping with a savepoint');
      this.cancelExecutions();
      this.checkTerminal();
    }
    return path;
  }

  get jobGraph(): JobGraph {
    return this.submission.jobGraph;
  }

  getJobStatus(): JobStatus {
    return toJobStatus(this.state.state);
  }

  /** Starts the job. Failures while scheduling end the job FAILED rather than rejecting. */
  async start(): Promise<void> {
    this.state.transitionTo('RUNNING');
    try {
      const restore = this.submission.savepointRestore;
      if (restore) {
        try {
          this.restoreFrom = await this.loadSavepoint(restore.path, restore.allowNonRestoredState === true);
        } catch (e) {
          // Restarting cannot make a savepoint fit: the job fails at once.
          this.unrecoverable = true;
          throw e;
        }
      }
      try {
        await this.validateSinks();
      } catch (e) {
        // A sink whose configuration the external system rejects will not fit after a restart.
        this.unrecoverable = true;
        throw e;
      }
      await this.schedule();
    } catch (e) {
      log.error(`job ${this.jobId} could not be scheduled: ${e instanceof Error ? e.message : String(e)}`);
      this.fail(serializeError(e));
    }
  }

  /** Cancels the job; resolves when it reached a terminal state. */
  async cancel(): Promise<void> {
    const s = this.state.state;
    if (s === 'RUNNING' || s === 'FAILING' || s === 'RESTARTING') {
      this.state.transitionTo('CANCELLING');
      this.cancelExecutions();
      this.checkTerminal();
    } else if (s === 'CREATED') {
      this.state.transitionTo('CANCELED');
      await this.cleanUp();
    }
    await this.result;
  }

  // --- JobMasterGateway ---

  async updateTaskExecutionState(update: TaskExecutionStateUpdate): Promise<void> {
    const execution = this.executions.get(update.executionId);
    if (!execution || execution.state.isTerminal()) return;
    let target = update.state as ExecutionState;
    // A task that ended on its own while being cancelled completes the cancellation (as in Flink).
    if (target === 'FINISHED' && execution.state.state === 'CANCELING') target = 'CANCELED';
    // Stopping with a savepoint cancels every task; failures that cancellation causes are not job failures.
    if (target === 'FAILED' && this.stopping) target = 'CANCELED';
    if (target === 'CANCELED' && execution.state.state !== 'CANCELING' && execution.state.canTransitionTo('CANCELING')) {
      execution.state.transitionTo('CANCELING');
    }
    if (target === 'RUNNING' && execution.state.state === 'DEPLOYING') execution.state.transitionTo('INITIALIZING');
    if (!execution.state.canTransitionTo(target)) return;
    execution.state.transitionTo(target, update.error);
    if (target === 'RUNNING' || target === 'FINISHED') this.maybeAllRunning();
    if (target === 'FINISHED') this.checkpointing.taskFinished(execution.executionId);
    if (target === 'FAILED') {
      const error = update.error ?? { name: 'Error', message: `task ${execution.vertex.name} failed` };
      log.error(
        `${execution.vertex.name} (${execution.subtaskIndex + 1}/${execution.vertex.parallelism}) failed: ${error.name}: ${error.message}`,
      );
      this.fail({ ...error, taskName: execution.vertex.name, subtaskIndex: error.subtaskIndex ?? execution.subtaskIndex });
    } else if (target === 'FINISHED' && execution.vertex.isSource) {
      await this.coordinators.get(execution.vertex.id)?.handleReaderFinished(execution.subtaskIndex);
    }
    this.checkTerminal();
  }

  async sendTaskEvent(_jobId: string, executionId: string, vertexId: string, event: TaskEvent): Promise<void> {
    const execution = this.executions.get(executionId);
    if (!execution || execution.state.isTerminal()) return;
    try {
      switch (event.kind) {
        case 'collect':
          (this.collected[event.collectId] ??= []).push(...event.values);
          break;
        case 'reader-registered':
          this.coordinators.get(vertexId)?.handleReaderRegistered(event.subtaskIndex);
          break;
        case 'split-request':
          this.coordinators.get(vertexId)?.handleSplitRequest(event.subtaskIndex);
          break;
        case 'source-event':
          this.coordinators.get(vertexId)?.handleSourceEvent(event.subtaskIndex, event.event);
          break;
        case 'checkpoint-ack':
          this.checkpointing.acknowledge(executionId, event.checkpointId, event.files, event.timings);
          break;
        case 'checkpoint-decline':
          this.checkpointing.decline(executionId, event.checkpointId, event.reason);
          break;
        case 'metrics':
          this.taskMetrics.set(`${vertexId}#${execution.subtaskIndex}`, event.values);
          break;
      }
    } catch (e) {
      // An enumerator that throws fails the job, naming the source.
      this.fail(serializeError(e, { operatorName: execution.vertex.name }));
    }
  }

  // --- scheduling ---

  private async schedule(): Promise<void> {
    const graph = this.jobGraph;
    // One slot per subtask index of each slot sharing group.
    const groups = new Map<string, number>();
    for (const v of graph.vertices) groups.set(v.slotSharingGroup, Math.max(groups.get(v.slotSharingGroup) ?? 0, v.parallelism));
    const needed = [...groups.values()].reduce((a, b) => a + b, 0);
    this.allocations = await this.slots.requestSlots(this.jobId, needed, this.options.slotRequestTimeoutMs ?? 30_000);
    if (this.state.state !== 'RUNNING') return;
    const slotOf = new Map<string, SlotAllocation>();
    let next = 0;
    for (const [group, count] of groups) for (let i = 0; i < count; i++) slotOf.set(`${group}/${i}`, this.allocations[next++]!);

    for (const v of graph.vertices) {
      for (let i = 0; i < v.parallelism; i++) {
        const executionId = this.executionIdOf(v.id, i);
        const allocation = slotOf.get(`${v.slotSharingGroup}/${i}`)!;
        this.executions.set(executionId, {
          executionId,
          vertex: v,
          subtaskIndex: i,
          state: createExecutionStateMachine(executionId),
          location: { allocationId: allocation.allocationId, taskExecutorId: allocation.slotId.taskExecutorId },
        });
      }
    }

    // Start the slots' worker threads (each imports the job module) before deploying into them.
    await Promise.all(
      this.allocations.map((a) =>
        this.slots.getTaskExecutor(a.slotId.taskExecutorId).allocateSlot(
          a,
          {
            jobModule: this.submission.jobModule,
            params: this.submission.params,
            fingerprint: graph.fingerprint,
            defaultParallelism: graph.config.defaultParallelism,
          },
          this,
        ),
      ),
    );
    if (this.state.state !== 'RUNNING') return;

    for (const v of graph.vertices) {
      if (!v.isSource) continue;
      const node = this.streamGraph.getNode(v.headNodeId);
      const coordinator = new SourceCoordinator(v.name, node.source!, v.parallelism, (subtask, event) =>
        this.sendToSubtask(v, subtask, event),
      );
      this.coordinators.set(v.id, coordinator);
      await coordinator.start(this.restoreFrom?.metadata.coordinatorState.get(this.headUid(v.id)));
    }

    for (const execution of this.executions.values()) {
      execution.state.transitionTo('SCHEDULED');
      execution.state.transitionTo('DEPLOYING');
      const tdd = this.deploymentDescriptor(execution);
      await this.gatewayOf(execution).submitTask(tdd);
    }
  }

  private deploymentDescriptor(execution: Execution): TaskDeploymentDescriptor {
    const graph = this.jobGraph;
    const v = execution.vertex;
    const peer = (vertexId: string, subtaskIndex: number): ChannelPeer => ({
      subtaskIndex,
      location: this.executions.get(this.executionIdOf(vertexId, subtaskIndex))!.location!,
    });
    const inputs = v.inputs.map((edgeId) => {
      const edge = getJobEdge(graph, edgeId);
      const producerParallelism = graph.vertices.find((x) => x.id === edge.sourceVertexId)!.parallelism;
      const producers = computeEdgeConnections(edge.partitioner, producerParallelism, v.parallelism).producersOf[execution.subtaskIndex]!;
      return { jobEdgeId: edgeId, inputIndex: edge.inputIndex, producers: producers.map((p) => peer(edge.sourceVertexId, p)) };
    });
    const outputs = v.outputs.map((edgeId) => {
      const edge = getJobEdge(graph, edgeId);
      const consumerParallelism = graph.vertices.find((x) => x.id === edge.targetVertexId)!.parallelism;
      const consumers = computeEdgeConnections(edge.partitioner, v.parallelism, consumerParallelism).consumersOf[execution.subtaskIndex]!;
      return { jobEdgeId: edgeId, consumerParallelism, consumers: consumers.map((c) => peer(edge.targetVertexId, c)) };
    });
    return {
      jobId: this.jobId,
      executionId: execution.executionId,
      vertexId: v.id,
      taskName: v.name,
      subtaskIndex: execution.subtaskIndex,
      parallelism: v.parallelism,
      attemptNumber: this.attempt,
      allocationId: execution.location!.allocationId,
      inputs,
      outputs,
      checkpointing: { mode: this.checkpointing.settings.mode, periodic: this.checkpointing.isPeriodic },
      ...(this.restoreFrom
        ? { restore: { directory: this.restoreFrom.handle.directory, checkpointId: this.restoreFrom.metadata.checkpointId } }
        : {}),
    };
  }

  private sendToSubtask(v: JobVertex, subtask: number, event: OperatorEvent): void {
    const execution = this.executions.get(this.executionIdOf(v.id, subtask));
    if (!execution || execution.state.isTerminal()) return;
    void this.gatewayOf(execution)
      .sendOperatorEvent(execution.executionId, event)
      .catch((e) => log.warn(`could not send an operator event to ${v.name} (${subtask + 1}): ${String(e)}`));
  }

  private gatewayOf(execution: Execution): TaskExecutorGateway {
    return this.slots.getTaskExecutor(execution.location!.taskExecutorId);
  }

  // --- failure, cancellation, termination ---

  private fail(cause: SerializedError): void {
    // A root cause reported after a secondary failure (see SECONDARY_FAILURE_NAMES) replaces it.
    if (this.state.state === 'FAILING' && this.failureCause && SECONDARY_FAILURE_NAMES.has(this.failureCause.name) && !SECONDARY_FAILURE_NAMES.has(cause.name)) {
      this.failureCause = cause;
      return;
    }
    if (this.state.state !== 'RUNNING' || this.terminalPending) return;
    this.failureCause = cause;
    this.checkpointing.stop(`job failure: ${cause.name}: ${cause.message}`);
    if (!this.stopping && !this.unrecoverable) {
      this.restartStrategy.notifyFailure(cause);
      if (this.restartStrategy.canRestart()) {
        this.state.transitionTo('RESTARTING', cause);
        this.failedAt = Date.now();
        void this.restart(this.restartStrategy.getBackoffTime());
        return;
      }
    }
    this.state.transitionTo('FAILING', cause);
    this.cancelExecutions();
    this.checkTerminal();
  }

  /**
   * Restarts the whole job after a failure (Flink's full-restart failover): stops every task by
   * freeing the slots (their worker threads end), waits the backoff, then deploys attempt + 1,
   * restored from the newest checkpoint that passes its checksums (or the initial savepoint).
   */
  private async restart(backoffMs: number): Promise<void> {
    const cause = this.failureCause!;
    log.warn(`job ${this.jobId} restarts (attempt ${this.attempt + 1}) in ${backoffMs} ms after ${cause.name}: ${cause.message}`);
    try {
      await this.releaseResources();
      for (const e of this.executions.values()) {
        if (e.state.isTerminal()) continue;
        // Its worker thread is gone; its last report may not have arrived.
        if (e.state.canTransitionTo('CANCELING')) e.state.transitionTo('CANCELING');
        e.state.transitionTo('CANCELED');
      }
      this.executions.clear();
      this.coordinators.clear();
      this.taskMetrics.clear();
      this.allRunningNotified = false;
      if (backoffMs > 0) await new Promise((r) => setTimeout(r, backoffMs));
      if (this.state.state !== 'RESTARTING') {
        this.checkTerminal();
        return;
      }
      // A checkpoint that was writing its metadata when the failure came is complete or failed first.
      await this.checkpointing.coordinator.settled();
      const latest = await this.checkpointing.findLatestRestorable();
      if (latest) {
        this.restoreFrom = latest;
        log.info(`job ${this.jobId} restores checkpoint ${latest.metadata.checkpointId} (${latest.handle.directory})`);
      }
      if (this.restoreFrom) this.checkpointing.coordinator.advanceCheckpointIdTo(this.restoreFrom.metadata.checkpointId + 1);
      this.attempt++;
      this.failureCause = undefined;
      this.state.transitionTo('RUNNING');
      await this.schedule();
    } catch (e) {
      log.error(`job ${this.jobId} could not restart: ${e instanceof Error ? e.message : String(e)}`);
      if (this.state.state === 'RESTARTING') this.state.transitionTo('FAILING', cause);
      this.failureCause = cause;
      if (this.state.state === 'RUNNING') this.fail(serializeError(e));
      else this.checkTerminal();
    }
  }

  /** Runs `Sink.validate()` of every Sink V2 of the job (nodes carrying {@link SINK_PROPERTY}), naming the sink on failure. */
  private async validateSinks(): Promise<void> {
    for (const node of this.streamGraph.nodes.values()) {
      const sink = node.properties.get(SINK_PROPERTY) as Sink<unknown> | undefined;
      if (sink?.validate === undefined) continue;
      try {
        await sink.validate();
      } catch (e) {
        throw Object.assign(new Error(`sink '${node.name}' rejected its configuration: ${e instanceof Error ? e.message : String(e)}`, { cause: e }), { riffleOperatorName: node.name });
      }
    }
  }

  /** Reads and verifies a savepoint, and checks its state maps onto this job's operators. */
  private async loadSavepoint(path: string, allowNonRestoredState: boolean): Promise<LoadedCheckpoint> {
    let loaded: LoadedCheckpoint;
    try {
      loaded = await loadCheckpointFromDirectory(path);
      await verifyCheckpoint(loaded);
    } catch (e) {
      throw new Error(`cannot restore from savepoint ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const nodes = new Map(this.jobGraph.vertices.flatMap((v) => v.chainedNodes.map((n) => [n.uid, n] as const)));
    for (const op of loaded.metadata.operators) {
      const hasState = op.subtaskStates.some((files) => files.length > 0) || loaded.metadata.coordinatorState.has(op.operatorUid);
      if (!hasState) continue;
      const node = nodes.get(op.operatorUid);
      if (!node) {
        if (allowNonRestoredState) {
          log.warn(`savepoint ${path}: skipping the state of operator '${op.operatorUid}', which this job does not have (allowNonRestoredState)`);
          continue;
        }
        throw new Error(
          `cannot restore from savepoint ${path}: it holds state of operator '${op.operatorUid}', which this job does not have. ` +
            "Set the operator's uid to match, or pass --allowNonRestoredState to skip that state.",
        );
      }
      const keyed = op.subtaskStates.some((files) => files.some((f) => f.kind === 'keyed'));
      if (keyed && node.maxParallelism !== op.maxParallelism) {
        throw new Error(
          `cannot restore from savepoint ${path}: operator '${op.operatorUid}' has max parallelism ${node.maxParallelism}, the savepoint's keyed state was written with ${op.maxParallelism}`,
        );
      }
    }
    this.checkpointing.coordinator.advanceCheckpointIdTo(loaded.metadata.checkpointId + 1);
    log.info(`job ${this.jobId} starts from savepoint ${loaded.handle.directory} (checkpoint ${loaded.metadata.checkpointId})`);
    return loaded;
  }

  private executionIdOf(vertexId: string, subtaskIndex: number): string {
    return `${vertexId}_${subtaskIndex}_${this.attempt}`;
  }

  /** The uid of a vertex's head node (a source's state is stored under it). */
  private headUid(vertexId: string): string {
    const v = this.jobGraph.vertices.find((x) => x.id === vertexId)!;
    return v.chainedNodes.find((n) => n.nodeId === v.headNodeId)!.uid;
  }

  private maybeAllRunning(): void {
    if (this.allRunningNotified || this.state.state !== 'RUNNING') return;
    for (const e of this.executions.values()) if (e.state.state !== 'RUNNING' && e.state.state !== 'FINISHED') return;
    this.allRunningNotified = true;
    if (this.failedAt !== undefined) {
      log.info(
        `job ${this.jobId} attempt ${this.attempt} is running again ${Date.now() - this.failedAt} ms after the failure` +
          (this.restoreFrom ? ` (state of checkpoint ${this.restoreFrom.metadata.checkpointId})` : ''),
      );
      this.failedAt = undefined;
    }
    this.checkpointing.onAllTasksRunning();
  }

  private sendCheckpointEvent(executionId: string, event: CheckpointEvent): void {
    const execution = this.executions.get(executionId);
    if (!execution || execution.state.isTerminal()) return;
    void this.gatewayOf(execution)
      .sendCheckpointEvent(executionId, event)
      .catch((e) => log.warn(`could not send a checkpoint event to ${executionId}: ${String(e)}`));
  }

  private cancellationWatchdog: NodeJS.Timeout | undefined;

  private cancelExecutions(): void {
    this.cancellationWatchdog ??= setTimeout(() => void this.forceCancellation(), this.options.cancellationTimeoutMs ?? DEFAULT_CANCELLATION_TIMEOUT_MS);
    for (const execution of this.executions.values()) {
      const s = execution.state.state;
      if (execution.state.isTerminal() || s === 'CANCELING') continue;
      if (s === 'CREATED' || s === 'SCHEDULED') {
        execution.state.transitionTo('CANCELED');
        continue;
      }
      execution.state.transitionTo('CANCELING');
      void this.gatewayOf(execution)
        .cancelTask(execution.executionId)
        .catch((e) => log.warn(`could not cancel ${execution.executionId}: ${String(e)}`));
    }
  }

  /** Ends tasks that did not confirm their cancellation in time by freeing every slot (their threads end). */
  private async forceCancellation(): Promise<void> {
    const stuck = [...this.executions.values()].filter((e) => e.state.state === 'CANCELING');
    if (stuck.length === 0 || this.terminalPending) return;
    const timeout = this.options.cancellationTimeoutMs ?? DEFAULT_CANCELLATION_TIMEOUT_MS;
    log.error(
      `job ${this.jobId}: ${stuck.map((e) => `${e.vertex.name} (${e.subtaskIndex + 1}/${e.vertex.parallelism})`).join(', ')} did not confirm cancellation within ${timeout} ms; freeing every slot of the job`,
    );
    await this.releaseResources();
    for (const e of stuck) if (!e.state.isTerminal()) e.state.transitionTo('CANCELED');
    this.checkTerminal();
  }

  private terminalPending = false;

  private checkTerminal(): void {
    if (this.terminalPending) return;
    const all = [...this.executions.values()];
    if (!all.every((e) => e.state.isTerminal())) return;
    const s = this.state.state;
    if (s === 'RUNNING') {
      if (this.stopping && all.length > 0) {
        this.terminalPending = true;
        void this.finish('FINISHED');
        return;
      }
      if (all.length === 0 || !all.every((e) => e.state.state === 'FINISHED')) return;
      this.terminalPending = true;
      void this.finish('FINISHED');
    } else if (s === 'FAILING') {
      this.terminalPending = true;
      void this.finish('FAILED');
    } else if (s === 'CANCELLING') {
      this.terminalPending = true;
      void this.finish('CANCELED');
    }
  }

  private async finish(status: 'FINISHED' | 'FAILED' | 'CANCELED'): Promise<void> {
    clearTimeout(this.cancellationWatchdog);
    this.checkpointing.stop(`job ${status}`);
    await this.cleanUp();
    if (status === 'FINISHED' && !this.stopping) await this.checkpointing.discardAll();
    this.state.transitionTo(status, this.failureCause);
    log.info(`job ${this.jobId} (${this.jobGraph.jobName}) ${status}`);
    this.resolveResult({
      jobId: this.jobId,
      jobName: this.jobGraph.jobName,
      status,
      error: status === 'FAILED' ? this.failureCause : undefined,
      startTime: this.startTime,
      endTime: Date.now(),
      collected: this.collected,
      metrics: this.jobMetrics(),
    });
  }

  /** Every metric the tasks reported, summed over the subtasks of each operator. */
  private jobMetrics(): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const values of this.taskMetrics.values()) for (const [name, v] of Object.entries(values)) sums[name] = (sums[name] ?? 0) + v;
    return sums;
  }

  private async cleanUp(): Promise<void> {
    await this.releaseResources();
  }

  /** Closes the source coordinators, frees every slot (ending its worker thread) and returns the slots. */
  private async releaseResources(): Promise<void> {
    for (const c of this.coordinators.values()) await c.close();
    await Promise.all(
      this.allocations.map((a) =>
        this.slots
          .getTaskExecutor(a.slotId.taskExecutorId)
          .freeSlot(a.allocationId)
          .catch((e) => log.warn(`could not free slot ${a.allocationId}: ${String(e)}`)),
      ),
    );
    this.allocations = [];
    await this.slots.releaseSlots(this.jobId);
  }
}
