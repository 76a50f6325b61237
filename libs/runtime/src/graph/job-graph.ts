import type { PartitionerKind, RuntimeExecutionMode } from './stream-graph.js';
import type { RestartStrategyConfiguration } from '../restart/restart-strategies.js';

/**
 * The JobGraph: the StreamGraph after operator chaining, as PLAIN DATA (no functions, no class
 * instances, no Maps). It crosses threads (`postMessage`) and processes (JSON over TCP), so
 * everything in it must survive `structuredClone` and `JSON.parse(JSON.stringify(...))` unchanged.
 * It refers to the StreamGraph's nodes and edges by id: a worker rebuilds the StreamGraph from
 * the job module, checks {@link JobGraph.fingerprint}, then instantiates the operators of the
 * vertex it runs. Made by `createJobGraph`.
 */
export interface JobGraph {
  readonly jobId: string;
  readonly jobName: string;
  /** In topological order of their head nodes (sources first). */
  readonly vertices: JobVertex[];
  /** Network (non-chained) edges, in StreamGraph edge order. */
  readonly edges: JobEdge[];
  readonly config: JobGraphConfig;
  /** `streamGraphFingerprint` of the StreamGraph this JobGraph was made from. */
  readonly fingerprint: string;
}

/** Job-wide settings copied from the StreamGraph config. */
export interface JobGraphConfig {
  readonly defaultParallelism: number;
  readonly maxParallelism: number;
  readonly runtimeMode: RuntimeExecutionMode;
  readonly chainingEnabled: boolean;
  readonly bufferTimeoutMs: number;
  readonly autoWatermarkIntervalMs: number;
  readonly params: Record<string, string>;
  /** The job's restart strategy (plain data); absent when the job did not set one. */
  readonly restartStrategy?: RestartStrategyConfiguration;
  /** Checkpointing settings; absent when checkpointing is disabled. */
  readonly checkpoint?: import('../checkpoint/config/checkpoint-settings.js').CheckpointSettings;
}

/**
 * One task type: an operator chain, run as `parallelism` subtasks. All chained nodes share the
 * parallelism and slot sharing group of the head.
 */
export interface JobVertex {
  /** `"v<headNodeId>"`: stable for a given job module. */
  readonly id: string;
  /** Flink-style chain name: `"Map -> Filter"`, `"Source -> (Map, Filter)"` when the chain branches. */
  readonly name: string;
  readonly parallelism: number;
  /** Max parallelism of the head node (the number of key groups for its keyed state). */
  readonly maxParallelism: number;
  readonly slotSharingGroup: string;
  /** The head node is a source (the task polls a SourceReader instead of input gates). */
  readonly isSource: boolean;
  readonly headNodeId: number;
  /** The chain's nodes in topological order, head first. */
  readonly chainedNodes: ChainedNode[];
  /** Ids of the JobEdges feeding the head, ordered by input index, then StreamGraph edge order. */
  readonly inputs: string[];
  /** Ids of the JobEdges leaving any node of the chain, in StreamGraph edge order. */
  readonly outputs: string[];
}

/** One StreamGraph node inside a chain. */
export interface ChainedNode {
  readonly nodeId: number;
  readonly name: string;
  /** Operator uid: the user's `.uid()` or a generated one (see `computeOperatorUids`). */
  readonly uid: string;
  /** Whether {@link uid} was set by the user (generated uids change when the topology changes). */
  readonly userUid: boolean;
  readonly kind: 'source' | 'operator';
  readonly inputCount: 0 | 1 | 2;
  readonly maxParallelism: number;
  /** Edges to nodes in the same chain, called directly through an Output. */
  readonly chainedOutputs: ChainedOutput[];
  /** Ids of the JobEdges this node writes to (record writers). */
  readonly networkOutputs: string[];
}

/** A chained (in-task) StreamEdge. */
export interface ChainedOutput {
  readonly streamEdgeId: string;
  readonly targetNodeId: number;
  /** Set when the edge carries a side output (OutputTag id). */
  readonly sideOutputTag?: string;
}

/** How subtasks of the producer connect to subtasks of the consumer. */
export type DistributionPattern = 'POINTWISE' | 'ALL_TO_ALL';

/** A network edge between two vertices; exactly one StreamEdge. */
export interface JobEdge {
  /** Equal to {@link streamEdgeId} (unique in the graph). */
  readonly id: string;
  readonly streamEdgeId: string;
  readonly sourceVertexId: string;
  readonly targetVertexId: string;
  readonly sourceNodeId: number;
  /** Always the head node of the target vertex. */
  readonly targetNodeId: number;
  /** Which input of the target node this edge feeds. */
  readonly inputIndex: 0 | 1;
  /** The partitioner kind; the partitioner itself (key selector etc.) lives on the StreamEdge. */
  readonly partitioner: PartitionerKind;
  /** `forward` and `rescale` connect subtasks pointwise, all others all-to-all. */
  readonly pattern: DistributionPattern;
  readonly sideOutputTag?: string;
}

/** Looks a vertex up by id; throws when it is missing. */
export function getJobVertex(graph: JobGraph, vertexId: string): JobVertex {
  const v = graph.vertices.find((x) => x.id === vertexId);
  if (!v) throw new Error(`JobGraph ${graph.jobId}: no vertex ${vertexId}`);
  return v;
}

/** Looks an edge up by id; throws when it is missing. */
export function getJobEdge(graph: JobGraph, edgeId: string): JobEdge {
  const e = graph.edges.find((x) => x.id === edgeId);
  if (!e) throw new Error(`JobGraph ${graph.jobId}: no edge ${edgeId}`);
  return e;
}

/** The vertex whose chain contains a StreamGraph node; throws when none does. */
export function findVertexOfNode(graph: JobGraph, nodeId: number): JobVertex {
  const v = graph.vertices.find((x) => x.chainedNodes.some((n) => n.nodeId === nodeId));
  if (!v) throw new Error(`JobGraph ${graph.jobId}: no vertex contains node ${nodeId}`);
  return v;
}
