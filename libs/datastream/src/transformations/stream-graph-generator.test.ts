import { describe, expect, it } from 'vitest';
import { OutputTag, Types, type ProcessContext, type Collector } from '@riffle/core';
import { NumberSequenceSource, type StreamGraph } from '@riffle/runtime';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';

function env(parallelism = 4): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///test-job.ts', params: { answer: '42' }, parallelism });
}

function shape(graph: StreamGraph) {
  return {
    nodes: [...graph.nodes.values()].map((n) => ({ id: n.id, name: n.name, kind: n.kind, parallelism: n.parallelism, inputs: n.inputCount })),
    edges: graph.edges.map((e) => ({ id: e.id, partitioner: e.partitioner.kind, input: e.inputIndex, side: e.sideOutputTag })),
  };
}

describe('StreamGraph generation', () => {
  it('builds a linear pipeline with forward edges between equal parallelisms', () => {
    const e = env(2);
    e.fromSequence(1, 10).map((x) => x * 2).filter((x) => x > 4).print();
    const graph = e.getStreamGraph('linear');
    expect(shape(graph)).toEqual({
      nodes: [
        { id: 1, name: 'Sequence Source', kind: 'source', parallelism: 2, inputs: 0 },
        { id: 2, name: 'Map', kind: 'operator', parallelism: 2, inputs: 1 },
        { id: 3, name: 'Filter', kind: 'operator', parallelism: 2, inputs: 1 },
        { id: 4, name: 'Print to Std. Out', kind: 'operator', parallelism: 2, inputs: 1 },
      ],
      edges: [
        { id: '1->2#0', partitioner: 'forward', input: 0, side: undefined },
        { id: '2->3#0', partitioner: 'forward', input: 0, side: undefined },
        { id: '3->4#0', partitioner: 'forward', input: 0, side: undefined },
      ],
    });
    expect(graph.config).toMatchObject({
      jobName: 'linear',
      defaultParallelism: 2,
      maxParallelism: 128,
      runtimeMode: 'STREAMING',
      chainingEnabled: true,
      bufferTimeoutMs: 100,
      autoWatermarkIntervalMs: 200,
      params: { answer: '42' },
    });
  });

  it('chooses rebalance when parallelism differs, decided when the graph is generated', () => {
    const e = env(4);
    const mapped = e.fromElements(1, 2, 3).map((x) => x + 1);
    mapped.print();
    // Parallelism of the map set after its output edge was declared.
    mapped.setParallelism(1);
    const graph = e.getStreamGraph();
    expect(graph.edges.map((x) => [x.id, x.partitioner.kind])).toEqual([
      ['1->2#0', 'forward'], // fromElements has parallelism 1, map now too
      ['2->3#0', 'rebalance'], // map 1 -> print 4
    ]);
  });

  it('puts a hash partitioner on keyBy edges and the key selector on the keyed operator', () => {
    const e = env(3);
    const key = (t: [string, number]) => t[0];
    e.fromElements<[string, number]>(['a', 1], ['b', 2]).keyBy(key).sum(1).print();
    const graph = e.getStreamGraph();
    const [toSum, toPrint] = graph.edges;
    expect(toSum!.partitioner.kind).toBe('hash');
    expect(toSum!.partitioner.kind === 'hash' && toSum!.partitioner.keySelector.getKey(['k', 0])).toBe('k');
    const sum = graph.getNode(toSum!.targetId);
    expect(sum.name).toBe('Keyed Aggregation');
    expect(sum.keySelectors).toHaveLength(1);
    expect(sum.keySelectors[0]!.getKey(['x', 1])).toBe('x');
    expect(toPrint!.partitioner.kind).toBe('forward');
    expect(graph.getNode(toPrint!.targetId).keySelectors).toEqual([undefined]);
  });

  it('uses the outermost explicit partitioner and rejects forward across parallelisms', () => {
    const e = env(2);
    e.fromSequence(1, 5).rebalance().shuffle().map((x) => x).print();
    expect(e.getStreamGraph().edges[0]!.partitioner.kind).toBe('shuffle');

    const bad = env(2);
    bad.fromSequence(1, 5).forward().map((x) => x).setParallelism(3).print();
    expect(() => bad.getStreamGraph()).toThrow(/Forward partitioning does not allow change of parallelism/);
  });

  it('maps every partitioning method to its partitioner', () => {
    const e = env(2);
    const s = e.fromSequence(1, 5);
    s.rebalance().print();
    s.rescale().print();
    s.shuffle().print();
    s.broadcast().print();
    s.global().print();
    s.forward().print();
    s.partitionCustom((k: number, n) => k % n, (x) => x).print();
    const kinds = e.getStreamGraph().edges.map((x) => x.partitioner.kind);
    expect(kinds).toEqual(['rebalance', 'rescale', 'shuffle', 'broadcast', 'global', 'forward', 'custom']);
    const custom = e.getStreamGraph().edges[6]!.partitioner;
    expect(custom.kind === 'custom' && custom.partitioner.partition(5, 2)).toBe(1);
  });

  it('turns a union into one edge per input, each with its own partitioner', () => {
    const e = env(2);
    const a = e.fromSequence(1, 3);
    const b = e.fromElements(10, 20);
    const c = e.fromSequence(100, 103).rebalance();
    a.union(b, c).map((x) => x).print();
    const graph = e.getStreamGraph();
    const map = [...graph.nodes.values()].find((n) => n.name === 'Map')!;
    expect(graph.inEdges(map.id).map((x) => [x.sourceId, x.partitioner.kind, x.inputIndex])).toEqual([
      [1, 'forward', 0],
      [2, 'rebalance', 0], // fromElements: parallelism 1 -> 2
      [3, 'rebalance', 0],
    ]);
  });

  it('feeds connected streams into inputs 0 and 1, with key selectors when keyed', () => {
    const e = env(2);
    const words = e.fromElements('a', 'b');
    const counts = e.fromElements<[string, number]>(['a', 1]);
    words
      .connect(counts)
      .keyBy((w) => w, (c) => c[0])
      .process({
        processElement1(v: string, _ctx: ProcessContext, out: Collector<string>) {
          out.collect(v);
        },
        processElement2(v: [string, number], _ctx: ProcessContext, out: Collector<string>) {
          out.collect(v[0]);
        },
      })
      .print();
    const graph = e.getStreamGraph();
    const co = graph.getNode(3);
    expect(co.name).toBe('KeyedCoProcess');
    expect(co.inputCount).toBe(2);
    expect(graph.inEdges(3).map((x) => [x.sourceId, x.inputIndex, x.partitioner.kind])).toEqual([
      [1, 0, 'hash'],
      [2, 1, 'hash'],
    ]);
    expect(co.keySelectors.map((k) => k!.getKey(['z', 1]))).toEqual([['z', 1], 'z']);
  });

  it('creates side-output edges carrying the tag id and registers the side output serializer', () => {
    const e = env(1);
    const late = new OutputTag<string>('late', Types.STRING.createSerializer());
    const main = e.fromElements(1, 2, 3).process((v: number, ctx, out: Collector<number>) => {
      if (v > 2) ctx.output(late, `late ${v}`);
      else out.collect(v);
    });
    main.print();
    main.getSideOutput(late).map((s) => s.length).print();
    const graph = e.getStreamGraph();
    const sideEdge = graph.edges.find((x) => x.sideOutputTag !== undefined)!;
    expect(sideEdge).toMatchObject({ sourceId: 2, sideOutputTag: 'late', partitioner: { kind: 'forward' } });
    expect(graph.getNode(sideEdge.targetId).name).toBe('Map');
    expect(graph.getNode(2).sideOutputSerializers.get('late')!.id).toBe(Types.STRING.createSerializer().id);
  });

  it('propagates names, uids, parallelism, max parallelism, slot sharing groups, chaining and serializers', () => {
    const e = env(4);
    e.setMaxParallelism(256);
    e.fromSequence(1, 100)
      .name('numbers')
      .uid('numbers-uid')
      .setParallelism(2)
      .map((x) => String(x))
      .name('to string')
      .uid('to-string')
      .setParallelism(3)
      .setMaxParallelism(64)
      .slotSharingGroup('strings')
      .startNewChain()
      .returns(Types.STRING)
      .filter((s) => s !== '')
      .disableChaining()
      .print()
      .name('out')
      .uid('out-uid')
      .setParallelism(1);
    const nodes = [...e.getStreamGraph().nodes.values()];
    expect(nodes.map((n) => [n.name, n.uid, n.parallelism, n.maxParallelism, n.slotSharingGroup, n.chainingStrategy])).toEqual([
      ['numbers', 'numbers-uid', 2, 256, 'default', 'HEAD'],
      ['to string', 'to-string', 3, 64, 'strings', 'HEAD'],
      ['Filter', undefined, 4, 256, 'strings', 'NEVER'], // inherits the input's group
      ['out', 'out-uid', 1, 256, 'strings', 'ALWAYS'],
    ]);
    expect(nodes[1]!.outputSerializer.id).toBe(Types.STRING.createSerializer().id);
    expect(nodes[0]!.outputSerializer.id).toBe('dynamic');
  });

  it('falls back to the default slot sharing group when inputs disagree', () => {
    const e = env(1);
    const a = e.fromElements(1).slotSharingGroup('a');
    const b = e.fromElements(2).slotSharingGroup('b');
    a.union(b).print();
    a.union(a).print();
    const nodes = [...e.getStreamGraph().nodes.values()];
    expect(nodes.map((n) => n.slotSharingGroup)).toEqual(['a', 'b', 'default', 'a']);
  });

  it('derives the max parallelism from a large parallelism when none is set', () => {
    const e = env(200);
    e.fromSequence(1, 1000).print();
    expect([...e.getStreamGraph().nodes.values()].map((n) => n.maxParallelism)).toEqual([512, 512]);
  });

  it('stores the watermark strategy and the collect-sink id as node properties', () => {
    const e = env(1);
    const strategy = { kind: 'bounded-out-of-orderness', maxMs: 5 };
    e.fromSource(new NumberSequenceSource<number>(1, 2), strategy, 'custom source').addCollectSink('out');
    const graph = e.getStreamGraph();
    const source = [...graph.nodes.values()].find((n) => n.name === 'custom source')!;
    expect(source.properties.get('watermarkStrategy')).toBe(strategy);
    const sink = graph.getNode(graph.outEdges(source.id)[0]!.targetId);
    expect(sink.properties.get('collectId')).toBe('out');
  });

  it('applies environment settings: chaining, buffer timeout, watermark interval, runtime mode', () => {
    const e = env(1).disableOperatorChaining().setBufferTimeout(5).setRuntimeMode('BATCH');
    e.getConfig().setAutoWatermarkInterval(50);
    e.fromElements(1).print();
    expect(e.getStreamGraph().config).toMatchObject({ chainingEnabled: false, bufferTimeoutMs: 5, autoWatermarkIntervalMs: 50, runtimeMode: 'BATCH' });
  });

  it('reports build errors clearly', () => {
    const e = env(2);
    expect(() => e.getStreamGraph()).toThrow(/No operators defined/);
    expect(() => e.fromElements(1).setParallelism(2)).toThrow(/non parallel source 'Collection Source' must be 1/);
    expect(() => e.fromSequence(1, 2).map(42 as never)).toThrow(/map\(\): expected a function or an object with a 'map' method/);
    expect(() => e.fromSequence(1, 2).setParallelism(0)).toThrow(/positive integer/);
    const twice = env(1);
    const s = twice.fromElements(1);
    s.addCollectSink('x');
    s.addCollectSink('x');
    expect(() => twice.getStreamGraph()).toThrow(/Two collect sinks use the id 'x'/);
  });

  it('builds identical graphs from the same program (node ids, edges, names)', () => {
    const build = () => {
      const e = env(2);
      const tag = new OutputTag<number>('odd');
      const source = e.fromSequence(1, 100);
      const split = source.process((v: number, ctx, out: Collector<number>) => (v % 2 ? ctx.output(tag, v) : out.collect(v)));
      split.keyBy((v) => v % 10).reduce((a, b) => a + b).print('even');
      split.getSideOutput(tag).union(e.fromElements(0)).rebalance().map((v) => v * 2).addCollectSink('odd');
      return e.getStreamGraph('det');
    };
    const a = build();
    const b = build();
    expect(shape(a)).toEqual(shape(b));
    expect([...a.nodes.values()].map((n) => [n.id, n.name, n.slotSharingGroup, n.chainingStrategy])).toEqual(
      [...b.nodes.values()].map((n) => [n.id, n.name, n.slotSharingGroup, n.chainingStrategy]),
    );
    expect([...a.nodes.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('clears the transformations after execute so the environment can build the next job', async () => {
    const graphs: StreamGraph[] = [];
    const e = new StreamExecutionEnvironment({
      jobModule: 'file:///x.ts',
      params: {},
      parallelism: 1,
      executor: {
        async execute(graph) {
          graphs.push(graph);
          return {
            getJobID: () => 'job-1',
            getJobStatus: async () => 'FINISHED' as const,
            cancel: async () => {},
            triggerSavepoint: async () => '',
            stopWithSavepoint: async () => '',
            getCheckpointStats: async () => [],
            getJobExecutionResult: async () => ({ jobId: 'job-1', jobName: graph.config.jobName, netRuntimeMs: 0, getCollected: () => [], getMetrics: () => ({}) }),
          };
        },
      },
    });
    e.fromElements(1).print();
    await e.execute('first');
    e.fromElements(2).map((x) => x).print();
    await e.execute('second');
    expect(graphs.map((g) => [g.config.jobName, g.nodes.size])).toEqual([
      ['first', 2],
      ['second', 3],
    ]);
    expect(e.hasExecuted()).toBe(true);
  });
});
