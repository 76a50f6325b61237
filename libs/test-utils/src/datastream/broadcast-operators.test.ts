import { describe, expect, it } from 'vitest';
import { OutputTag, type Collector } from '@riffle/core';
import {
  BroadcastProcessFunction,
  CoBroadcastWithKeyedOperator,
  CoBroadcastWithNonKeyedOperator,
  KeyedBroadcastProcessFunction,
  type BroadcastProcessContext,
  type KeyedBroadcastOnTimerContext,
  type KeyedBroadcastProcessContext,
  type KeyedReadOnlyBroadcastProcessContext,
  type ReadOnlyBroadcastProcessContext,
} from '@riffle/datastream';
import { MapStateDescriptor, ValueStateDescriptor, type ValueState } from '@riffle/state';
import { TwoInputStreamOperatorTestHarness, type OperatorSnapshot } from '../index.js';

/** A rule: events at or above `threshold` match it; `threshold: null` deletes the rule. */
type Rule = { name: string; threshold: number | null };

const RULES = new MapStateDescriptor<string, number>('rules');
const rejected = new OutputTag<string>('rejected');

/** Evaluates each event against the rules it has seen. */
class Thresholds extends BroadcastProcessFunction<number, Rule, string> {
  processElement(value: number, ctx: ReadOnlyBroadcastProcessContext, out: Collector<string>): void {
    const matched = [...ctx.getBroadcastState(RULES).immutableEntries()].filter(([, t]) => value >= t).map(([n]) => n);
    if (matched.length === 0) ctx.output(rejected, `${value}@${ctx.timestamp()}`);
    else out.collect(`${value}:${matched.sort().join(',')}`);
  }

  processBroadcastElement(rule: Rule, ctx: BroadcastProcessContext, out: Collector<string>): void {
    const state = ctx.getBroadcastState(RULES);
    if (rule.threshold === null) state.remove(rule.name);
    else state.put(rule.name, rule.threshold);
    out.collect(`rule ${rule.name}=${rule.threshold} (wm ${ctx.currentWatermark()}, pt ${ctx.currentProcessingTime()})`);
  }
}

function nonKeyed(options: { parallelism?: number; subtaskIndex?: number } = {}) {
  return new TwoInputStreamOperatorTestHarness<number, Rule, string>(new CoBroadcastWithNonKeyedOperator(new Thresholds(), [RULES]), options);
}

describe('CoBroadcastWithNonKeyedOperator', () => {
  it('evaluates every event against the rules broadcast so far', async () => {
    const h = await nonKeyed().open();
    h.processElement1(5, 1);
    h.processElement2({ name: 'low', threshold: 3 });
    h.processElement1(5, 2);
    h.processElement2({ name: 'high', threshold: 10 });
    h.processElement1(12);
    h.processElement2({ name: 'low', threshold: null });
    h.processElement1(12);
    expect(h.extractOutputValues().filter((v) => !v.startsWith('rule'))).toEqual(['5:low', '12:high,low', '12:high']);
    expect(h.getSideOutputValues(rejected)).toEqual(['5@1']);
  });

  it('gives the broadcast side the watermark and processing time, and output records the element timestamp', async () => {
    const h = await nonKeyed().open();
    h.processBothWatermarks(40);
    h.setProcessingTime(7);
    h.processElement2({ name: 'r', threshold: 1 }, 50);
    expect(h.getRecordOutput()).toEqual([{ value: 'rule r=1 (wm 40, pt 7)', timestamp: 50 }]);
  });

  it('hands the non-broadcast side a read-only view', async () => {
    const probe = {
      processElement(_v: number, ctx: ReadOnlyBroadcastProcessContext) {
        const state = ctx.getBroadcastState(RULES) as unknown as Record<string, unknown>;
        expect(state.put).toBeUndefined();
        expect(state.remove).toBeUndefined();
        expect(ctx.getBroadcastState(RULES).get('a')).toBe(1);
      },
      processBroadcastElement(_r: Rule, ctx: BroadcastProcessContext) {
        ctx.getBroadcastState(RULES).put('a', 1);
      },
    };
    const h = await new TwoInputStreamOperatorTestHarness<number, Rule, string>(new CoBroadcastWithNonKeyedOperator(probe, [RULES])).open();
    h.processElement2({ name: 'a', threshold: 1 });
    h.processElement1(1);
  });

  it('refuses broadcast state that was not declared in broadcast(...)', async () => {
    const other = new MapStateDescriptor<string, string>('other');
    const fn = {
      processElement(_v: number, ctx: ReadOnlyBroadcastProcessContext) {
        ctx.getBroadcastState(other);
      },
      processBroadcastElement() {},
    };
    const h = await new TwoInputStreamOperatorTestHarness<number, Rule, string>(new CoBroadcastWithNonKeyedOperator(fn, [RULES])).open();
    expect(() => h.processElement1(1)).toThrow(/broadcast state 'other' does not exist/);
  });

  it('restores its copy of the broadcast state, also into more subtasks (each gets a copy)', async () => {
    const h = await nonKeyed().open();
    h.processElement2({ name: 'low', threshold: 3 });
    h.processElement2({ name: 'high', threshold: 10 });
    const snapshot: OperatorSnapshot = h.snapshot();
    expect(snapshot.operatorState!.states.map((s) => [s.name, s.mode, s.elements.length])).toEqual([['rules', 'BROADCAST', 2]]);

    for (const subtaskIndex of [0, 1]) {
      const restored = nonKeyed({ parallelism: 2, subtaskIndex });
      restored.initializeState([snapshot]);
      await restored.open();
      restored.processElement1(11);
      expect(restored.extractOutputValues()).toEqual(['11:high,low']);
    }
  });
});

/**
 * Counts events per key in keyed state; rules set a per-rule threshold; when an event arrives it
 * registers an event-time timer at its timestamp, and the timer reports the key's count against
 * the rules it sees then. A `reset` rule clears every key's count through applyToKeyedState.
 */
class KeyedCounts extends KeyedBroadcastProcessFunction<string, { key: string; ts: number }, Rule, string> {
  private static readonly COUNT = new ValueStateDescriptor<number>('count', undefined, 0);
  private count!: ValueState<number>;

  override open(): void {
    this.count = this.getRuntimeContext().getState(KeyedCounts.COUNT);
  }

  processElement(e: { key: string; ts: number }, ctx: KeyedReadOnlyBroadcastProcessContext<string>, out: Collector<string>): void {
    this.count.update(this.count.value()! + 1);
    ctx.timerService().registerEventTimeTimer(e.ts);
    out.collect(`${ctx.getCurrentKey()} count ${this.count.value()}`);
  }

  processBroadcastElement(rule: Rule, ctx: KeyedBroadcastProcessContext<string>, out: Collector<string>): void {
    if (rule.name === 'reset') {
      const reset: string[] = [];
      ctx.applyToKeyedState(KeyedCounts.COUNT, (key, state) => {
        reset.push(`${key}=${state.value()}`);
        state.clear();
      });
      out.collect(`reset ${reset.sort().join(' ')}`);
      return;
    }
    ctx.getBroadcastState(RULES).put(rule.name, rule.threshold!);
  }

  override onTimer(timestamp: number, ctx: KeyedBroadcastOnTimerContext<string>, out: Collector<string>): void {
    const count = this.count.value()!;
    const hits = [...ctx.getBroadcastState(RULES).immutableEntries()].filter(([, t]) => count >= t).map(([n]) => n);
    out.collect(`${ctx.getCurrentKey()}@${timestamp}(${ctx.timeDomain()}) count ${count} hits [${hits.join(',')}]`);
  }
}

function keyed(options: { parallelism?: number; subtaskIndex?: number } = {}) {
  return new TwoInputStreamOperatorTestHarness<{ key: string; ts: number }, Rule, string>(new CoBroadcastWithKeyedOperator(new KeyedCounts(), [RULES]), {
    ...options,
    keySelector1: (e: { key: string }) => e.key,
  });
}

describe('CoBroadcastWithKeyedOperator', () => {
  it('keeps keyed state per key and fires timers with the key current and the broadcast state readable', async () => {
    const h = await keyed().open();
    h.processElement2({ name: 'two', threshold: 2 });
    h.processElement1({ key: 'a', ts: 10 }, 10);
    h.processElement1({ key: 'b', ts: 5 }, 5);
    h.processElement1({ key: 'a', ts: 10 }, 10);
    h.clearOutput();
    h.processWatermark1(20);
    expect(h.getRecordOutput()).toEqual([]); // the broadcast input still holds the watermark back
    h.processWatermark2(20);
    expect(h.getOutput()).toEqual([
      { value: 'b@5(EVENT_TIME) count 1 hits []', timestamp: 5 },
      { value: 'a@10(EVENT_TIME) count 2 hits [two]', timestamp: 10 },
      { watermark: 20 },
    ]);
  });

  it('reaches every key’s state from the broadcast side with applyToKeyedState', async () => {
    const h = await keyed().open();
    for (const key of ['x', 'y', 'x', 'z', 'x']) h.processElement1({ key, ts: 100 });
    h.processElement2({ name: 'reset', threshold: null });
    h.processElement1({ key: 'x', ts: 100 });
    expect(h.extractOutputValues().slice(-2)).toEqual(['reset x=3 y=1 z=1', 'x count 1']);
  });

  it('snapshots keyed state, timers and broadcast state; a restored harness continues where it left off', async () => {
    const h = await keyed().open();
    h.processElement2({ name: 'two', threshold: 2 });
    h.processElement1({ key: 'a', ts: 30 }, 30);
    h.processElement1({ key: 'a', ts: 30 }, 30);
    const snapshot = h.snapshot();

    const restored = keyed();
    restored.initializeState(snapshot);
    await restored.open();
    expect(restored.numEventTimeTimers()).toBe(1);
    restored.processElement1({ key: 'a', ts: 30 }, 30);
    restored.processBothWatermarks(30);
    expect(restored.extractOutputValues()).toEqual(['a count 3', 'a@30(EVENT_TIME) count 3 hits [two]']);
  });

  it('refuses a keyed broadcast operator on a non-keyed input', async () => {
    const h = new TwoInputStreamOperatorTestHarness<{ key: string; ts: number }, Rule, string>(new CoBroadcastWithKeyedOperator(new KeyedCounts(), [RULES]));
    await expect(h.open()).rejects.toThrow(/not keyed/);
  });
});
