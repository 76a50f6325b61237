import { MessageChannel, type Worker } from 'node:worker_threads';
import { getLogger } from '@riffle/core';
import type { NetworkStackStats } from '../network/network-stats.js';
import type { CheckpointEvent, JobMasterGateway, OperatorEvent, SlotJobInfo, TaskExecutorGateway } from '../rpc/gateways.js';
import { serializeError, type SlotAllocation, type TaskDeploymentDescriptor } from '../rpc/messages.js';
import { spawnWorker } from '../util/spawn-worker.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const log = getLogger('TaskExecutor');

/** Options of a {@link TaskExecutor}. */
export interface TaskExecutorOptions {
  /**
   * How long freeing a slot waits for its terminated worker thread to end, ms (default 10 s). A
   * thread blocked in native code (a deadlocked database driver, a synchronous child process)
   * cannot be stopped; after this long the slot is freed anyway and the thread abandoned, so a job
   * restart or shutdown does not wait forever.
   */
  readonly workerStopTimeoutMs?: number;
}

const DEFAULT_WORKER_STOP_TIMEOUT_MS = 10_000;
const WORKER_MAIN = new URL('./worker-main.ts', import.meta.url);

interface SlotWorker {
  readonly allocation: SlotAllocation;
  readonly worker: Worker;
  readonly jobMaster: JobMasterGateway;
  /** Executions deployed into this worker that have not reached a terminal state. */
  readonly running: Set<string>;
  terminating: boolean;
  exited: Promise<void>;
}

/**
 * Worker threads of one job in one process, meshed with MessagePorts so that any two of them
 * can exchange network buffers. Shared by all TaskExecutors of the process (a MiniCluster may
 * run several).
 */
const meshByJob = new Map<string, Map<string, Worker>>();

function joinMesh(jobId: string, allocationId: string, worker: Worker): void {
  let mesh = meshByJob.get(jobId);
  if (!mesh) meshByJob.set(jobId, (mesh = new Map()));
  for (const [peerId, peer] of mesh) {
    const { port1, port2 } = new MessageChannel();
    peer.postMessage({ kind: 'peer', peerId: allocationId, port: port1 } satisfies ToWorker, [port1 as never]);
    worker.postMessage({ kind: 'peer', peerId, port: port2 } satisfies ToWorker, [port2 as never]);
  }
  mesh.set(allocationId, worker);
}

function leaveMesh(jobId: string, allocationId: string): void {
  const mesh = meshByJob.get(jobId);
  mesh?.delete(allocationId);
  if (mesh && mesh.size === 0) meshByJob.delete(jobId);
}

/**
 * Runs tasks in slots. Each active slot is one worker thread that has imported the job module;
 * the tasks deployed into the slot (one subtask of each vertex of its slot sharing group) run in
 * that thread, each with its own mailbox. Freeing the slot terminates the thread.
 */
export class TaskExecutor implements TaskExecutorGateway {
  private readonly slots = new Map<string, SlotWorker>();
  private readonly executionToSlot = new Map<string, string>();
  /** Network counters of the worker threads of ended slots, by job. */
  private readonly endedNetworkStats = new Map<string, NetworkStackStats[]>();

  private readonly workerStopTimeoutMs: number;

  constructor(
    readonly taskExecutorId: string,
    readonly numberOfSlots: number,
    options: TaskExecutorOptions = {},
  ) {
    this.workerStopTimeoutMs = options.workerStopTimeoutMs ?? DEFAULT_WORKER_STOP_TIMEOUT_MS;
  }

  async allocateSlot(
    allocation: SlotAllocation,
    submission: SlotJobInfo,
    jobMaster: JobMasterGateway,
  ): Promise<void> {
    if (this.slots.has(allocation.allocationId)) return;
    const init: WorkerInit = {
      taskExecutorId: this.taskExecutorId,
      allocationId: allocation.allocationId,
      jobId: allocation.jobId,
      jobModule: submission.jobModule,
      params: submission.params,
      fingerprint: submission.fingerprint,
      defaultParallelism: submission.defaultParallelism,
    };
    const worker = spawnWorker(WORKER_MAIN, init, { name: `riffle-slot-${allocation.slotId.slotIndex}` });
    let markExited!: () => void;
    const slot: SlotWorker = {
      allocation,
      worker,
      jobMaster,
      running: new Set(),
      terminating: false,
      exited: new Promise<void>((r) => (markExited = r)),
    };
    this.slots.set(allocation.allocationId, slot);

    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        switch (msg.kind) {
          case 'ready':
            resolve();
            break;
          case 'init-failed': {
            const e = new Error(msg.error.message);
            e.name = msg.error.name;
            e.stack = msg.error.stack;
            reject(e);
            break;
          }
          default:
            this.onWorkerMessage(slot, msg);
        }
      });
      worker.on('error', (err) => {
        reject(err);
        this.failRunning(slot, err);
      });
      worker.on('exit', (code) => {
        leaveMesh(allocation.jobId, allocation.allocationId);
        if (!slot.terminating) {
          const err = new Error(`the worker thread of slot ${allocation.slotId.slotIndex} exited unexpectedly (code ${code})`);
          reject(err);
          this.failRunning(slot, err);
        }
        this.slots.delete(allocation.allocationId);
        markExited();
      });
    });
    joinMesh(allocation.jobId, allocation.allocationId, worker);
    await ready;
  }

  async submitTask(tdd: TaskDeploymentDescriptor): Promise<void> {
    const slot = this.slots.get(tdd.allocationId);
    if (!slot) throw new Error(`no active slot ${tdd.allocationId} on TaskExecutor ${this.taskExecutorId} for task ${tdd.taskName}`);
    slot.running.add(tdd.executionId);
    this.executionToSlot.set(tdd.executionId, tdd.allocationId);
    slot.worker.postMessage({ kind: 'deploy', tdd } satisfies ToWorker);
  }

  async cancelTask(executionId: string): Promise<void> {
    const slot = this.slotOf(executionId);
    slot?.worker.postMessage({ kind: 'cancel', executionId } satisfies ToWorker);
  }

  async sendOperatorEvent(executionId: string, event: OperatorEvent): Promise<void> {
    const slot = this.slotOf(executionId);
    slot?.worker.postMessage({ kind: 'operator-event', executionId, event } satisfies ToWorker);
  }

  async sendCheckpointEvent(executionId: string, event: CheckpointEvent): Promise<void> {
    const slot = this.slotOf(executionId);
    slot?.worker.postMessage({ kind: 'checkpoint-event', executionId, event } satisfies ToWorker);
  }

  async freeSlot(allocationId: string): Promise<void> {
    const slot = this.slots.get(allocationId);
    if (!slot) return;
    slot.terminating = true;
    slot.worker.postMessage({ kind: 'shutdown' } satisfies ToWorker);
    // Give the worker a moment to close its operators, then stop the thread regardless.
    const graceful = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      slot.worker.on('message', (m: FromWorker) => {
        if (m.kind === 'shutdown-complete') {
          const list = this.endedNetworkStats.get(slot.allocation.jobId) ?? [];
          list.push(m.network);
          this.endedNetworkStats.set(slot.allocation.jobId, list);
          clearTimeout(timer);
          resolve(true);
        }
      });
      void slot.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    // A worker that shut down cleanly exits on its own (flushing its stdout); stop the rest.
    if (await graceful) await Promise.race([slot.exited, new Promise((r) => setTimeout(r, 2000).unref())]);
    const stopped = slot.worker.terminate().then(() => slot.exited);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.workerStopTimeoutMs)));
    if (await Promise.race([stopped.then(() => false), gaveUp])) {
      log.error(
        `the worker thread of slot ${slot.allocation.slotId.slotIndex} (job ${slot.allocation.jobId}) did not end within ${this.workerStopTimeoutMs} ms of being terminated; ` +
          'it is blocked in native code. Its slot is freed and the thread abandoned.',
      );
      leaveMesh(slot.allocation.jobId, allocationId);
      this.slots.delete(allocationId);
      // Not unref'd: an abandoned thread keeps the process alive anyway.
      void stopped.then(() => log.info(`the abandoned worker thread of slot ${slot.allocation.slotId.slotIndex} ended`));
    }
    clearTimeout(timer);
    for (const id of slot.running) this.executionToSlot.delete(id);
  }

  /** Network counters reported by the worker threads of a job's freed slots (one entry per thread). */
  networkStats(jobId: string): NetworkStackStats[] {
    return this.endedNetworkStats.get(jobId) ?? [];
  }

  activeWorkerCount(): number {
    return this.slots.size;
  }

  /** Terminates every worker thread (process shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((id) => this.freeSlot(id)));
  }

  private slotOf(executionId: string): SlotWorker | undefined {
    const allocationId = this.executionToSlot.get(executionId);
    return allocationId === undefined ? undefined : this.slots.get(allocationId);
  }

  private onWorkerMessage(slot: SlotWorker, msg: FromWorker): void {
    switch (msg.kind) {
      case 'task-state': {
        const { update } = msg;
        if (update.state === 'FINISHED' || update.state === 'CANCELED' || update.state === 'FAILED') {
          slot.running.delete(update.executionId);
          this.executionToSlot.delete(update.executionId);
        }
        void slot.jobMaster.updateTaskExecutionState(update).catch((e) => log.warn(`could not report task state: ${String(e)}`));
        break;
      }
      case 'task-event':
        void slot.jobMaster
          .sendTaskEvent(slot.allocation.jobId, msg.executionId, msg.vertexId, msg.event)
          .catch((e) => log.warn(`could not forward task event: ${String(e)}`));
        break;
      default:
        break;
    }
  }

  /** A worker died: every task still running in it has failed. */
  private failRunning(slot: SlotWorker, err: Error): void {
    for (const executionId of slot.running) {
      void slot.jobMaster.updateTaskExecutionState({
        jobId: slot.allocation.jobId,
        executionId,
        state: 'FAILED',
        error: serializeError(err),
      });
      this.executionToSlot.delete(executionId);
    }
    slot.running.clear();
  }
}
