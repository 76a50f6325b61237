import { describe, it, expect } from 'vitest';
import type { TypeSerializer } from '@riffle/core';
import { StreamGraph, type ChainingStrategy, type PartitionerSpec, type StreamGraphConfig, type StreamNode } from './stream-graph.js';
import { createJobGraph, isChainable } from './streaming-job-graph-generator.js';
import { streamGraphFingerprint, assertSameStreamGraph } from './job-graph-fingerprint.js';
import { computeOperatorUids } from './operator-uid.js';

const stubSerializer: TypeSerializer<unknown> = {
  id: 'stub',
  serialize: () => undefined,
  deserialize: () => undefined,
  copy: (v) => v,
};

const forward: PartitionerSpec = { kind: 'forward' };
const rebalance: PartitionerSpec = { kind: 'rebalance' };
const hash: PartitionerSpec = { kind: 'hash', keySelector: { getKey: (x: unknown) => String(x) } };

/** Builds StreamGraphs by hand, with ids in construction order (as the API does). */
class GraphBuilder {
  readonly graph: StreamGraph;
  private nextId = 1;
  constructor(config: Partial<StreamGraphConfig> = {}) {
    this.graph = new StreamGraph({
      jobName: 'test-job',
      defaultParallelism: 2,
      maxParallelism: 128,
      runtimeMode: 'STREAMING',
      chainingEnabled: true,
      bufferTimeoutMs: 100,
      autoWatermarkIntervalMs: 200,
      params: { a: '1' },
      ...config,
    });
  }
  node(
    name: string,
    opts: { kind?: 'source' | 'operator'; inputCount?: 0 | 1 | 2; parallelism?: number; maxParallelism?: number; chaining?: ChainingStrategy; uid?: string; ssg?: string } = {},
  ): StreamNode {
    const kind = opts.kind ?? 'operator';
    return this.graph.addNode({
      id: this.nextId++,
      name,
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      kind,
      ...(kind === 'operator' ? { operatorFactory: () => ({}) as never } : {}),
      inputCount: opts.inputCount ?? (kind === 'source' ? 0 : 1),
      parallelism: opts.parallelism ?? 2,
      maxParallelism: opts.maxParallelism ?? 128,
      slotSharingGroup: opts.ssg ?? 'default',
      chainingStrategy: opts.chaining ?? 'ALWAYS',
      keySelectors: [],
      outputSerializer: stubSerializer,
      sideOutputSerializers: new Map(),
      properties: new Map(),
    });
  }
  source(name = 'Source', opts: Parameters<GraphBuilder['node']>[1] = {}): StreamNode {
    return this.node(name, { ...opts, kind: 'source', chaining: opts.chaining ?? 'HEAD' });
  }
  edge(from: StreamNode, to: StreamNode, partitioner: PartitionerSpec = forward, inputIndex: 0 | 1 = 0, sideOutputTag?: string): void {
    this.graph.addEdge({ sourceId: from.id, targetId: to.id, inputIndex, partitioner, ...(sideOutputTag ? { sideOutputTag } : {}) });
  }
}

/** source → map → filter → keyBy(hash) → reduce → sink */
function pipeline(opts: { filter?: ChainingStrategy; mapName?: string; sinkParallelism?: number; config?: Partial<StreamGraphConfig> } = {}): GraphBuilder {
  const b = new GraphBuilder(opts.config);
  const src = b.source('Source');
  const map = b.node(opts.mapName ?? 'Map');
  const filter = b.node('Filter', { chaining: opts.filter ?? 'ALWAYS' });
  const reduce = b.node('Reduce');
  const sink = b.node('Sink', { parallelism: opts.sinkParallelism ?? 2 });
  b.edge(src, map);
  b.edge(map, filter);
  b.edge(filter, reduce, hash);
  b.edge(reduce, sink, (opts.sinkParallelism ?? 2) === 2 ? forward : rebalance);
  return b;
}

describe('createJobGraph', () => {
  it('chains source -> map -> filter and reduce -> sink into exactly 2 vertices at equal parallelism', () => {
    const jg = createJobGraph(pipeline().graph, 'job-1');
    expect(jg.vertices.map((v) => v.name)).toEqual(['Source -> Map -> Filter', 'Reduce -> Sink']);
    const [first, second] = jg.vertices;
    expect(first!.isSource).toBe(true);
    expect(first!.chainedNodes.map((n) => n.nodeId)).toEqual([1, 2, 3]);
    expect(first!.chainedNodes[0]!.chainedOutputs).toEqual([{ streamEdgeId: '1->2#0', targetNodeId: 2 }]);
    expect(first!.chainedNodes[2]!.networkOutputs).toEqual(['3->4#0']);
    expect(second!.isSource).toBe(false);
    expect(second!.headNodeId).toBe(4);
    expect(jg.edges).toHaveLength(1);
    expect(jg.edges[0]).toMatchObject({
      sourceVertexId: first!.id,
      targetVertexId: second!.id,
      sourceNodeId: 3,
      targetNodeId: 4,
      partitioner: 'hash',
      pattern: 'ALL_TO_ALL',
      inputIndex: 0,
    });
    expect(first!.outputs).toEqual(['3->4#0']);
    expect(second!.inputs).toEqual(['3->4#0']);
    expect(jg.config).toMatchObject({ maxParallelism: 128, runtimeMode: 'STREAMING', bufferTimeoutMs: 100, autoWatermarkIntervalMs: 200, params: { a: '1' } });
  });

  it('is plain data that survives JSON and structuredClone unchanged', () => {
    const jg = createJobGraph(pipeline().graph, 'job-1');
    expect(JSON.parse(JSON.stringify(jg))).toEqual(jg);
    expect(structuredClone(jg)).toEqual(jg);
  });

  it('isolates a NEVER-chained filter into its own vertex (3 vertices)', () => {
    const jg = createJobGraph(pipeline({ filter: 'NEVER' }).graph, 'j');
    expect(jg.vertices.map((v) => v.name)).toEqual(['Source -> Map', 'Filter', 'Reduce -> Sink']);
    expect(jg.edges.map((e) => [e.streamEdgeId, e.pattern])).toEqual([
      ['2->3#0', 'POINTWISE'],
      ['3->4#0', 'ALL_TO_ALL'],
    ]);
  });

  it('starts a new chain at a HEAD filter (3 vertices) and chains its successors', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const map = b.node('Map');
    const filter = b.node('Filter', { chaining: 'HEAD' });
    const after = b.node('After');
    b.edge(src, map);
    b.edge(map, filter);
    b.edge(filter, after);
    const reduce = b.node('Reduce');
    b.edge(after, reduce, hash);
    const jg = createJobGraph(b.graph, 'j');
    expect(jg.vertices.map((v) => v.name)).toEqual(['Source -> Map', 'Filter -> After', 'Reduce']);
  });

  it('does not chain a NEVER node with its successor either', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const a = b.node('A', { chaining: 'NEVER' });
    const c = b.node('C');
    b.edge(src, a);
    b.edge(a, c);
    expect(createJobGraph(b.graph, 'j').vertices.map((v) => v.name)).toEqual(['Source', 'A', 'C']);
  });

  it('breaks the chain where the parallelism changes over a rebalance edge', () => {
    const jg = createJobGraph(pipeline({ sinkParallelism: 1 }).graph, 'j');
    expect(jg.vertices.map((v) => [v.name, v.parallelism])).toEqual([
      ['Source -> Map -> Filter', 2],
      ['Reduce', 2],
      ['Sink', 1],
    ]);
    expect(jg.edges.map((e) => e.partitioner)).toEqual(['hash', 'rebalance']);
  });

  it('chains forward side-output edges at equal parallelism into a branching chain', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const proc = b.node('Process');
    const main = b.node('MainSink');
    const late = b.node('LateSink');
    b.edge(src, proc);
    b.edge(proc, main);
    b.edge(proc, late, forward, 0, 'late');
    const jg = createJobGraph(b.graph, 'j');
    expect(jg.vertices).toHaveLength(1);
    expect(jg.vertices[0]!.name).toBe('Source -> Process -> (MainSink, LateSink)');
    expect(jg.vertices[0]!.chainedNodes[1]!.chainedOutputs).toEqual([
      { streamEdgeId: '2->3#0', targetNodeId: 3 },
      { streamEdgeId: '2->4#0', targetNodeId: 4, sideOutputTag: 'late' },
    ]);
    expect(jg.edges).toEqual([]);
  });

  it('carries a non-chained side output as a network edge with its tag', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const proc = b.node('Process');
    const late = b.node('LateSink', { parallelism: 1 });
    b.edge(src, proc);
    b.edge(proc, late, rebalance, 0, 'late');
    const jg = createJobGraph(b.graph, 'j');
    expect(jg.edges).toEqual([
      expect.objectContaining({ streamEdgeId: '2->3#0', sideOutputTag: 'late', sourceVertexId: 'v1', targetVertexId: 'v3' }),
    ]);
    expect(jg.vertices[0]!.chainedNodes[1]!.networkOutputs).toEqual(['2->3#0']);
  });

  it('does not chain a union (two forward edges into one input)', () => {
    const b = new GraphBuilder();
    const s1 = b.source('S1');
    const s2 = b.source('S2');
    const map = b.node('Map');
    b.edge(s1, map);
    b.edge(s2, map);
    const jg = createJobGraph(b.graph, 'j');
    expect(jg.vertices.map((v) => v.name)).toEqual(['S1', 'S2', 'Map']);
    expect(jg.vertices[2]!.inputs).toEqual(['1->3#0', '2->3#0']);
    expect(jg.edges.every((e) => e.inputIndex === 0 && e.pattern === 'POINTWISE')).toBe(true);
  });

  it('orders the inputs of a two-input vertex by input index', () => {
    const b = new GraphBuilder();
    const s1 = b.source('S1');
    const s2 = b.source('S2');
    const join = b.node('Join', { inputCount: 2 });
    b.edge(s2, join, hash, 1);
    b.edge(s1, join, hash, 0);
    const jg = createJobGraph(b.graph, 'j');
    expect(jg.vertices[2]!.inputs).toEqual(['1->3#0', '2->3#0']);
    expect(jg.edges.map((e) => [e.id, e.inputIndex])).toEqual([
      ['2->3#0', 1],
      ['1->3#0', 0],
    ]);
  });

  it('does not chain anything when chaining is disabled for the job', () => {
    const g = pipeline({ config: { chainingEnabled: false } }).graph;
    expect(g.edges.some((e) => isChainable(g, e))).toBe(false);
    expect(createJobGraph(g, 'j').vertices).toHaveLength(5);
  });

  it('does not chain across slot sharing groups', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const map = b.node('Map', { ssg: 'other' });
    b.edge(src, map);
    expect(createJobGraph(b.graph, 'j').vertices).toHaveLength(2);
  });

  it('names the chain with a source that is ALWAYS-chainable into its successor', () => {
    const b = new GraphBuilder();
    const src = b.source('Src', { chaining: 'ALWAYS' });
    const map = b.node('Map');
    b.edge(src, map);
    expect(createJobGraph(b.graph, 'j').vertices.map((v) => v.name)).toEqual(['Src -> Map']);
  });
});

describe('createJobGraph validation', () => {
  it('rejects a forward edge between different parallelisms, naming both nodes', () => {
    const b = new GraphBuilder();
    const src = b.source('Src', { parallelism: 2 });
    const map = b.node('Map', { parallelism: 3 });
    b.edge(src, map);
    expect(() => createJobGraph(b.graph, 'j')).toThrow(
      'Forward partitioning does not allow change of parallelism. Upstream node 1 Src has parallelism 2, downstream node 2 Map has parallelism 3. Use another partitioner such as rebalance().',
    );
  });

  it('rejects a parallelism above the max parallelism', () => {
    const b = new GraphBuilder();
    b.source('Src', { parallelism: 8, maxParallelism: 4 });
    expect(() => createJobGraph(b.graph, 'j')).toThrow(
      "Operator 'Src' has parallelism 8, which exceeds its max parallelism 4. Raise setMaxParallelism or lower the parallelism.",
    );
  });

  it('rejects a parallelism that is not a positive integer', () => {
    for (const p of [0, -1, 1.5, Number.NaN]) {
      const b = new GraphBuilder();
      b.source('Src', { parallelism: p });
      expect(() => createJobGraph(b.graph, 'j')).toThrow(`Operator 'Src' has parallelism ${p}; it must be an integer of at least 1`);
    }
  });

  it('rejects a max parallelism outside [1, 32768]', () => {
    for (const m of [0, 32769]) {
      const b = new GraphBuilder();
      b.source('Src', { parallelism: 1, maxParallelism: m });
      expect(() => createJobGraph(b.graph, 'j')).toThrow(`Operator 'Src' has max parallelism ${m}; it must be an integer in [1, 32768]`);
    }
  });

  it('rejects duplicate user uids, naming both operators', () => {
    const b = new GraphBuilder();
    const src = b.source('Src', { uid: 'same' });
    const map = b.node('Map', { uid: 'same' });
    b.edge(src, map);
    expect(() => createJobGraph(b.graph, 'j')).toThrow("Duplicate uid 'same' on operators 'Src' and 'Map'");
  });

  it('rejects a graph without sources', () => {
    const b = new GraphBuilder();
    b.node('Map');
    expect(() => createJobGraph(b.graph, 'j')).toThrow("Job 'test-job' has no sources");
  });

  it('rejects a two-input operator missing its second input', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const join = b.node('Join', { inputCount: 2 });
    b.edge(src, join, hash, 0);
    expect(() => createJobGraph(b.graph, 'j')).toThrow("Operator 'Join' (node 2) has no second input");
  });

  it('rejects an edge into an input the operator does not have', () => {
    const b = new GraphBuilder();
    const src = b.source();
    const map = b.node('Map');
    b.edge(src, map, rebalance, 1);
    expect(() => createJobGraph(b.graph, 'j')).toThrow("Operator 'Map' has 1 input(s) but edge 1->2#0 feeds input 1");
  });
});

describe('operator uids', () => {
  it('are identical for two separately built identical graphs and 32 hex chars', () => {
    const a = computeOperatorUids(pipeline().graph);
    const b = computeOperatorUids(pipeline().graph);
    expect([...a]).toEqual([...b]);
    for (const uid of a.values()) expect(uid).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(a.values()).size).toBe(5);
  });

  it('do not change when an operator is renamed or the chaining changes', () => {
    const base = computeOperatorUids(pipeline().graph);
    expect([...computeOperatorUids(pipeline({ mapName: 'Renamed' }).graph)]).toEqual([...base]);
    expect([...computeOperatorUids(pipeline({ filter: 'NEVER' }).graph)]).toEqual([...base]);
  });

  it('differ when the topology differs', () => {
    const base = computeOperatorUids(pipeline().graph);
    const b = new GraphBuilder();
    const src = b.source('Source');
    const map = b.node('Map');
    const extra = b.node('Extra');
    const filter = b.node('Filter');
    b.edge(src, map);
    b.edge(map, extra);
    b.edge(extra, filter);
    const other = computeOperatorUids(b.graph);
    // Upstream of the inserted operator nothing changes; the Filter, now one step further down, changes.
    expect(other.get(1)).toBe(base.get(1));
    expect(other.get(2)).toBe(base.get(2));
    expect(other.get(4)).not.toBe(base.get(3));
  });

  it('change for an operator that gains an output', () => {
    const base = computeOperatorUids(pipeline().graph);
    const b = pipeline();
    const extraSink = b.node('ExtraSink');
    b.edge(b.graph.getNode(2), extraSink);
    expect(computeOperatorUids(b.graph).get(2)).not.toBe(base.get(2));
  });

  it('use the user uid as set and feed it into downstream hashes', () => {
    const withUid = (uid: string): Map<number, string> => {
      const b = new GraphBuilder();
      const src = b.source('Source', { uid });
      const map = b.node('Map');
      b.edge(src, map);
      return computeOperatorUids(b.graph);
    };
    expect(withUid('kafka-in').get(1)).toBe('kafka-in');
    expect(withUid('kafka-in').get(2)).not.toBe(withUid('file-in').get(2));
    const jg = (() => {
      const b = new GraphBuilder();
      const src = b.source('Source', { uid: 'kafka-in' });
      const map = b.node('Map');
      b.edge(src, map);
      return createJobGraph(b.graph, 'j');
    })();
    expect(jg.vertices[0]!.chainedNodes.map((n) => [n.uid === 'kafka-in', n.userUid])).toEqual([
      [true, true],
      [false, false],
    ]);
  });
});

describe('fingerprint', () => {
  it('is equal for identical graphs and differs when a parallelism changes', () => {
    const a = streamGraphFingerprint(pipeline().graph);
    expect(streamGraphFingerprint(pipeline().graph)).toBe(a);
    expect(streamGraphFingerprint(pipeline({ sinkParallelism: 1 }).graph)).not.toBe(a);
    const g = pipeline().graph;
    g.getNode(4).parallelism = 3;
    expect(streamGraphFingerprint(g)).not.toBe(a);
  });

  it('is carried by the JobGraph and checked against a rebuilt graph', () => {
    const jg = createJobGraph(pipeline().graph, 'j');
    expect(jg.fingerprint).toBe(streamGraphFingerprint(pipeline().graph));
    expect(() => assertSameStreamGraph(jg, pipeline().graph)).not.toThrow();
    expect(() => assertSameStreamGraph(jg, pipeline({ mapName: 'Other' }).graph)).toThrow(/built a different StreamGraph/);
  });
});
