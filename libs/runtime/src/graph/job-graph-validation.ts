import type { StreamGraph, StreamNode } from './stream-graph.js';

/** The largest max parallelism (number of key groups), as in Flink. */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

/**
 * Checks a StreamGraph before it becomes a JobGraph and throws an Error with a message a user can
 * act on: parallelism not a positive integer or above the max parallelism, max parallelism outside
 * [1, 32768], no sources, dangling edges, a source with inputs, an operator missing an input, an
 * input index beyond the operator's input count, forward edges changing the parallelism, cycles.
 * Duplicate uids are reported by `computeOperatorUids`.
 */
export function validateStreamGraph(graph: StreamGraph): void {
  if (graph.sourceNodes().length === 0) {
    throw new Error(`Job '${graph.config.jobName}' has no sources: add a source with env.fromSource(...) before executing`);
  }
  for (const node of graph.nodes.values()) validateNode(node);
  for (const edge of graph.edges) {
    const source = graph.nodes.get(edge.sourceId);
    const target = graph.nodes.get(edge.targetId);
    if (!source || !target) throw new Error(`StreamGraph edge ${edge.id} refers to a missing node`);
    if (target.kind === 'source') throw new Error(`Source '${target.name}' cannot have an input (edge ${edge.id})`);
    if (edge.inputIndex >= target.inputCount) {
      throw new Error(`Operator '${target.name}' has ${target.inputCount} input(s) but edge ${edge.id} feeds input ${edge.inputIndex}`);
    }
    if (edge.partitioner.kind === 'forward' && source.parallelism !== target.parallelism) {
      throw new Error(
        `Forward partitioning does not allow change of parallelism. Upstream node ${source.id} ${source.name} has ` +
          `parallelism ${source.parallelism}, downstream node ${target.id} ${target.name} has parallelism ` +
          `${target.parallelism}. Use another partitioner such as rebalance().`,
      );
    }
  }
  for (const node of graph.nodes.values()) {
    if (node.kind === 'source') continue;
    const inputs = new Set(graph.inEdges(node.id).map((e) => e.inputIndex));
    for (let i = 0; i < node.inputCount; i++) {
      if (!inputs.has(i as 0 | 1)) {
        const which = node.inputCount === 2 ? (i === 0 ? 'first input' : 'second input') : 'input';
        throw new Error(`Operator '${node.name}' (node ${node.id}) has no ${which}`);
      }
    }
  }
  graph.topologicalOrder();
}

function validateNode(node: StreamNode): void {
  const { name, parallelism: p, maxParallelism: m } = node;
  if (!Number.isInteger(m) || m < 1 || m > UPPER_BOUND_MAX_PARALLELISM) {
    throw new Error(`Operator '${name}' has max parallelism ${m}; it must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}]`);
  }
  if (!Number.isInteger(p) || p < 1) {
    throw new Error(`Operator '${name}' has parallelism ${p}; it must be an integer of at least 1`);
  }
  if (p > m) {
    throw new Error(
      `Operator '${name}' has parallelism ${p}, which exceeds its max parallelism ${m}. Raise setMaxParallelism or lower the parallelism.`,
    );
  }
  if (node.kind === 'source' && node.inputCount !== 0) throw new Error(`Source '${name}' must have input count 0`);
  if (node.kind === 'operator' && node.inputCount === 0) throw new Error(`Operator '${name}' must have 1 or 2 inputs`);
}
