import { describe, expect, it } from 'vitest';
import type { Collector } from '@riffle/core';
import { MapStateDescriptor } from '@riffle/state';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { BroadcastConnectedStream } from './broadcast-connected-stream.js';
import { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from './broadcast-process-function.js';
import { BroadcastStream } from './broadcast-stream.js';
import { CoBroadcastWithKeyedOperator } from './co-broadcast-with-keyed-operator.js';
import { CoBroadcastWithNonKeyedOperator } from './co-broadcast-with-non-keyed-operator.js';

const RULES = new MapStateDescriptor<string, number>('rules');

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 2 });
}

class Plain extends BroadcastProcessFunction<number, string, string> {
  processElement(v: number, _ctx: unknown, out: Collector<string>): void {
    out.collect(String(v));
  }
  processBroadcastElement(): void {}
}

class Keyed extends KeyedBroadcastProcessFunction<number, number, string, string> {
  processElement(v: number, _ctx: unknown, out: Collector<string>): void {
    out.collect(String(v));
  }
  processBroadcastElement(): void {}
}

describe('broadcast(descriptors) and connect(broadcastStream)', () => {
  it('broadcast() without descriptors is still the broadcast partitioner; with descriptors it is a BroadcastStream', () => {
    const e = env();
    expect(e.fromElements('a').broadcast()).not.toBeInstanceOf(BroadcastStream);
    const b = e.fromElements('a').broadcast(RULES);
    expect(b).toBeInstanceOf(BroadcastStream);
    expect(b.getBroadcastStateDescriptors()).toEqual([RULES]);
    expect(() => e.fromElements('a').broadcast({} as MapStateDescriptor<string, number>)).toThrow(/MapStateDescriptor/);
  });

  it('wires the broadcast side with the broadcast partitioner into input 2 of a non-keyed broadcast operator', () => {
    const e = env();
    const rules = e.fromElements('r').broadcast(RULES);
    const connected = e.fromSequence(1, 10).connect(rules);
    expect(connected).toBeInstanceOf(BroadcastConnectedStream);
    connected.process(new Plain()).name('Evaluate').addCollectSink('out');
    const graph = e.getStreamGraph();
    const node = [...graph.nodes.values()].find((n) => n.name === 'Evaluate')!;
    const edges = graph.inEdges(node.id);
    expect(edges.find((edge) => edge.inputIndex === 1)!.partitioner).toEqual({ kind: 'broadcast' });
    expect(edges.find((edge) => edge.inputIndex === 0)!.partitioner.kind).not.toBe('broadcast');
    expect(node.keySelectors).toEqual([undefined, undefined]);
    expect(node.operatorFactory!()).toBeInstanceOf(CoBroadcastWithNonKeyedOperator);
  });

  it('uses the keyed broadcast operator with the first input’s key selector after keyBy', () => {
    const e = env();
    e.fromSequence(1, 10)
      .keyBy((x: number) => x % 3)
      .connect(e.fromElements('r').broadcast(RULES))
      .process(new Keyed())
      .name('Evaluate')
      .addCollectSink('out');
    const graph = e.getStreamGraph();
    const node = [...graph.nodes.values()].find((n) => n.name === 'Evaluate')!;
    expect(node.keySelectors[0]!.getKey(7)).toBe(1);
    expect(node.keySelectors[1]).toBeUndefined();
    expect(graph.inEdges(node.id).find((edge) => edge.inputIndex === 0)!.partitioner.kind).toBe('hash');
    expect(node.operatorFactory!()).toBeInstanceOf(CoBroadcastWithKeyedOperator);
  });

  it('rejects a function of the wrong kind for the input, and objects without the methods', () => {
    const e = env();
    const rules = e.fromElements('r').broadcast(RULES);
    expect(() => e.fromSequence(1, 2).connect(rules).process(new Keyed())).toThrow(/KeyedBroadcastProcessFunction can only be used on a keyed stream/);
    expect(() => e.fromSequence(1, 2).keyBy((x: number) => x).connect(rules).process(new Plain())).toThrow(/BroadcastProcessFunction can only be used on a non-keyed stream/);
    expect(() => e.fromSequence(1, 2).connect(rules).process({ processElement() {} } as never)).toThrow(/processBroadcastElement/);
  });

  it('refuses a broadcast stream of another environment', () => {
    const rules = env().fromElements('r').broadcast(RULES);
    expect(() => env().fromSequence(1, 2).connect(rules)).toThrow(/same execution environment/);
  });
});
