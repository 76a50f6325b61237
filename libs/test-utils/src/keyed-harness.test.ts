import { describe, expect, it } from 'vitest';
import { KeyedProcessFunction, OutputTag, assignKeyToParallelOperator, type Collector, type KeyedOnTimerContext, type KeyedProcessContext, type OpenContext } from '@riffle/core';
import { KeyedProcessOperator } from '@riffle/datastream';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import { KeyedOneInputStreamOperatorTestHarness, type OperatorSnapshot } from './index.js';

type Command = { key: string; op: 'add' | 'timer' | 'timer-twice' | 'delete-timer' | 'pt-timer'; n?: number; at?: number };

/**
 * Sums `add` amounts per key in ValueState and registers/deletes timers on command; `onTimer`
 * emits `key@time(domain)=sum`, and late timers go to a side output.
 */
class SumWithTimers extends KeyedProcessFunction<string, Command, string> {
  static readonly late = new OutputTag<string>('fired');
  private sum!: ValueState<number>;

  override open(_ctx: OpenContext): void {
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum', undefined, 0));
  }

  processElement(c: Command, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    const timers = ctx.timerService();
    switch (c.op) {
      case 'add':
        this.sum.update(this.sum.value()! + c.n!);
        out.collect(`${ctx.getCurrentKey()}:${this.sum.value()}`);
        break;
      case 'timer':
        timers.registerEventTimeTimer(c.at!);
        break;
      case 'timer-twice':
        timers.registerEventTimeTimer(c.at!);
        timers.registerEventTimeTimer(c.at!);
        break;
      case 'delete-timer':
        timers.deleteEventTimeTimer(c.at!);
        break;
      case 'pt-timer':
        timers.registerProcessingTimeTimer(c.at!);
        break;
    }
  }

  override onTimer(timestamp: number, ctx: KeyedOnTimerContext<string>, out: Collector<string>): void {
    const line = `${ctx.getCurrentKey()}@${timestamp}(${ctx.timeDomain() === 'EVENT_TIME' ? 'e' : 'p'})=${this.sum.value()}`;
    out.collect(line);
    ctx.output(SumWithTimers.late, line);
  }
}

function harness(options: { parallelism?: number; subtaskIndex?: number; processingTime?: number } = {}) {
  return new KeyedOneInputStreamOperatorTestHarness<string, Command, string>(new KeyedProcessOperator(new SumWithTimers()), (c: Command) => c.key, options);
}

describe('KeyedOneInputStreamOperatorTestHarness with KeyedProcessOperator', () => {
  it('keeps ValueState per key', async () => {
    const h = await harness().open();
    h.processElement({ key: 'a', op: 'add', n: 1 });
    h.processElement({ key: 'b', op: 'add', n: 10 });
    h.processElement({ key: 'a', op: 'add', n: 2 });
    expect(h.extractOutputValues()).toEqual(['a:1', 'b:10', 'a:3']);
    expect(h.numKeyedStateEntries('sum')).toBe(2);
  });

  it('fires event-time timers in timestamp order when the watermark passes them, with the timer key current', async () => {
    const h = await harness().open();
    h.processElement({ key: 'a', op: 'add', n: 1 });
    h.processElement({ key: 'b', op: 'add', n: 2 });
    h.processElement({ key: 'a', op: 'timer', at: 30 });
    h.processElement({ key: 'b', op: 'timer', at: 10 });
    h.processElement({ key: 'a', op: 'timer', at: 20 });
    h.clearOutput();
    h.processWatermark(25);
    expect(h.getOutput()).toEqual([{ value: 'b@10(e)=2', timestamp: 10 }, { value: 'a@20(e)=1', timestamp: 20 }, { watermark: 25 }]);
    h.processWatermark(30);
    expect(h.extractOutputValues()).toEqual(['b@10(e)=2', 'a@20(e)=1', 'a@30(e)=1']);
    expect(h.getSideOutputValues(SumWithTimers.late)).toEqual(['b@10(e)=2', 'a@20(e)=1', 'a@30(e)=1']);
    expect(h.numEventTimeTimers()).toBe(0);
  });

  it('fires a timer registered twice for the same key and time once', async () => {
    const h = await harness().open();
    h.processElement({ key: 'a', op: 'timer-twice', at: 5 });
    h.processElement({ key: 'a', op: 'timer', at: 5 });
    expect(h.numEventTimeTimers()).toBe(1);
    h.processWatermark(10);
    expect(h.extractOutputValues()).toEqual(['a@5(e)=0']);
  });

  it('does not fire a deleted timer, and deleting one key’s timer leaves other keys’ timers alone', async () => {
    const h = await harness().open();
    h.processElement({ key: 'a', op: 'timer', at: 5 });
    h.processElement({ key: 'b', op: 'timer', at: 5 });
    h.processElement({ key: 'a', op: 'delete-timer', at: 5 });
    h.processWatermark(10);
    expect(h.extractOutputValues()).toEqual(['b@5(e)=0']);
  });

  it('fires processing-time timers when the manual clock reaches them, carrying no timestamp', async () => {
    const h = await harness({ processingTime: 1000 }).open();
    h.processElement({ key: 'a', op: 'pt-timer', at: 1500 });
    h.processElement({ key: 'b', op: 'pt-timer', at: 1200 });
    h.setProcessingTime(1100);
    expect(h.extractOutputValues()).toEqual([]);
    h.setProcessingTime(2000);
    expect(h.getRecordOutput()).toEqual([{ value: 'b@1200(p)=0' }, { value: 'a@1500(p)=0' }]);
    expect(h.getProcessingTime()).toBe(2000);
  });

  it('restores keyed state and timers into a fresh harness and continues from there', async () => {
    const first = await harness({ processingTime: 0 }).open();
    first.processElement({ key: 'a', op: 'add', n: 5 });
    first.processElement({ key: 'b', op: 'add', n: 7 });
    first.processElement({ key: 'a', op: 'timer', at: 100 });
    first.processElement({ key: 'b', op: 'pt-timer', at: 50 });
    const snapshot = first.snapshot();
    // The original keeps running independently of the snapshot.
    first.processElement({ key: 'a', op: 'add', n: 1000 });
    await first.close();

    const second = harness({ processingTime: 0 });
    second.initializeState(snapshot);
    await second.open();
    expect(second.numEventTimeTimers()).toBe(1);
    expect(second.numProcessingTimeTimers()).toBe(1);
    second.processElement({ key: 'a', op: 'add', n: 1 });
    second.setProcessingTime(60);
    second.processWatermark(100);
    expect(second.extractOutputValues()).toEqual(['a:6', 'b@50(p)=7', 'a@100(e)=6']);
  });

  it('rescales: snapshots of one subtask restore into two, each taking the keys and timers of its key groups', async () => {
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
    const one = await harness().open();
    keys.forEach((key, i) => {
      one.processElement({ key, op: 'add', n: i + 1 });
      one.processElement({ key, op: 'timer', at: 10 + i });
    });
    const snapshot: OperatorSnapshot = one.snapshot();

    const fired: string[] = [];
    for (const subtaskIndex of [0, 1]) {
      const h = harness({ parallelism: 2, subtaskIndex });
      h.initializeState([snapshot]);
      await h.open();
      h.processWatermark(100);
      const mine = keys.filter((k) => assignKeyToParallelOperator(k, 128, 2) === subtaskIndex);
      expect(mine.length).toBeGreaterThan(0);
      expect(h.numKeyedStateEntries('sum')).toBe(mine.length);
      const values = h.extractOutputValues();
      expect(values).toEqual(mine.map((k) => `${k}@${10 + keys.indexOf(k)}(e)=${keys.indexOf(k) + 1}`));
      fired.push(...values);
    }
    expect(fired).toHaveLength(keys.length);
  });

  it('refuses initializeState after open', async () => {
    const h = await harness().open();
    const snapshot = h.snapshot();
    expect(() => h.initializeState(snapshot)).toThrow(/before open/);
  });
});
