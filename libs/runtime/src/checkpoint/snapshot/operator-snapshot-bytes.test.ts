import { assignKeyToParallelOperator, StreamRecord, Types, Watermark, type OneInputStreamOperator, type Output } from '@riffle/core';
import { ListStateDescriptor, ValueStateDescriptor, VoidNamespace, type ListState, type ValueState } from '@riffle/state';
import { describe, expect, it } from 'vitest';
import { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js';
import type { FunctionInitializationContext } from '../../state/checkpointed-function.js';
import { ManualProcessingTimeService, PROCESSING_TIME_SERVICE } from '../../tasks/processing-time-service.js';
import { StreamingRuntimeContext } from '../../tasks/runtime-context.js';
import type { InternalTimer, InternalTimerService } from '../../timers/internal-timer-service.js';
import { restoreOperator, snapshotOperator, type OperatorSnapshotBytes } from './operator-snapshot-bytes.js';

interface Event {
  key: string;
  ts: number;
}

const MAX_PARALLELISM = 128;

/**
 * Per key: counts elements (ValueState), registers an event-time timer at ts + 10 and a
 * processing-time timer at 100; timers emit the key's count. Operator state: the elements this
 * subtask saw (split list state).
 */
class CountingTimerOperator extends AbstractStreamOperator<string> implements OneInputStreamOperator<Event, string> {
  private count!: ValueState<number>;
  private timers!: InternalTimerService<VoidNamespace>;
  private seen!: ListState<string>;
  private readonly out = new StreamRecord<string>('');

  constructor(private readonly timerServiceName = 'user-timers') {
    super();
  }

  protected override initializeState(context: FunctionInitializationContext): void {
    this.seen = context.getOperatorStateStore().getListState(new ListStateDescriptor<string>('seen', Types.STRING));
  }

  override open(): void {
    this.count = this.getKeyedStateBackend().getPartitionedState(new ValueStateDescriptor<number>('count', Types.NUMBER));
    this.timers = this.getInternalTimerService<VoidNamespace>(this.timerServiceName, () => '', {
      onEventTime: (t) => this.fire('E', t),
      onProcessingTime: (t) => this.fire('P', t),
    });
  }

  processElement(record: StreamRecord<Event>): void {
    this.setKeyContextElement(record);
    this.count.update((this.count.value() ?? 0) + 1);
    this.timers.registerEventTimeTimer(VoidNamespace.INSTANCE, record.value.ts + 10);
    this.timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, 100);
    this.seen.add(record.value.key);
  }

  seenHere(): string[] {
    return [...this.seen.get()];
  }

  private fire(domain: string, timer: InternalTimer<unknown, VoidNamespace>): void {
    this.out.value = `${domain} ${String(timer.key)} count=${this.count.value()} t=${timer.timestamp}`;
    this.output.collect(this.out);
  }
}

/** A subtask of the operator: set up with a manual clock, collecting its output. */
function subtask(parallelism: number, index: number, serviceName?: string) {
  const emitted: string[] = [];
  const output: Output<string> = {
    collect: (r) => emitted.push(r.value),
    collectSide: () => {},
    emitWatermark: () => {},
    emitWatermarkStatus: () => {},
  };
  const clock = new ManualProcessingTimeService(0);
  const operator = new CountingTimerOperator(serviceName);
  operator.setup({
    output,
    runtimeContext: new StreamingRuntimeContext('counting', index, parallelism, MAX_PARALLELISM, 0, 'job'),
    keySelectors: [{ getKey: (e: Event) => e.key }],
    services: new Map([[PROCESSING_TIME_SERVICE, clock]]),
  });
  return { operator, emitted, clock };
}

type Subtask = ReturnType<typeof subtask>;

const KEYS = Array.from({ length: 12 }, (_, i) => `k${i}`);
const FIRST: Event[] = KEYS.map((key, i) => ({ key, ts: i }));
const SECOND: Event[] = KEYS.map((key, i) => ({ key, ts: 20 + i }));

/** Routes each event to the subtask owning its key (the key's group in the subtask's range). */
function feed(subtasks: Subtask[], events: Event[]): void {
  for (const e of events) subtasks[assignKeyToParallelOperator(e.key, MAX_PARALLELISM, subtasks.length)]!.operator.processElement(new StreamRecord(e, e.ts));
}

function finish(subtasks: Subtask[]): string[] {
  for (const s of subtasks) s.operator.processWatermark(new Watermark(1000));
  for (const s of subtasks) s.clock.advanceTo(1000);
  return subtasks.flatMap((s) => s.emitted).sort();
}

async function openFresh(parallelism: number): Promise<Subtask[]> {
  const subtasks = Array.from({ length: parallelism }, (_, i) => subtask(parallelism, i));
  for (const s of subtasks) {
    s.operator.initializeOperatorState(undefined);
    await s.operator.open();
  }
  return subtasks;
}

async function restoreAt(pieces: OperatorSnapshotBytes[], parallelism: number): Promise<Subtask[]> {
  const subtasks = Array.from({ length: parallelism }, (_, i) => subtask(parallelism, i));
  for (const [i, s] of subtasks.entries()) {
    restoreOperator(s.operator, pieces, parallelism, i);
    await s.operator.open();
  }
  return subtasks;
}

describe('snapshotOperator / restoreOperator', () => {
  it('writes keyed state, operator state and timers as separate versioned blobs', async () => {
    const [s] = await openFresh(1);
    feed([s!], FIRST);
    const bytes = snapshotOperator(s!.operator, 1, 0);
    expect(Buffer.from(bytes.keyed!.subarray(0, 5)).toString('latin1')).toBe('RSKS\x01');
    expect(Buffer.from(bytes.operator!.subarray(0, 5)).toString('latin1')).toBe('RSOP\x01');
    expect(Buffer.from(bytes.timers!.subarray(0, 5)).toString('latin1')).toBe('RTMS\x01');
  });

  for (const [from, to] of [
    [1, 2],
    [2, 1],
    [2, 3],
  ] as const) {
    it(`continues from bytes at parallelism ${from} → ${to} exactly as an unbroken run`, async () => {
      const unbroken = await openFresh(1);
      feed(unbroken, FIRST);
      feed(unbroken, SECOND);
      const expected = finish(unbroken);

      const before = await openFresh(from);
      feed(before, FIRST);
      const pieces = before.map((s) => snapshotOperator(s.operator));
      const after = await restoreAt(pieces, to);
      expect(after.reduce((n, s) => n + s.operator.getTimerServices().get('user-timers')!.numEventTimeTimers(), 0)).toBe(KEYS.length);
      feed(after, SECOND);
      expect(finish(after)).toEqual(expected);
      expect(expected).toContain('E k3 count=2 t=33');
      expect(expected.filter((line) => line.startsWith('P'))).toHaveLength(KEYS.length);
      // Operator state: every element seen before the snapshot is in exactly one new subtask.
      const seenBefore = after.flatMap((s) => s.operator.seenHere());
      expect(seenBefore.slice().sort()).toEqual([...KEYS, ...KEYS].sort());
    });
  }

  it('carries restored timers of a service the operator did not create again into the next snapshot', async () => {
    const [before] = await openFresh(1);
    feed([before!], FIRST);
    const pieces = [snapshotOperator(before!.operator)];
    const renamed = subtask(1, 0, 'other-timers');
    restoreOperator(renamed.operator, pieces, 1, 0);
    await renamed.operator.open();
    expect([...renamed.operator.getPendingTimerRestores().keys()]).toEqual(['user-timers']);
    const [again] = await restoreAt([snapshotOperator(renamed.operator)], 1);
    expect(again!.operator.getTimerServices().get('user-timers')!.numEventTimeTimers()).toBe(KEYS.length);
  });

  it('refuses a damaged blob', () => {
    const s = subtask(1, 0);
    expect(() => restoreOperator(s.operator, [{ timers: new Uint8Array([1, 2, 3, 4, 1]) }], 1, 0)).toThrow(/bad magic/);
  });
});
