import { describe, expect, it } from 'vitest';
import { OutputTag, type Collector, type ProcessContext } from '@riffle/core';
import { CoProcessOperator, CoStreamMap } from '@riffle/datastream';
import { TwoInputStreamOperatorTestHarness } from './index.js';

describe('TwoInputStreamOperatorTestHarness', () => {
  it('feeds both inputs and collects in order', async () => {
    const h = await new TwoInputStreamOperatorTestHarness(new CoStreamMap({ map1: (x: number) => `1:${x}`, map2: (s: string) => `2:${s}` })).open();
    h.processElement1(1, 10);
    h.processElement2('a');
    h.processElement1(2);
    expect(h.getRecordOutput()).toEqual([{ value: '1:1', timestamp: 10 }, { value: '2:a' }, { value: '1:2' }]);
  });

  it('advances the watermark to the minimum of both inputs', async () => {
    const h = await new TwoInputStreamOperatorTestHarness(new CoStreamMap({ map1: (x: number) => x, map2: (x: number) => x })).open();
    h.processWatermark1(10);
    expect(h.getWatermarks()).toEqual([]);
    h.processWatermark2(5);
    h.processWatermark2(20);
    h.processBothWatermarks(30);
    expect(h.getWatermarks()).toEqual([5, 10, 20, 30]);
  });

  it('lets an idle input stop holding the watermark back', async () => {
    const h = await new TwoInputStreamOperatorTestHarness(new CoStreamMap({ map1: (x: number) => x, map2: (x: number) => x })).open();
    h.processWatermark1(10);
    h.processWatermarkStatus2('IDLE');
    expect(h.getWatermarks()).toEqual([10]);
    h.processWatermarkStatus1('IDLE');
    expect(h.getOutput()).toContainEqual({ watermarkStatus: 'IDLE' });
  });

  it('collects side outputs of either input', async () => {
    const tag = new OutputTag<string>('side');
    const h = await new TwoInputStreamOperatorTestHarness(
      new CoProcessOperator<never, number, number, number>(
        {
          processElement1: (x: number, ctx: ProcessContext, out: Collector<number>) => out.collect(x),
          processElement2: (x: number, ctx: ProcessContext) => ctx.output(tag, `two ${x}`),
        },
        false,
      ),
    ).open();
    h.processElement1(1);
    h.processElement2(2, 7);
    expect(h.extractOutputValues()).toEqual([1]);
    expect(h.getSideOutput(tag)).toEqual([{ value: 'two 2', timestamp: 7 }]);
  });
});
