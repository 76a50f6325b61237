import type { PartitionerKind } from '../graph/stream-graph.js';

/**
 * How the subtasks of a producer and a consumer vertex are connected by one job edge (Flink's
 * `DistributionPattern`): every producer to every consumer, or each producer to a contiguous
 * range of consumers.
 */
export type ConnectionPattern = 'ALL_TO_ALL' | 'POINTWISE';

/** The connection pattern a partitioner implies: forward and rescale are pointwise, the rest all-to-all. */
export function connectionPatternOf(kind: PartitionerKind): ConnectionPattern {
  return kind === 'forward' || kind === 'rescale' ? 'POINTWISE' : 'ALL_TO_ALL';
}

/** Which subtasks of an edge talk to which: the shape of the network for one job edge. */
export interface EdgeConnections {
  /** `consumersOf[i]`: consumer subtasks producer subtask `i` feeds, ascending (its subpartitions, in order). */
  readonly consumersOf: readonly (readonly number[])[];
  /** `producersOf[j]`: producer subtasks consumer subtask `j` reads, ascending (its input channels, in order). */
  readonly producersOf: readonly (readonly number[])[];
}

/** Names used in error messages of {@link computeEdgeConnections}. */
export interface EdgeNames {
  readonly producer?: string;
  readonly consumer?: string;
}

/**
 * Computes which consumers each producer subtask feeds and which producers each consumer reads,
 * with Flink's pointwise rules: equal parallelism connects i → i; with more producers than
 * consumers, consumer j reads producers ⌊j·p/c⌋ … ⌊(j+1)·p/c⌋−1; with fewer, producer i feeds
 * consumers ⌊i·c/p⌋ … ⌊(i+1)·c/p⌋−1. Pure; call it anywhere.
 * @throws Error when parallelisms are not positive integers, or for a forward edge whose
 *   parallelisms differ ("Forward partitioning does not allow change of parallelism ...").
 */
export function computeEdgeConnections(
  kind: PartitionerKind,
  producerParallelism: number,
  consumerParallelism: number,
  names: EdgeNames = {},
): EdgeConnections {
  const p = producerParallelism;
  const c = consumerParallelism;
  if (!Number.isInteger(p) || p < 1 || !Number.isInteger(c) || c < 1) {
    throw new Error(`edge parallelism must be positive integers, got producer ${p}, consumer ${c}`);
  }
  if (kind === 'forward' && p !== c) {
    throw new Error(
      `Forward partitioning does not allow change of parallelism. Upstream operation: ${names.producer ?? '?'} ` +
        `parallelism: ${p}, downstream operation: ${names.consumer ?? '?'} parallelism: ${c}. ` +
        'You must use another partitioning strategy, such as broadcast, rebalance, shuffle or global.',
    );
  }
  const consumersOf: number[][] = Array.from({ length: p }, () => []);
  const producersOf: number[][] = Array.from({ length: c }, () => []);
  if (connectionPatternOf(kind) === 'ALL_TO_ALL') {
    for (let i = 0; i < p; i++) for (let j = 0; j < c; j++) consumersOf[i]!.push(j);
    for (let j = 0; j < c; j++) for (let i = 0; i < p; i++) producersOf[j]!.push(i);
  } else if (p === c) {
    for (let i = 0; i < p; i++) {
      consumersOf[i]!.push(i);
      producersOf[i]!.push(i);
    }
  } else if (p > c) {
    for (let j = 0; j < c; j++) {
      const start = Math.floor((j * p) / c);
      const end = Math.floor(((j + 1) * p) / c);
      for (let i = start; i < end; i++) {
        producersOf[j]!.push(i);
        consumersOf[i]!.push(j);
      }
    }
  } else {
    for (let i = 0; i < p; i++) {
      const start = Math.floor((i * c) / p);
      const end = Math.floor(((i + 1) * c) / p);
      for (let j = start; j < end; j++) {
        consumersOf[i]!.push(j);
        producersOf[j]!.push(i);
      }
    }
  }
  return { consumersOf, producersOf };
}
