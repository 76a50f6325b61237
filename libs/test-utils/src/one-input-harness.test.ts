import { describe, expect, it } from 'vitest';
import { OutputTag, RichMapFunction, StreamRecord, type Collector, type OpenContext, type ProcessContext } from '@riffle/core';
import { ProcessOperator, StreamFilter, StreamFlatMap, StreamMap } from '@riffle/datastream';
import { OneInputStreamOperatorTestHarness } from './index.js';

describe('OneInputStreamOperatorTestHarness', () => {
  it('collects records with their timestamps and watermarks in emission order', async () => {
    const harness = await new OneInputStreamOperatorTestHarness(new StreamMap((x: number) => x * 10)).open();
    harness.processElement(1, 100);
    harness.processWatermark(100);
    harness.processElement(2);
    harness.processWatermark(200);
    expect(harness.getOutput()).toEqual([{ value: 10, timestamp: 100 }, { watermark: 100 }, { value: 20 }, { watermark: 200 }]);
    expect(harness.extractOutputValues()).toEqual([10, 20]);
    expect(harness.getRecordOutput()).toEqual([{ value: 10, timestamp: 100 }, { value: 20 }]);
    expect(harness.getWatermarks()).toEqual([100, 200]);
  });

  it('records without a timestamp carry no timestamp property', async () => {
    const harness = await new OneInputStreamOperatorTestHarness(new StreamMap((x: number) => x)).open();
    harness.processElement(7);
    expect(harness.getRecordOutput()[0]).toStrictEqual({ value: 7 });
  });

  it('drops filtered records and forgets output on clearOutput', async () => {
    const harness = await new OneInputStreamOperatorTestHarness(new StreamFilter((x: number) => x % 2 === 0)).open();
    harness.processElements([1, 2, 3, 4], 5);
    expect(harness.getRecordOutput()).toEqual([
      { value: 2, timestamp: 5 },
      { value: 4, timestamp: 5 },
    ]);
    harness.clearOutput();
    harness.processElement(6);
    expect(harness.extractOutputValues()).toEqual([6]);
  });

  it('copies the record wrapper, so operators that reuse their output record do not corrupt earlier output', async () => {
    const harness = await new OneInputStreamOperatorTestHarness(
      new StreamFlatMap((s: string, out: Collector<string>) => {
        for (const w of s.split(' ')) out.collect(w);
      }),
    ).open();
    harness.processElement('a b c', 1);
    expect(harness.getRecordOutput()).toEqual([
      { value: 'a', timestamp: 1 },
      { value: 'b', timestamp: 1 },
      { value: 'c', timestamp: 1 },
    ]);
  });

  it('routes side outputs by tag and keeps them apart from the main output', async () => {
    const odd = new OutputTag<string>('odd');
    const harness = await new OneInputStreamOperatorTestHarness(
      new ProcessOperator((x: number, ctx: ProcessContext, out: Collector<number>) => {
        if (x % 2 === 1) ctx.output(odd, `odd ${x}`);
        else out.collect(x);
      }),
    ).open();
    harness.processElement(1, 10);
    harness.processElement(2, 20);
    harness.processElement(3);
    expect(harness.extractOutputValues()).toEqual([2]);
    expect(harness.getSideOutput(odd)).toEqual([{ value: 'odd 1', timestamp: 10 }, { value: 'odd 3' }]);
    expect(harness.getSideOutputValues(new OutputTag<string>('odd'))).toEqual(['odd 1', 'odd 3']);
    expect(harness.getSideOutput(new OutputTag('other'))).toEqual([]);
  });

  it('opens and closes rich functions with a runtime context describing the simulated subtask', async () => {
    const events: string[] = [];
    class Describe extends RichMapFunction<number, string> {
      override open(_ctx: OpenContext): void {
        events.push(`open ${this.getRuntimeContext().getTaskNameWithSubtasks()}`);
      }
      map(x: number): string {
        return `${this.getRuntimeContext().getIndexOfThisSubtask()}:${x}`;
      }
      override close(): void {
        events.push('close');
      }
    }
    const harness = await new OneInputStreamOperatorTestHarness(new StreamMap(new Describe()), { parallelism: 3, subtaskIndex: 2, operatorName: 'Describe' }).open();
    harness.processElement(1);
    await harness.endInput();
    await harness.close();
    expect(harness.extractOutputValues()).toEqual(['2:1']);
    expect(events).toEqual(['open Describe (3/3)', 'close']);
  });

  it('forwards watermark status changes into the output', async () => {
    const harness = await new OneInputStreamOperatorTestHarness(new StreamMap((x: number) => x)).open();
    harness.processWatermarkStatus('IDLE');
    harness.processWatermarkStatus('ACTIVE');
    expect(harness.getOutput()).toEqual([{ watermarkStatus: 'IDLE' }, { watermarkStatus: 'ACTIVE' }]);
  });

  it('accepts an operator factory', async () => {
    const harness = await new OneInputStreamOperatorTestHarness(() => new StreamMap((x: number) => x + 1)).open();
    harness.processElement(1);
    expect(harness.extractOutputValues()).toEqual([2]);
  });

  it('refuses elements before open and after the input ended', async () => {
    const harness = new OneInputStreamOperatorTestHarness(new StreamMap((x: number) => x));
    expect(() => harness.processElement(1)).toThrow(/open\(\)/);
    await harness.open();
    await harness.endInput();
    expect(() => harness.processElement(1)).toThrow(/input has ended/);
  });

  it('hands the operator one reused record, so an operator keeping the record object is caught', async () => {
    const kept: StreamRecord<number>[] = [];
    const harness = await new OneInputStreamOperatorTestHarness<number, never>({
      setup() {},
      open() {},
      finish() {},
      close() {},
      processElement(record: StreamRecord<number>) {
        kept.push(record);
      },
      processWatermark() {},
      processWatermarkStatus() {},
    }).open();
    harness.processElement(1);
    harness.processElement(2);
    expect(kept[0]!.value).toBe(2);
  });

  it('rejects a subtask index outside the parallelism', () => {
    expect(() => new OneInputStreamOperatorTestHarness(new StreamMap((x: number) => x), { parallelism: 2, subtaskIndex: 2 })).toThrow(/subtaskIndex/);
  });
});
