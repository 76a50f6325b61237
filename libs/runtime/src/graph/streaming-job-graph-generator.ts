import type { StreamEdge, StreamGraph } from './stream-graph.js';
import type { ChainedNode, ChainedOutput, JobEdge, JobGraph, JobVertex } from './job-graph.js';
import { computeOperatorUids } from './operator-uid.js';
import { streamGraphFingerprint } from './job-graph-fingerprint.js';
import { validateStreamGraph } from './job-graph-validation.js';

/**
 * StreamGraph → JobGraph translation (Flink's `StreamingJobGraphGenerator`): validates the graph,
 * assigns operator uids, chains operators connected one-to-one into vertices and turns the other
 * edges into network JobEdges.
 */

/**
 * Whether a StreamEdge is chained (its records are handed over by a direct call inside one task),
 * following Flink's `isChainable`: chaining is enabled for the job; the target has exactly one
 * incoming edge and one input; the target's strategy is ALWAYS and the source's is not NEVER; the
 * partitioner is forward; parallelisms are equal; both nodes are in the same slot sharing group.
 */
export function isChainable(graph: StreamGraph, edge: StreamEdge): boolean {
  if (!graph.config.chainingEnabled) return false;
  const source = graph.getNode(edge.sourceId);
  const target = graph.getNode(edge.targetId);
  return (
    graph.inEdges(target.id).length === 1 &&
    target.inputCount === 1 &&
    target.chainingStrategy === 'ALWAYS' &&
    source.chainingStrategy !== 'NEVER' &&
    edge.partitioner.kind === 'forward' &&
    source.parallelism === target.parallelism &&
    source.slotSharingGroup === target.slotSharingGroup
  );
}

/**
 * Translates a StreamGraph into a plain-data JobGraph. Throws (with a user-facing message) when
 * the graph is invalid: see `validateStreamGraph` and `computeOperatorUids`. Pure and
 * deterministic: the same graph and job id give a deep-equal JobGraph.
 */
export function createJobGraph(streamGraph: StreamGraph, jobId: string): JobGraph {
  validateStreamGraph(streamGraph);
  const uids = computeOperatorUids(streamGraph);
  const order = streamGraph.topologicalOrder();

  // Chain head of every node: a node reached over a chained edge joins its source's chain.
  const headOf = new Map<number, number>();
  const chained = new Set<string>();
  for (const id of order) {
    const inEdges = streamGraph.inEdges(id);
    const only = inEdges.length === 1 ? inEdges[0]! : undefined;
    if (only && isChainable(streamGraph, only)) {
      chained.add(only.id);
      headOf.set(id, headOf.get(only.sourceId)!);
    } else {
      headOf.set(id, id);
    }
  }
  const vertexId = (nodeId: number): string => `v${headOf.get(nodeId)!}`;

  const edges: JobEdge[] = [];
  for (const e of streamGraph.edges) {
    if (chained.has(e.id)) continue;
    const kind = e.partitioner.kind;
    edges.push({
      id: e.id,
      streamEdgeId: e.id,
      sourceVertexId: vertexId(e.sourceId),
      targetVertexId: vertexId(e.targetId),
      sourceNodeId: e.sourceId,
      targetNodeId: e.targetId,
      inputIndex: e.inputIndex,
      partitioner: kind,
      pattern: kind === 'forward' || kind === 'rescale' ? 'POINTWISE' : 'ALL_TO_ALL',
      ...(e.sideOutputTag !== undefined ? { sideOutputTag: e.sideOutputTag } : {}),
    });
  }

  const vertices: JobVertex[] = [];
  for (const headId of order) {
    if (headOf.get(headId) !== headId) continue;
    const head = streamGraph.getNode(headId);
    const members = order.filter((id) => headOf.get(id) === headId);
    const chainedNodes: ChainedNode[] = members.map((id) => {
      const node = streamGraph.getNode(id);
      const out = streamGraph.outEdges(id);
      const chainedOutputs: ChainedOutput[] = out
        .filter((e) => chained.has(e.id))
        .map((e) => ({
          streamEdgeId: e.id,
          targetNodeId: e.targetId,
          ...(e.sideOutputTag !== undefined ? { sideOutputTag: e.sideOutputTag } : {}),
        }));
      return {
        nodeId: id,
        name: node.name,
        uid: uids.get(id)!,
        userUid: node.uid !== undefined,
        kind: node.kind,
        inputCount: node.inputCount,
        maxParallelism: node.maxParallelism,
        chainedOutputs,
        networkOutputs: out.filter((e) => !chained.has(e.id)).map((e) => e.id),
      };
    });
    const memberSet = new Set(members);
    const id = `v${headId}`;
    vertices.push({
      id,
      name: chainName(streamGraph, headId, chained),
      parallelism: head.parallelism,
      maxParallelism: head.maxParallelism,
      slotSharingGroup: head.slotSharingGroup,
      isSource: head.kind === 'source',
      headNodeId: headId,
      chainedNodes,
      inputs: edges
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.targetVertexId === id)
        .sort((a, b) => a.e.inputIndex - b.e.inputIndex || a.i - b.i)
        .map(({ e }) => e.id),
      outputs: edges.filter((e) => memberSet.has(e.sourceNodeId)).map((e) => e.id),
    });
  }

  const c = streamGraph.config;
  return {
    jobId,
    jobName: c.jobName,
    vertices,
    edges,
    config: {
      defaultParallelism: c.defaultParallelism,
      maxParallelism: c.maxParallelism,
      runtimeMode: c.runtimeMode,
      chainingEnabled: c.chainingEnabled,
      bufferTimeoutMs: c.bufferTimeoutMs,
      autoWatermarkIntervalMs: c.autoWatermarkIntervalMs,
      params: { ...c.params },
      ...(c.restartStrategy ? { restartStrategy: c.restartStrategy } : {}),
      ...(c.checkpoint ? { checkpoint: { ...c.checkpoint } } : {}),
    },
    fingerprint: streamGraphFingerprint(streamGraph),
  };
}

/** Flink's chained name: `A -> B`, or `A -> (B, C)` when a node has several chained outputs. */
function chainName(graph: StreamGraph, nodeId: number, chained: Set<string>): string {
  const name = graph.getNode(nodeId).name;
  const next = graph.outEdges(nodeId).filter((e) => chained.has(e.id));
  if (next.length === 0) return name;
  const names = next.map((e) => chainName(graph, e.targetId, chained));
  return next.length === 1 ? `${name} -> ${names[0]}` : `${name} -> (${names.join(', ')})`;
}
