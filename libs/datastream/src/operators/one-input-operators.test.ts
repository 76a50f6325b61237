import { describe, expect, it } from 'vitest';
import {
  KeyedProcessFunction,
  OutputTag,
  ProcessFunction,
  RichFlatMapFunction,
  RichMapFunction,
  StreamRecord,
  Watermark,
  type Collector,
  type KeyedProcessContext,
  type OpenContext,
  type ProcessContext,
} from '@riffle/core';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import { openNodeOperator, type OneInput } from '../testing/operator-test-utils.js';

function env(): StreamExecutionEnvironment {
  return new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 1 });
}

/** The last operator before the job's sink. */
async function lastOperator<IN, OUT>(e: StreamExecutionEnvironment, options = {}) {
  const graph = e.getStreamGraph();
  const node = [...graph.nodes.values()].filter((n) => n.kind === 'operator' && graph.outEdges(n.id).length > 0).at(-1)!;
  return openNodeOperator<OUT, OneInput<IN, OUT>>(graph, node, options);
}

describe('one-input operators', () => {
  it('map emits one value per record and keeps the timestamp', async () => {
    const e = env();
    e.fromElements(1).map((x: number) => `v${x}`).addCollectSink('x');
    const graph = e.getStreamGraph();
    const { operator, output } = await openNodeOperator<string, OneInput<number, string>>(graph, 2);
    operator.processElement(new StreamRecord(1, 1000));
    operator.processElement(new StreamRecord(2));
    expect(output.records).toEqual([
      { value: 'v1', timestamp: 1000 },
      { value: 'v2', timestamp: Number.NEGATIVE_INFINITY },
    ]);
  });

  it('flatMap emits any number of values through the collector', async () => {
    const e = env();
    e.fromElements('a b', '').flatMap((line: string, out: Collector<string>) => {
      for (const w of line.split(' ')) if (w) out.collect(w);
    }).print();
    const graph = e.getStreamGraph();
    const { operator, output } = await openNodeOperator<string, OneInput<string, string>>(graph, 2);
    operator.processElement(new StreamRecord('to be or', 5));
    operator.processElement(new StreamRecord(''));
    operator.processElement(new StreamRecord('not'));
    expect(output.values()).toEqual(['to', 'be', 'or', 'not']);
    expect(output.records[0]!.timestamp).toBe(5);
  });

  it('filter forwards only matching records; accepts FilterFunction objects', async () => {
    const e = env();
    e.fromElements(1).filter({ filter: (x: number) => x % 2 === 0 }).print();
    const { operator, output } = await lastOperator<number, number>(e);
    for (let i = 1; i <= 6; i++) operator.processElement(new StreamRecord(i));
    expect(output.values()).toEqual([2, 4, 6]);
  });

  it('process emits main and side outputs with the input timestamp', async () => {
    const small = new OutputTag<string>('small');
    class Splitter extends ProcessFunction<number, number> {
      processElement(value: number, ctx: ProcessContext, out: Collector<number>): void {
        if (value < 10) ctx.output(small, `small:${value}@${ctx.timestamp()}`);
        else out.collect(value);
      }
    }
    const e = env();
    e.fromElements(1).process(new Splitter()).print();
    const { operator, output } = await lastOperator<number, number>(e);
    operator.processElement(new StreamRecord(3, 7));
    operator.processElement(new StreamRecord(30, 8));
    operator.processElement(new StreamRecord(4));
    expect(output.values()).toEqual([30]);
    expect(output.side.get('small')).toEqual([
      { value: 'small:3@7', timestamp: 7 },
      { value: 'small:4@undefined', timestamp: Number.NEGATIVE_INFINITY },
    ]);
  });

  it('process refuses timers on a non-keyed stream', async () => {
    const e = env();
    e.fromElements(1).process((v: number, ctx: ProcessContext) => ctx.timerService().registerEventTimeTimer(v)).print();
    const { operator } = await lastOperator<number, never>(e);
    expect(() => operator.processElement(new StreamRecord(1))).toThrow(/only supported on a keyed stream/);
  });

  it('keyed process sees the current key', async () => {
    class Tagger extends KeyedProcessFunction<string, [string, number], string> {
      processElement(value: [string, number], ctx: KeyedProcessContext<string>, out: Collector<string>): void {
        out.collect(`${ctx.getCurrentKey()}=${value[1]}`);
      }
    }
    const e = env();
    e.fromElements<[string, number]>(['a', 1]).keyBy((t) => t[0]).process(new Tagger()).print();
    const { operator, output } = await lastOperator<[string, number], string>(e);
    operator.processElement(new StreamRecord<[string, number]>(['a', 1]));
    operator.processElement(new StreamRecord<[string, number]>(['b', 2]));
    expect(output.values()).toEqual(['a=1', 'b=2']);
  });

  it('a key selector returning undefined fails naming the operator', async () => {
    const e = env();
    e.fromElements<{ id?: string }>({ id: 'x' })
      .keyBy((r) => r.id)
      .process((v, ctx: KeyedProcessContext<string | undefined>, out: Collector<string>) => out.collect(String(ctx.getCurrentKey())))
      .name('by id')
      .print();
    const { operator } = await lastOperator<{ id?: string }, string>(e);
    expect(() => operator.processElement(new StreamRecord({}))).toThrow(/key selector of operator 'by id' returned undefined/);
  });

  it('errors thrown by user functions propagate unchanged', async () => {
    const e = env();
    e.fromElements(1).map((): number => {
      throw new RangeError('boom');
    }).print();
    const { operator } = await lastOperator<number, number>(e);
    expect(() => operator.processElement(new StreamRecord(1))).toThrow(RangeError);
  });

  it('forwards watermarks', async () => {
    const e = env();
    e.fromElements(1).map((x: number) => x).print();
    const { operator, output } = await lastOperator<number, number>(e);
    operator.processWatermark(new Watermark(10));
    operator.processWatermark(new Watermark(5));
    expect(output.watermarks).toEqual([10]);
  });

  it('gives rich functions their runtime context, then opens and closes them', async () => {
    const calls: string[] = [];
    class Tracked extends RichMapFunction<number, string> {
      private prefix = '';
      override open(context: OpenContext): void {
        calls.push(`open ${context.runtimeContext === this.getRuntimeContext()} ${this.getRuntimeContext().getTaskName()}`);
        this.prefix = `${this.getRuntimeContext().getIndexOfThisSubtask()}:`;
      }
      map(value: number): string {
        return this.prefix + value;
      }
      override close(): void {
        calls.push('close');
      }
    }
    const e = env();
    e.fromElements(1).map(new Tracked()).name('tracked').print();
    const { operator, output } = await lastOperator<number, string>(e, { subtask: 2, parallelism: 3 });
    operator.processElement(new StreamRecord(7));
    await operator.finish();
    await operator.close();
    expect(output.values()).toEqual(['2:7']);
    expect(calls).toEqual(['open true tracked', 'close']);
  });

  it('awaits an async open of a rich flatMap', async () => {
    class Slow extends RichFlatMapFunction<number, number> {
      ready = false;
      override async open(): Promise<void> {
        await new Promise<void>((r) => setImmediate(r));
        this.ready = true;
      }
      flatMap(value: number, out: Collector<number>): void {
        if (!this.ready) throw new Error('not opened');
        out.collect(value);
      }
    }
    const e = env();
    e.fromElements(1).flatMap(new Slow()).print();
    const { operator, output } = await lastOperator<number, number>(e);
    operator.processElement(new StreamRecord(1));
    expect(output.values()).toEqual([1]);
  });
});
