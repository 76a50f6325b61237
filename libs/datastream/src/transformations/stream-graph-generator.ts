import { DEFAULT_MAX_PARALLELISM, UPPER_BOUND_MAX_PARALLELISM, dynamicSerializer, type OutputTag } from '@riffle/core';
import { StreamGraph, type PartitionerSpec, type StreamGraphConfig, type StreamNode } from '@riffle/runtime';
import {
  OneInputTransformation,
  PartitionTransformation,
  SideOutputTransformation,
  SourceTransformation,
  TwoInputTransformation,
  UnionTransformation,
  type Transformation,
} from './transformation.js';

/** What the generator needs from the environment, besides the transformations. */
export interface StreamGraphSettings extends Omit<StreamGraphConfig, 'maxParallelism'> {
  /** The max parallelism the user set on the environment; derived per operator when undefined. */
  readonly maxParallelism: number | undefined;
}

/** The slot sharing group of operators that set none and whose inputs disagree (Flink's "default"). */
export const DEFAULT_SLOT_SHARING_GROUP = 'default';

/** One physical input of an edge, reached through any virtual transformations. */
interface ResolvedInput {
  readonly source: Transformation<any>;
  readonly partitioner?: PartitionerSpec;
  readonly tag?: OutputTag<any>;
}

/**
 * Translates the transformation tree into a StreamGraph (Flink's `StreamGraphGenerator`).
 *
 * - Nodes: one per physical transformation reachable from `transformations`, numbered 1..n in
 *   transformation-id (construction) order, so the same job module yields the same ids anywhere.
 * - Edges: one per physical input, in input order. The partitioner is the one set with
 *   `keyBy`/`rebalance`/… (the outermost wins); otherwise `forward` when both sides have the same
 *   parallelism and `rebalance` when they differ (Flink's rule), decided here because parallelism
 *   may be set after the edge was declared. An explicit `forward` across different parallelisms
 *   is an error.
 * - Slot sharing group: the one set on the operator, else its inputs' common group, else
 *   `"default"`.
 * - Max parallelism: the operator's, else the environment's, else Flink's default
 *   (`max(128, nextPowerOfTwo(1.5 × parallelism))`, at most 32768).
 *
 * Throws a user-facing error for a job without operators, duplicate collect-sink ids, and an
 * unbounded source in BATCH mode. Pure: builds nothing else and starts nothing.
 */
export function generateStreamGraph(transformations: ReadonlyArray<Transformation<any>>, settings: StreamGraphSettings): StreamGraph {
  if (transformations.length === 0) {
    throw new Error('No operators defined in streaming topology. Cannot execute: add a sink (print(), sinkTo(), addCollectSink()) first.');
  }
  const physical = collectPhysical(transformations);
  const graph = new StreamGraph({ ...settings, maxParallelism: settings.maxParallelism ?? DEFAULT_MAX_PARALLELISM, params: { ...settings.params } });
  const nodeIds = new Map<number, number>();
  physical.forEach((t, i) => nodeIds.set(t.id, i + 1));
  const collectIds = new Set<string>();

  for (const t of physical) {
    const nodeId = nodeIds.get(t.id)!;
    const parallelism = t.parallelism ?? settings.defaultParallelism;
    const inputs = t.getInputs().map((input) => resolve(input));
    const node: StreamNode = {
      id: nodeId,
      name: t.name,
      uid: t.uid,
      kind: t instanceof SourceTransformation ? 'source' : 'operator',
      source: t instanceof SourceTransformation ? t.source : undefined,
      operatorFactory: t instanceof OneInputTransformation || t instanceof TwoInputTransformation ? t.operatorFactory : undefined,
      inputCount: t.getInputs().length as 0 | 1 | 2,
      parallelism,
      maxParallelism: t.maxParallelism ?? settings.maxParallelism ?? defaultMaxParallelism(parallelism),
      slotSharingGroup: t.slotSharingGroup ?? inheritedSlotSharingGroup(graph, inputs.flat(), nodeIds),
      chainingStrategy: t.chainingStrategy,
      keySelectors: keySelectorsOf(t),
      outputSerializer: t.outputSerializer ?? dynamicSerializer(),
      sideOutputSerializers: new Map(),
      properties: new Map(),
    };
    if (t instanceof SourceTransformation) {
      if (settings.runtimeMode === 'BATCH' && t.source.getBoundedness() !== 'BOUNDED') {
        throw new Error(`Source '${t.name}' is unbounded, but the job runs in BATCH mode: use STREAMING mode or a bounded source`);
      }
      node.properties.set('watermarkStrategy', t.watermarkStrategy);
    }
    if (t instanceof OneInputTransformation) {
      for (const [key, value] of t.properties) node.properties.set(key, value);
      const collectId = t.properties.get('collectId');
      if (typeof collectId === 'string') {
        if (collectIds.has(collectId)) throw new Error(`Two collect sinks use the id '${collectId}': collect-sink ids must be unique in a job`);
        collectIds.add(collectId);
      }
    }
    graph.addNode(node);

    inputs.forEach((resolved, inputIndex) => {
      for (const input of resolved) {
        const sourceNode = graph.getNode(nodeIds.get(input.source.id)!);
        if (input.tag) sourceNode.sideOutputSerializers.set(input.tag.id, input.tag.serializer ?? dynamicSerializer());
        graph.addEdge({
          sourceId: sourceNode.id,
          targetId: nodeId,
          inputIndex: inputIndex as 0 | 1,
          partitioner: choosePartitioner(input.partitioner, sourceNode, node),
          sideOutputTag: input.tag?.id,
        });
      }
    });
  }
  return graph;
}

/** Every physical transformation reachable from `roots`, sorted by id (inputs always have smaller ids). */
function collectPhysical(roots: ReadonlyArray<Transformation<any>>): Transformation<any>[] {
  const seen = new Map<number, Transformation<any>>();
  const stack = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t.id)) continue;
    seen.set(t.id, t);
    stack.push(...t.getInputs());
  }
  return [...seen.values()].filter((t) => t.physical).sort((a, b) => a.id - b.id);
}

/** Follows virtual transformations down to the physical ones feeding an input. */
function resolve(t: Transformation<any>): ResolvedInput[] {
  if (t.physical) return [{ source: t }];
  if (t instanceof PartitionTransformation) {
    return resolve(t.input).map((r) => ({ ...r, partitioner: t.partitioner }));
  }
  if (t instanceof UnionTransformation) return t.inputs.flatMap((input) => resolve(input));
  if (t instanceof SideOutputTransformation) return resolve(t.input).map((r) => ({ ...r, tag: t.tag }));
  throw new Error(`StreamGraphGenerator: unknown transformation ${t.name}`);
}

function choosePartitioner(explicit: PartitionerSpec | undefined, source: StreamNode, target: StreamNode): PartitionerSpec {
  if (!explicit) return source.parallelism === target.parallelism ? FORWARD : REBALANCE;
  if (explicit.kind === 'forward' && source.parallelism !== target.parallelism) {
    throw new Error(
      `Forward partitioning does not allow change of parallelism. Upstream operator '${source.name}' has parallelism ` +
        `${source.parallelism}, downstream operator '${target.name}' has parallelism ${target.parallelism}. ` +
        `Use another partitioner such as rebalance().`,
    );
  }
  return explicit;
}

const FORWARD: PartitionerSpec = { kind: 'forward' };
const REBALANCE: PartitionerSpec = { kind: 'rebalance' };

function inheritedSlotSharingGroup(graph: StreamGraph, inputs: ResolvedInput[], nodeIds: Map<number, number>): string {
  let group: string | undefined;
  for (const input of inputs) {
    const candidate = graph.getNode(nodeIds.get(input.source.id)!).slotSharingGroup;
    if (group === undefined) group = candidate;
    else if (group !== candidate) return DEFAULT_SLOT_SHARING_GROUP;
  }
  return group ?? DEFAULT_SLOT_SHARING_GROUP;
}

function keySelectorsOf(t: Transformation<any>): StreamNode['keySelectors'] {
  if (t instanceof OneInputTransformation) return [t.keySelector];
  if (t instanceof TwoInputTransformation) return [t.keySelector1, t.keySelector2];
  return [];
}

/** Flink's default max parallelism for an operator of `parallelism`. */
export function defaultMaxParallelism(parallelism: number): number {
  const target = parallelism + Math.floor(parallelism / 2);
  let power = 1;
  while (power < target) power *= 2;
  return Math.min(Math.max(power, DEFAULT_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}
