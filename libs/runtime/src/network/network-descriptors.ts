import type { PartitionerKind } from '../graph/stream-graph.js';
import { computeEdgeConnections } from './edge-connections.js';

/**
 * Plain-data descriptions of the network endpoints of a task, built by whoever deploys tasks
 * (they can cross threads and processes) and turned into live objects by a thread's
 * `NetworkEnvironment`. Both ends of a channel must use the same channel id, and each end names
 * the thread (`NetworkEnvironment.threadId`) on which the other end lives.
 */

/** One subpartition of a result partition: the channel to one consumer subtask. */
export interface SubpartitionDescriptor {
  readonly channelId: string;
  /** Thread of the consuming subtask; equal to the local thread id for an in-thread channel. */
  readonly consumerThreadId: string;
}

/** The output of one producer subtask on one job edge; subpartitions in channel order. */
export interface ResultPartitionDescriptor {
  /** Unique per thread; used in logs and errors, e.g. `"<scope>|<jobEdgeId>|<producerSubtask>"`. */
  readonly partitionId: string;
  readonly subpartitions: readonly SubpartitionDescriptor[];
}

/** One input channel of an input gate: the channel from one producer subtask. */
export interface InputChannelDescriptor {
  readonly channelId: string;
  /** Thread of the producing subtask; equal to the local thread id for an in-thread channel. */
  readonly producerThreadId: string;
}

/** The input of one consumer subtask on one job edge; channels in producer order. */
export interface InputGateDescriptor {
  /** Unique per thread; used in logs and errors. */
  readonly gateId: string;
  readonly channels: readonly InputChannelDescriptor[];
}

/**
 * The id of the channel from `producerSubtask` to `consumerSubtask` of a job edge. `scope` must
 * differ between jobs and between execution attempts (e.g. `"<jobId>@<attempt>"`), so that a late
 * message of a cancelled attempt can never reach a channel of the next one.
 */
export function networkChannelId(scope: string, jobEdgeId: string, producerSubtask: number, consumerSubtask: number): string {
  return `${scope}|${jobEdgeId}|${producerSubtask}->${consumerSubtask}`;
}

/** Everything needed to describe both ends of one job edge. */
export interface EdgeDeployment {
  /** Job and attempt scope of channel ids (see {@link networkChannelId}). */
  readonly scope: string;
  readonly jobEdgeId: string;
  readonly partitionerKind: PartitionerKind;
  /** Thread id of each producer subtask (length = producer parallelism). */
  readonly producerThreads: readonly string[];
  /** Thread id of each consumer subtask (length = consumer parallelism). */
  readonly consumerThreads: readonly string[];
  /** Names for error messages. */
  readonly producerName?: string;
  readonly consumerName?: string;
}

/**
 * The result partition of `producerSubtask` on an edge: one subpartition per consumer it feeds
 * (all consumers, or its pointwise range).
 * @throws Error for a forward edge with unequal parallelism.
 */
export function describeResultPartition(edge: EdgeDeployment, producerSubtask: number): ResultPartitionDescriptor {
  const conn = connectionsOf(edge);
  const consumers = conn.consumersOf[producerSubtask];
  if (consumers === undefined) throw new Error(`edge ${edge.jobEdgeId} has no producer subtask ${producerSubtask}`);
  return {
    partitionId: `${edge.scope}|${edge.jobEdgeId}|${producerSubtask}`,
    subpartitions: consumers.map((c) => ({
      channelId: networkChannelId(edge.scope, edge.jobEdgeId, producerSubtask, c),
      consumerThreadId: edge.consumerThreads[c]!,
    })),
  };
}

/**
 * The input gate of `consumerSubtask` on an edge: one channel per producer it reads.
 * @throws Error for a forward edge with unequal parallelism.
 */
export function describeInputGate(edge: EdgeDeployment, consumerSubtask: number): InputGateDescriptor {
  const conn = connectionsOf(edge);
  const producers = conn.producersOf[consumerSubtask];
  if (producers === undefined) throw new Error(`edge ${edge.jobEdgeId} has no consumer subtask ${consumerSubtask}`);
  return {
    gateId: `${edge.scope}|${edge.jobEdgeId}|in${consumerSubtask}`,
    channels: producers.map((p) => ({
      channelId: networkChannelId(edge.scope, edge.jobEdgeId, p, consumerSubtask),
      producerThreadId: edge.producerThreads[p]!,
    })),
  };
}

function connectionsOf(edge: EdgeDeployment) {
  return computeEdgeConnections(edge.partitionerKind, edge.producerThreads.length, edge.consumerThreads.length, {
    producer: edge.producerName,
    consumer: edge.consumerName,
  });
}
