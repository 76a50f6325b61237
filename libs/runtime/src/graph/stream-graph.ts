import type { KeySelector, Partitioner, Source, StreamOperatorFactory, TypeSerializer } from '@riffle/core';
import type { RestartStrategyConfiguration } from '../restart/restart-strategies.js';

/**
 * The StreamGraph: what the user APIs build and the runtime executes. Nodes are operators (or
 * sources), edges say how records move between them. It holds functions and objects, so it never
 * crosses a thread or process: each worker rebuilds it by running the same job module, and the
 * plain-data JobGraph refers to its nodes and edges by id. Ids are assigned in construction order,
 * so a deterministic job module yields the same ids everywhere.
 */

/** The node property holding the Sink V2 of a `sinkTo` node (the JobMaster runs its `validate()` at submission). */
export const SINK_PROPERTY = 'sinkV2';

/** How records of an edge are distributed over the target's subtasks. */
export type PartitionerSpec =
  | { readonly kind: 'forward' }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'rescale' }
  | { readonly kind: 'shuffle' }
  | { readonly kind: 'broadcast' }
  | { readonly kind: 'global' }
  | { readonly kind: 'hash'; readonly keySelector: KeySelector<any, any> }
  | { readonly kind: 'custom'; readonly partitioner: Partitioner<any>; readonly keySelector: KeySelector<any, any> };

export type PartitionerKind = PartitionerSpec['kind'];

/** Flink's chaining strategies: ALWAYS chains with predecessor and successors, HEAD starts a new chain, NEVER isolates. */
export type ChainingStrategy = 'ALWAYS' | 'HEAD' | 'NEVER';

export type RuntimeExecutionMode = 'STREAMING' | 'BATCH';

export interface StreamNode {
  readonly id: number;
  name: string;
  /** The user-set uid (`.uid()`); state is matched by it across job versions. */
  uid?: string;
  /** `source` nodes read a {@link Source}; all others run an operator made by `operatorFactory`. */
  readonly kind: 'source' | 'operator';
  readonly source?: Source<any, any, any>;
  readonly operatorFactory?: StreamOperatorFactory<any>;
  /** Number of inputs of the operator: 0 for sources, 1 or 2. */
  readonly inputCount: 0 | 1 | 2;
  parallelism: number;
  maxParallelism: number;
  slotSharingGroup: string;
  chainingStrategy: ChainingStrategy;
  /** Key selectors of keyed inputs (index 0: first input, 1: second). */
  keySelectors: Array<KeySelector<any, any> | undefined>;
  /** Serializer of the main output's records. */
  outputSerializer: TypeSerializer<any>;
  /** Serializers of side outputs, by OutputTag id. */
  sideOutputSerializers: Map<string, TypeSerializer<any>>;
  /** Free-form properties for later layers (watermark strategy, resources). */
  properties: Map<string, unknown>;
}

export interface StreamEdge {
  /** `"<source>-><target>#<n>"`, unique in the graph. */
  readonly id: string;
  readonly sourceId: number;
  readonly targetId: number;
  /** Which input of the target this edge feeds (0 or 1). */
  readonly inputIndex: 0 | 1;
  readonly partitioner: PartitionerSpec;
  /** When set, the edge carries the source node's side output with this OutputTag id. */
  readonly sideOutputTag?: string;
}

export interface StreamGraphConfig {
  jobName: string;
  defaultParallelism: number;
  maxParallelism: number;
  runtimeMode: RuntimeExecutionMode;
  /** Operator chaining on/off for the whole job (`env.disableOperatorChaining()`). */
  chainingEnabled: boolean;
  /** Max time a partly filled network buffer waits before it is sent (Flink's buffer timeout), ms. */
  bufferTimeoutMs: number;
  /** Interval of periodic watermark emission, ms. */
  autoWatermarkIntervalMs: number;
  /** Job parameters (the arguments after `--`), for the job module to read. */
  params: Record<string, string>;
  /**
   * The restart strategy set with `env.setRestartStrategy()`; absent when unset, in which case the
   * runtime applies the default (`resolveRestartStrategy`: none without checkpointing).
   */
  restartStrategy?: RestartStrategyConfiguration;
  /** Checkpointing (`env.enableCheckpointing()`); absent when disabled. */
  checkpoint?: import('../checkpoint/config/checkpoint-settings.js').CheckpointSettings;
}

export class StreamGraph {
  readonly nodes = new Map<number, StreamNode>();
  readonly edges: StreamEdge[] = [];

  constructor(readonly config: StreamGraphConfig) {}

  addNode(node: StreamNode): StreamNode {
    if (this.nodes.has(node.id)) throw new Error(`StreamGraph: duplicate node id ${node.id}`);
    this.nodes.set(node.id, node);
    return node;
  }

  addEdge(edge: Omit<StreamEdge, 'id'>): StreamEdge {
    const n = this.edges.filter((e) => e.sourceId === edge.sourceId && e.targetId === edge.targetId).length;
    const full: StreamEdge = { ...edge, id: `${edge.sourceId}->${edge.targetId}#${n}` };
    this.edges.push(full);
    return full;
  }

  getNode(id: number): StreamNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`StreamGraph: no node ${id}`);
    return node;
  }

  getEdge(id: string): StreamEdge {
    const edge = this.edges.find((e) => e.id === id);
    if (!edge) throw new Error(`StreamGraph: no edge ${id}`);
    return edge;
  }

  inEdges(nodeId: number): StreamEdge[] {
    return this.edges.filter((e) => e.targetId === nodeId);
  }

  outEdges(nodeId: number): StreamEdge[] {
    return this.edges.filter((e) => e.sourceId === nodeId);
  }

  sourceNodes(): StreamNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === 'source');
  }

  /** Node ids in a topological order (sources first); throws on a cycle. */
  topologicalOrder(): number[] {
    const indegree = new Map<number, number>();
    for (const id of this.nodes.keys()) indegree.set(id, 0);
    for (const e of this.edges) indegree.set(e.targetId, (indegree.get(e.targetId) ?? 0) + 1);
    const ready = [...indegree].filter(([, d]) => d === 0).map(([id]) => id).sort((a, b) => a - b);
    const order: number[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      order.push(id);
      for (const e of this.outEdges(id)) {
        const d = indegree.get(e.targetId)! - 1;
        indegree.set(e.targetId, d);
        if (d === 0) ready.push(e.targetId);
      }
    }
    if (order.length !== this.nodes.size) throw new Error('StreamGraph: the graph has a cycle');
    return order;
  }
}
