import type { Collector } from '@riffle/core';
import {
  BroadcastProcessFunction,
  KeyedBroadcastProcessFunction,
  defineJob,
  type BroadcastProcessContext,
  type KeyedBroadcastOnTimerContext,
  type KeyedBroadcastProcessContext,
  type KeyedReadOnlyBroadcastProcessContext,
  type ReadOnlyBroadcastProcessContext,
} from '@riffle/datastream';
import { MapStateDescriptor, ValueStateDescriptor, type ValueState } from '@riffle/state';

/** A rule: an event (or a key's final count) matches when it is divisible by `divisor`. */
export interface Rule {
  readonly id: string;
  readonly divisor: number;
}

export const RULES: readonly Rule[] = [
  { id: 'r2', divisor: 2 },
  { id: 'r3', divisor: 3 },
  { id: 'r5', divisor: 5 },
  { id: 'r7', divisor: 7 },
  { id: 'r10', divisor: 10 },
];

/** What the operator emits: an evaluated event, a rule arriving at a subtask, or a key's final count. */
export type Output =
  | { readonly kind: 'event'; readonly x: number; readonly subtask: number; readonly seen: string[]; readonly matched: string[] }
  | { readonly kind: 'rule'; readonly id: string; readonly subtask: number; readonly stateSize: number }
  | { readonly kind: 'final'; readonly key: number; readonly count: number; readonly matched: string[] };

const RULE_STATE = new MapStateDescriptor<string, Rule>('rules');

function evaluate(value: number, rules: Iterable<readonly [string, Rule]>): { seen: string[]; matched: string[] } {
  const seen: string[] = [];
  const matched: string[] = [];
  for (const [id, rule] of rules) {
    seen.push(id);
    if (value % rule.divisor === 0) matched.push(id);
  }
  return { seen, matched };
}

/** Non-keyed: evaluates each event against the rules this subtask has seen. */
class Evaluate extends BroadcastProcessFunction<number, Rule, Output> {
  processElement(x: number, ctx: ReadOnlyBroadcastProcessContext, out: Collector<Output>): void {
    const subtask = this.getRuntimeContext().getIndexOfThisSubtask();
    out.collect({ kind: 'event', x, subtask, ...evaluate(x, ctx.getBroadcastState(RULE_STATE).immutableEntries()) });
  }

  processBroadcastElement(rule: Rule, ctx: BroadcastProcessContext, out: Collector<Output>): void {
    const state = ctx.getBroadcastState(RULE_STATE);
    state.put(rule.id, rule);
    out.collect({ kind: 'rule', id: rule.id, subtask: this.getRuntimeContext().getIndexOfThisSubtask(), stateSize: [...state.keys()].length });
  }
}

/**
 * Keyed: evaluates each event like {@link Evaluate}, counts events per key in keyed state, and at
 * the end of the input (an event-time timer that only the final watermark reaches) evaluates each
 * key's count against all rules.
 */
class EvaluateKeyed extends KeyedBroadcastProcessFunction<number, number, Rule, Output> {
  private count!: ValueState<number>;

  override open(): void {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', undefined, 0));
  }

  processElement(x: number, ctx: KeyedReadOnlyBroadcastProcessContext<number>, out: Collector<Output>): void {
    this.count.update(this.count.value()! + 1);
    ctx.timerService().registerEventTimeTimer(1);
    const subtask = this.getRuntimeContext().getIndexOfThisSubtask();
    out.collect({ kind: 'event', x, subtask, ...evaluate(x, ctx.getBroadcastState(RULE_STATE).immutableEntries()) });
  }

  processBroadcastElement(rule: Rule, ctx: KeyedBroadcastProcessContext<number>, out: Collector<Output>): void {
    const state = ctx.getBroadcastState(RULE_STATE);
    state.put(rule.id, rule);
    out.collect({ kind: 'rule', id: rule.id, subtask: this.getRuntimeContext().getIndexOfThisSubtask(), stateSize: [...state.keys()].length });
  }

  override onTimer(_timestamp: number, ctx: KeyedBroadcastOnTimerContext<number>, out: Collector<Output>): void {
    const count = this.count.value()!;
    out.collect({ kind: 'final', key: ctx.getCurrentKey(), count, matched: evaluate(count, ctx.getBroadcastState(RULE_STATE).immutableEntries()).matched });
  }
}

export default defineJob((env, params) => {
  const rules = env.fromCollection(RULES).name('Rules').broadcast(RULE_STATE);
  const events = env.fromSequence(0, params.getNumber('events', 1000) - 1);
  const evaluated =
    params.get('variant', 'plain') === 'keyed'
      ? events
          .keyBy((x: number) => x % params.getNumber('keys', 12))
          .connect(rules)
          .process(new EvaluateKeyed())
      : events.connect(rules).process(new Evaluate());
  evaluated.name('Evaluate').addCollectSink('out');
});
