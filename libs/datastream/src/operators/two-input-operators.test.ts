import { describe, expect, it } from 'vitest';
import {
  CoProcessFunction,
  KeyedCoProcessFunction,
  OutputTag,
  RichCoMapFunction,
  StreamRecord,
  Watermark,
  type Collector,
  type KeyedProcessContext,
  type ProcessContext,
} from '@riffle/core';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { openNodeOperator, type TwoInput } from '../testing/operator-test-utils.js';

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 1 });
}

describe('two-input operators', () => {
  it('co-map applies map1 to the first input and map2 to the second, and opens rich co-functions', async () => {
    const events: string[] = [];
    class Both extends RichCoMapFunction<number, string, string> {
      override open(): void {
        events.push(`open ${this.getRuntimeContext().getTaskName()}`);
      }
      map1(v: number): string {
        return `n${v}`;
      }
      map2(v: string): string {
        return `s${v}`;
      }
      override close(): void {
        events.push('close');
      }
    }
    const e = env();
    e.fromElements(1).connect(e.fromElements('a')).map(new Both()).print();
    const graph = e.getStreamGraph();
    const { operator, output } = await openNodeOperator<string, TwoInput<number, string, string>>(graph, 3);
    operator.processElement1(new StreamRecord(1, 5));
    operator.processElement2(new StreamRecord('x'));
    operator.processElement1(new StreamRecord(2));
    await operator.close();
    expect(output.records).toEqual([
      { value: 'n1', timestamp: 5 },
      { value: 'sx', timestamp: Number.NEGATIVE_INFINITY },
      { value: 'n2', timestamp: Number.NEGATIVE_INFINITY },
    ]);
    expect(events).toEqual(['open Co-Map', 'close']);
  });

  it('co-flatMap emits any number of values per input', async () => {
    const e = env();
    e.fromElements('a b')
      .connect(e.fromElements(0))
      .flatMap({
        flatMap1: (line: string, out: Collector<string>) => line.split(' ').forEach((w) => out.collect(w)),
        flatMap2: (n: number, out: Collector<string>) => {
          for (let i = 0; i < n; i++) out.collect(`#${i}`);
        },
      })
      .print();
    const { operator, output } = await openNodeOperator<string, TwoInput<string, number, string>>(e.getStreamGraph(), 3);
    operator.processElement1(new StreamRecord('x y z'));
    operator.processElement2(new StreamRecord(2));
    operator.processElement2(new StreamRecord(0));
    expect(output.values()).toEqual(['x', 'y', 'z', '#0', '#1']);
  });

  it('combines the two input watermarks by their minimum', async () => {
    const e = env();
    e.fromElements(1).connect(e.fromElements(2)).map({ map1: (x: number) => x, map2: (x: number) => x }).print();
    const { operator, output } = await openNodeOperator<number, TwoInput<number, number, number>>(e.getStreamGraph(), 3);
    operator.processWatermark1(new Watermark(10));
    operator.processWatermark2(new Watermark(4));
    operator.processWatermark2(new Watermark(20));
    expect(output.watermarks).toEqual([4, 10]);
  });

  it('co-process emits side outputs from either input', async () => {
    const rejected = new OutputTag<string>('rejected');
    class Join extends CoProcessFunction<number, string, string> {
      processElement1(v: number, ctx: ProcessContext, out: Collector<string>): void {
        if (v < 0) ctx.output(rejected, `neg ${v}`);
        else out.collect(`num ${v}`);
      }
      processElement2(v: string, ctx: ProcessContext, out: Collector<string>): void {
        if (v === '') ctx.output(rejected, 'empty');
        else out.collect(`str ${v}`);
      }
    }
    const e = env();
    const joined = e.fromElements(1).connect(e.fromElements('a')).process(new Join());
    joined.print();
    joined.getSideOutput(rejected).print();
    const graph = e.getStreamGraph();
    expect(graph.getNode(3).name).toBe('Co-Process');
    const { operator, output } = await openNodeOperator<string, TwoInput<number, string, string>>(graph, 3);
    operator.processElement1(new StreamRecord(-1));
    operator.processElement1(new StreamRecord(2));
    operator.processElement2(new StreamRecord(''));
    operator.processElement2(new StreamRecord('b'));
    expect(output.values()).toEqual(['num 2', 'str b']);
    expect(output.sideValues(rejected)).toEqual(['neg -1', 'empty']);
  });

  it('keyed co-process sees the key of each input', async () => {
    class KeyEcho extends KeyedCoProcessFunction<string, [string, number], { id: string }, string> {
      processElement1(v: [string, number], ctx: KeyedProcessContext<string>, out: Collector<string>): void {
        out.collect(`1:${ctx.getCurrentKey()}:${v[1]}`);
      }
      processElement2(_v: { id: string }, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
        out.collect(`2:${ctx.getCurrentKey()}`);
      }
    }
    const e = env();
    e.fromElements<[string, number]>(['k', 1])
      .connect(e.fromElements({ id: 'j' }))
      .keyBy((t) => t[0], (o) => o.id)
      .process(new KeyEcho())
      .print();
    const { operator, output } = await openNodeOperator<string, TwoInput<[string, number], { id: string }, string>>(e.getStreamGraph(), 3);
    operator.processElement1(new StreamRecord<[string, number]>(['k', 7]));
    operator.processElement2(new StreamRecord({ id: 'q' }));
    expect(output.values()).toEqual(['1:k:7', '2:q']);
  });

  it('refuses a KeyedCoProcessFunction on inputs that are not both keyed', () => {
    class K extends KeyedCoProcessFunction<string, number, number, number> {
      processElement1(): void {}
      processElement2(): void {}
    }
    const e = env();
    expect(() => e.fromElements(1).connect(e.fromElements(2)).process(new K())).toThrow(/both input streams are keyed/);
  });
});
