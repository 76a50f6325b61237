import { DataInputDeserializer, DataOutputSerializer, Time, Types, type Collector, type OpenContext } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import type { DataStream } from '../streams/data-stream.js';
import { SlidingEventTimeWindows } from '../windowing/assigners/sliding-event-time-windows.js';
import { TumblingEventTimeWindows } from '../windowing/assigners/tumbling-event-time-windows.js';
import { CountTrigger } from '../windowing/triggers/count-trigger.js';
import { WindowOperatorHarness } from '../windowing/testing/window-operator-harness.js';
import { isFlatJoinFunction, RichCoGroupFunction, RichFlatJoinFunction, RichJoinFunction } from './join-functions.js';
import { TaggedUnion, TaggedUnionSerializer } from './tagged-union.js';

type A = { k: string; a: number };
type B = { k: string; b: string };

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 3 });
}

function inputs(e = env()): [DataStream<A>, DataStream<B>] {
  return [e.fromElements<A>({ k: 'x', a: 1 }), e.fromSequence(0, 1).map((i): B => ({ k: 'x', b: String(i) }))];
}

const one = (v: A): TaggedUnion<A, B> => TaggedUnion.one(v);
const two = (v: B): TaggedUnion<A, B> => TaggedUnion.two(v);

describe('KeyedStream.intervalJoin', () => {
  it('declares one two-input operator keyed by both inputs', () => {
    const [a, b] = inputs();
    const out = a
      .keyBy((x) => x.k)
      .intervalJoin(b.keyBy((y) => y.k))
      .between(Time.milliseconds(0), Time.seconds(1))
      .process((l, r, _ctx, o: Collector<string>) => o.collect(`${l.a}${r.b}`));
    expect(out.getName()).toBe('Interval Join');
    const t = out.getTransformation() as unknown as { keySelector1: { getKey(v: A): string }; keySelector2: { getKey(v: B): string }; getInputs(): unknown[] };
    expect(t.keySelector1.getKey({ k: 'x', a: 1 })).toBe('x');
    expect(t.keySelector2.getKey({ k: 'y', b: '' })).toBe('y');
    expect(t.getInputs()).toHaveLength(2);
  });

  it('checks its arguments when the job is built', () => {
    const [a, b] = inputs();
    const ka = a.keyBy((x) => x.k);
    const kb = b.keyBy((y) => y.k);
    expect(() => ka.intervalJoin(b as never)).toThrow(/expected a KeyedStream/);
    expect(() => ka.intervalJoin(kb).between(5, 4)).toThrow(/lowerBound <= upperBound/);
    expect(() => ka.intervalJoin(kb).between(Number.NaN, 4)).toThrow(/lower bound must be a Time or a finite number/);
    expect(() => ka.intervalJoin(kb).inProcessingTime().between(0, 1)).toThrow(/only supported in event time/);
    expect(() => ka.intervalJoin(kb).between(-3, -1).process({} as never)).toThrow(/processElement/);
    expect(() => ka.intervalJoin(kb).between(-3, -1).sideOutputLeftLateData({} as never)).toThrow(/OutputTag/);
    expect(() => ka.intervalJoin(env().fromElements<B>({ k: 'x', b: '' }).keyBy((y) => y.k))).toThrow(/same execution environment/);
  });
});

describe('window join and coGroup', () => {
  it('tags both inputs at their own parallelism, unions, keys and windows them, as Flink does', () => {
    const [a, b] = inputs();
    const out = a
      .join(b)
      .where((x) => x.k)
      .equalTo((y) => y.k)
      .window(TumblingEventTimeWindows.of(Time.seconds(5)))
      .apply((x, y) => `${x.a}${y.b}`);
    expect(out.getName()).toBe('Window(TumblingEventTimeWindows(5000), EventTimeTrigger, CoGroupWindowFunction)');
    const graph = a.getExecutionEnvironment().getStreamGraph();
    const maps = [...graph.nodes.values()].filter((n) => n.name === 'Map' && n.outputSerializer instanceof TaggedUnionSerializer);
    expect(maps.map((n) => n.parallelism).sort()).toEqual([1, 3]); // fromElements is not parallel
    const serializer = maps[0]!.outputSerializer as TaggedUnionSerializer<unknown, unknown>;
    expect(serializer.id).toBe('tagged-union(dynamic,dynamic)');
  });

  it('serializes tagged elements with each input declared serializer', () => {
    const e = env();
    const a = e.fromElements(1, 2).returns(Types.NUMBER);
    const b = e.fromElements('s').returns(Types.STRING);
    a.coGroup(b).where((x) => x % 2).equalTo((s) => s.length).window(TumblingEventTimeWindows.of(10)).apply(() => {});
    const tagged = [...e.getStreamGraph().nodes.values()].find((n) => n.outputSerializer instanceof TaggedUnionSerializer)!;
    const serializer = tagged.outputSerializer as TaggedUnionSerializer<number, string>;
    expect(serializer.id).toBe('tagged-union(number,string)');
    for (const value of [TaggedUnion.one<number, string>(2.5), TaggedUnion.two<number, string>('zz')]) {
      const out = new DataOutputSerializer();
      serializer.serialize(value, out);
      expect(serializer.deserialize(new DataInputDeserializer(out.toUint8Array()))).toEqual(value);
    }
  });

  it('joins every pair of equal keys in a tumbling window when the window fires', async () => {
    const [a, b] = inputs();
    const stream = a
      .join(b)
      .where((x) => x.k)
      .equalTo((y) => y.k)
      .window(TumblingEventTimeWindows.of(10))
      .apply((x, y) => `${x.k}:${x.a}${y.b}`);
    const h = await WindowOperatorHarness.of(stream);
    h.element(one({ k: 'x', a: 1 }), 1)
      .element(two({ k: 'x', b: 'p' }), 2)
      .element(one({ k: 'x', a: 2 }), 9)
      .element(two({ k: 'x', b: 'q' }), 5)
      .element(two({ k: 'x', b: 'next' }), 10)
      .element(one({ k: 'y', a: 3 }), 3)
      .element(two({ k: 'z', b: 'r' }), 3);
    expect(h.take()).toEqual([]);
    h.watermark(9);
    expect(h.takeRecords().sort((l, r) => String(l.value).localeCompare(String(r.value)))).toEqual([
      { value: 'x:1p', timestamp: 9 },
      { value: 'x:1q', timestamp: 9 },
      { value: 'x:2p', timestamp: 9 },
      { value: 'x:2q', timestamp: 9 },
    ]);
    h.watermark(100);
    expect(h.take()).toEqual([]); // [10, 20) has no first-input element
  });

  it('joins once per sliding window a pair shares', async () => {
    const [a, b] = inputs();
    const stream = a
      .join(b)
      .where((x) => x.k)
      .equalTo((y) => y.k)
      .window(SlidingEventTimeWindows.of(10, 5))
      .apply((x, y) => `${x.a}${y.b}`);
    const h = await WindowOperatorHarness.of(stream);
    h.element(one({ k: 'x', a: 1 }), 6).element(two({ k: 'x', b: 'p' }), 8).element(two({ k: 'x', b: 'q' }), 12);
    h.watermark(100);
    // windows [0,10): 1p; [5,15): 1p, 1q; [10,20): no first-input element
    expect(h.take().sort()).toEqual(['1p', '1p', '1q']);
  });

  it('lets a flat join function emit any number of results per pair', async () => {
    const [a, b] = inputs();
    const stream = a
      .join(b)
      .where((x) => x.k)
      .equalTo((y) => y.k)
      .window(TumblingEventTimeWindows.of(10))
      .apply((x: A, y: B, out: Collector<string>) => {
        for (let i = 0; i < x.a; i++) out.collect(`${y.b}${i}`);
      });
    const h = await WindowOperatorHarness.of(stream);
    h.element(one({ k: 'x', a: 2 }), 1).element(two({ k: 'x', b: 'p' }), 2).element(one({ k: 'x', a: 0 }), 3);
    h.watermark(9);
    expect(h.take().sort()).toEqual(['p0', 'p1']);
  });

  it('hands the co-group function both sides of a key and window, one of them possibly empty', async () => {
    const [a, b] = inputs();
    const stream = a
      .coGroup(b)
      .where((x) => x.k)
      .equalTo((y) => y.k)
      .window(TumblingEventTimeWindows.of(10))
      .apply((xs, ys, out: Collector<string>) => out.collect(`${[...xs].map((x) => x.a).join(',')}|${[...ys].map((y) => y.b).join(',')}`));
    const h = await WindowOperatorHarness.of(stream);
    h.element(one({ k: 'x', a: 1 }), 1)
      .element(two({ k: 'x', b: 'p' }), 2)
      .element(one({ k: 'x', a: 2 }), 3)
      .element(two({ k: 'y', b: 'q' }), 4)
      .element(one({ k: 'z', a: 7 }), 15);
    h.watermark(100);
    expect(h.take().sort()).toEqual(['1,2|p', '7|', '|q']);
  });

  it('uses the given trigger and allowed lateness', async () => {
    const [a, b] = inputs();
    const stream = a
      .join(b)
      .where((x) => x.k)
      .equalTo((y) => y.k)
      .window(TumblingEventTimeWindows.of(10))
      .trigger(CountTrigger.of(3))
      .allowedLateness(5)
      .apply((x, y) => `${x.a}${y.b}`);
    expect(stream.getName()).toContain('CountTrigger');
    const h = await WindowOperatorHarness.of(stream);
    h.element(one({ k: 'x', a: 1 }), 1).element(two({ k: 'x', b: 'p' }), 2);
    expect(h.take()).toEqual([]);
    h.element(two({ k: 'x', b: 'q' }), 3);
    expect(h.take().sort()).toEqual(['1p', '1q']);
  });

  it('opens and closes rich join and co-group functions with the runtime context', async () => {
    const events: string[] = [];
    class Join extends RichJoinFunction<A, B, string> {
      override open(_ctx: OpenContext): void {
        events.push(`open ${this.getRuntimeContext().getIndexOfThisSubtask()}`);
      }
      join(x: A, y: B): string {
        return `${x.a}${y.b}`;
      }
      override close(): void {
        events.push('close');
      }
    }
    const [a, b] = inputs();
    const stream = a.join(b).where((x) => x.k).equalTo((y) => y.k).window(TumblingEventTimeWindows.of(10)).apply(new Join());
    const h = await WindowOperatorHarness.of(stream);
    h.element(one({ k: 'x', a: 1 }), 1).element(two({ k: 'x', b: 'p' }), 2).watermark(9);
    expect(h.take()).toEqual(['1p']);
    await h.operator.close();
    expect(events).toEqual(['open 0', 'close']);

    class Count extends RichCoGroupFunction<A, B, string> {
      private prefix = '';
      override open(): void {
        this.prefix = this.getRuntimeContext().getTaskName();
      }
      coGroup(xs: Iterable<A>, ys: Iterable<B>, out: Collector<string>): void {
        out.collect(`${this.prefix} ${[...xs].length} ${[...ys].length}`);
      }
    }
    const [c, d] = inputs();
    const g = await WindowOperatorHarness.of(c.coGroup(d).where((x) => x.k).equalTo((y) => y.k).window(TumblingEventTimeWindows.of(10)).apply(new Count()));
    g.element(one({ k: 'x', a: 1 }), 1).element(two({ k: 'x', b: 'p' }), 2).element(two({ k: 'x', b: 'q' }), 2).watermark(9);
    expect(g.take()).toEqual(['Test Operator 1 2']); // the harness's task name
  });

  it('tells join functions from flat join functions', () => {
    expect(isFlatJoinFunction((a: number, b: number) => a + b)).toBe(false);
    expect(isFlatJoinFunction((_a: number, _b: number, _out: Collector<number>) => {})).toBe(true);
    expect(isFlatJoinFunction({ join: (a: number) => a })).toBe(false);
    expect(isFlatJoinFunction({ join: (_a: number, _b: number, _o: unknown) => {} })).toBe(true);
    class Flat extends RichFlatJoinFunction<number, number, number> {
      join(...args: [number, number, Collector<number>]): void {
        args[2].collect(args[0]);
      }
    }
    class Plain extends RichJoinFunction<number, number, number> {
      join(...args: [number, number]): number {
        return args[0];
      }
    }
    expect(isFlatJoinFunction(new Flat())).toBe(true);
    expect(isFlatJoinFunction(new Plain())).toBe(false);
  });
});
