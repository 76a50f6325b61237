import type { MessagePort } from 'node:worker_threads';
import type { NetworkStackStats } from '../network/network-stats.js';
import type { CheckpointEvent, OperatorEvent, TaskEvent } from '../rpc/gateways.js';
import type { SerializedError, TaskDeploymentDescriptor, TaskExecutionStateUpdate } from '../rpc/messages.js';

/** Data a slot's worker thread starts with. */
export interface WorkerInit {
  readonly taskExecutorId: string;
  readonly allocationId: string;
  readonly jobId: string;
  /** The module the worker imports to rebuild the job's StreamGraph. */
  readonly jobModule: string;
  readonly params: Readonly<Record<string, string>>;
  /** Fingerprint of the JobGraph; the rebuilt graph must match it. */
  readonly fingerprint: string;
  /** The job's default parallelism (set in the worker's ExecutionContext before the graph is rebuilt). */
  readonly defaultParallelism: number;
}

/** Messages from the TaskExecutor (main thread) to a slot's worker thread. */
export type ToWorker =
  | { readonly kind: 'peer'; readonly peerId: string; readonly port: MessagePort }
  | { readonly kind: 'deploy'; readonly tdd: TaskDeploymentDescriptor }
  | { readonly kind: 'cancel'; readonly executionId: string }
  | { readonly kind: 'operator-event'; readonly executionId: string; readonly event: OperatorEvent }
  | { readonly kind: 'checkpoint-event'; readonly executionId: string; readonly event: CheckpointEvent }
  | { readonly kind: 'shutdown' };

/** Messages from a slot's worker thread to its TaskExecutor. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'init-failed'; readonly error: SerializedError }
  | { readonly kind: 'task-state'; readonly update: TaskExecutionStateUpdate }
  | { readonly kind: 'task-event'; readonly executionId: string; readonly vertexId: string; readonly event: TaskEvent }
  | { readonly kind: 'shutdown-complete'; readonly network: NetworkStackStats };
