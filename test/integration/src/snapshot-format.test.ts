import { describe, expect, it } from 'vitest';
import {
  assignKeyToParallelOperator,
  KeyedProcessFunction,
  StreamRecord,
  Watermark,
  type Collector,
  type KeyedOnTimerContext,
  type KeyedProcessContext,
  type KeySelector,
  type OneInputStreamOperator,
  type OpenContext,
  type Output,
} from '@riffle/core';
import {
  EventTimeSessionWindows,
  KeyedProcessOperator,
  StreamExecutionEnvironment,
  TimeWindow,
  TumblingEventTimeWindows,
  type DataStream,
  type OneInputTransformation,
} from '@riffle/datastream';
import {
  AbstractStreamOperator,
  ManualProcessingTimeService,
  PROCESSING_TIME_SERVICE,
  restoreOperator,
  snapshotOperator,
  StreamingRuntimeContext,
  type OperatorSnapshotBytes,
} from '@riffle/runtime';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';

/**
 * Operators go through the checkpoint byte format (snapshotOperator → bytes → restoreOperator)
 * at one parallelism and continue at another; the output must equal an unbroken run's.
 */

const MAX_PARALLELISM = 128;

type Op<IN, OUT> = AbstractStreamOperator<OUT> & OneInputStreamOperator<IN, OUT>;

/** One operator subtask driven by hand: manual clock, collected output (`value@timestamp`). */
interface Subtask<IN, OUT> {
  readonly operator: Op<IN, OUT>;
  readonly clock: ManualProcessingTimeService;
  readonly emitted: string[];
}

function subtask<IN, OUT>(create: () => Op<IN, OUT>, key: KeySelector<IN, unknown>, parallelism: number, index: number, time: number): Subtask<IN, OUT> {
  const emitted: string[] = [];
  const output: Output<OUT> = {
    collect: (r) => emitted.push(`${JSON.stringify(r.value)}@${r.hasTimestamp() ? r.timestamp : '-'}`),
    collectSide: () => {},
    emitWatermark: () => {},
    emitWatermarkStatus: () => {},
  };
  const clock = new ManualProcessingTimeService(time);
  const operator = create();
  operator.setup({
    output,
    runtimeContext: new StreamingRuntimeContext('op', index, parallelism, MAX_PARALLELISM, 0, 'job'),
    keySelectors: [key],
    services: new Map([[PROCESSING_TIME_SERVICE, clock]]),
  });
  return { operator, clock, emitted };
}

/** Opens `parallelism` subtasks, fresh or restored from `pieces` (the bytes of every old subtask, in subtask order). */
async function start<IN, OUT>(create: () => Op<IN, OUT>, key: KeySelector<IN, unknown>, parallelism: number, pieces?: OperatorSnapshotBytes[], time = 0) {
  const subtasks = Array.from({ length: parallelism }, (_, i) => subtask(create, key, parallelism, i, time));
  for (const [i, s] of subtasks.entries()) {
    if (pieces) restoreOperator(s.operator, pieces, parallelism, i);
    else s.operator.initializeOperatorState(undefined);
    await s.operator.open();
  }
  return subtasks;
}

type Step<IN> = { element: IN; ts: number } | { watermark: number } | { time: number };

/** Feeds steps: elements to the subtask owning their key, watermarks and processing time to all. */
function run<IN, OUT>(subtasks: Subtask<IN, OUT>[], key: KeySelector<IN, unknown>, steps: Step<IN>[]): void {
  for (const step of steps) {
    if ('element' in step) {
      const owner = subtasks[assignKeyToParallelOperator(key.getKey(step.element), MAX_PARALLELISM, subtasks.length)]!;
      owner.operator.processElement(new StreamRecord(step.element, step.ts));
    } else if ('watermark' in step) {
      for (const s of subtasks) s.operator.processWatermark(new Watermark(step.watermark));
    } else {
      for (const s of subtasks) s.clock.advanceTo(step.time);
    }
  }
}

const output = (subtasks: Subtask<unknown, unknown>[]): string[] => subtasks.flatMap((s) => s.emitted).sort();

/** Runs `steps` unbroken at parallelism 1, and cut after `cut` steps: bytes at `from`, restored at `to`. */
async function compare<IN, OUT>(create: () => Op<IN, OUT>, key: KeySelector<IN, unknown>, steps: Step<IN>[], cut: number, from: number, to: number) {
  const unbroken = await start(create, key, 1);
  run(unbroken, key, steps);
  const before = await start(create, key, from);
  run(before, key, steps.slice(0, cut));
  const pieces = before.map((s) => snapshotOperator(s.operator, 1, 0));
  // The restored subtasks' clocks start where the old ones stopped (a restarted task reads the wall clock).
  const after = await start(create, key, to, pieces, before[0]!.clock.getCurrentProcessingTime());
  const restoredTimers = after.flatMap((s) => [...s.operator.getTimerServices().values()].flatMap((t) => t.snapshot().eventTime));
  run(after, key, steps.slice(cut));
  return {
    expected: output(unbroken as Subtask<unknown, unknown>[]),
    actual: [...output(before as Subtask<unknown, unknown>[]), ...output(after as Subtask<unknown, unknown>[])].sort(),
    restoredTimers,
  };
}

/** The operator that produces `stream`, with its key selector. */
function operatorOf<IN, OUT>(stream: DataStream<OUT>): { create: () => Op<IN, OUT>; key: KeySelector<IN, unknown> } {
  const t = stream.getTransformation() as OneInputTransformation<IN, OUT>;
  return { create: () => t.operatorFactory() as Op<IN, OUT>, key: t.keySelector! };
}

type Click = [string, number];

/** Seeded clicks over 9 keys, timestamps rising with jitter, a watermark now and then (never a late element). */
function clicks(seed: number, n: number): Step<Click>[] {
  let s = seed >>> 0;
  const random = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const steps: Step<Click>[] = [];
  let base = 0;
  let watermark = -1;
  for (let i = 0; i < n; i++) {
    base += Math.floor(random() * 4);
    const ts = base + Math.floor(random() * 6);
    steps.push({ element: [`user${Math.floor(random() * 9)}`, i], ts });
    if (random() < 0.2 && base - 7 > watermark) steps.push({ watermark: (watermark = base - 7) });
  }
  steps.push({ watermark: Number.MAX_SAFE_INTEGER });
  return steps;
}

const env = () => new StreamExecutionEnvironment().fromElements<Click>(['x', 0]).keyBy((c) => c[0]);

describe('operator snapshots through the checkpoint byte format', () => {
  const tumbling = operatorOf<Click, Click>(env().window(TumblingEventTimeWindows.of(10)).reduce((a, b) => [a[0], a[1] + b[1]]));
  const sessions = operatorOf<Click, string>(
    env()
      .window(EventTimeSessionWindows.withGap(6))
      .apply((key: string, w: TimeWindow, elements: Iterable<Click>, out: Collector<string>) => {
        out.collect(`${key} [${w.start},${w.end}) ${[...elements].map((c) => c[1]).join(',')}`);
      }),
  );
  const steps = clicks(7, 300);
  const cut = 150;

  for (const [from, to] of [
    [1, 2],
    [2, 1],
  ] as const) {
    it(`a tumbling window operator restored at parallelism ${from} → ${to} fires exactly the windows of an unbroken run`, async () => {
      const { expected, actual, restoredTimers } = await compare(tumbling.create, tumbling.key, steps, cut, from, to);
      expect(restoredTimers.length).toBeGreaterThan(3);
      for (const t of restoredTimers) expect(t.namespace).toBeInstanceOf(TimeWindow);
      expect(expected.length).toBeGreaterThan(50);
      expect(actual).toEqual(expected);
    });

    it(`a session window operator (merging windows) restored at parallelism ${from} → ${to} fires exactly the sessions of an unbroken run`, async () => {
      const { expected, actual, restoredTimers } = await compare(sessions.create, sessions.key, steps, cut, from, to);
      expect(restoredTimers.length).toBeGreaterThan(3);
      for (const t of restoredTimers) expect(t.namespace).toBeInstanceOf(TimeWindow);
      expect(expected.length).toBeGreaterThan(20);
      expect(actual).toEqual(expected);
    });
  }

  /** Counts per key in ValueState; an event-time timer at ts + 5 and a processing-time timer at the next full 100 emit the count. */
  class CountWithTimers extends KeyedProcessFunction<string, Click, string> {
    private count!: ValueState<number>;
    override open(_ctx: OpenContext): void {
      this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', undefined, 0));
    }
    processElement(c: Click, ctx: KeyedProcessContext<string>, _out: Collector<string>): void {
      this.count.update(this.count.value()! + 1);
      ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 5);
      ctx.timerService().registerProcessingTimeTimer((Math.floor(ctx.timerService().currentProcessingTime() / 100) + 1) * 100);
    }
    override onTimer(timestamp: number, ctx: KeyedOnTimerContext<string>, out: Collector<string>): void {
      out.collect(`${ctx.getCurrentKey()} ${ctx.timeDomain() === 'EVENT_TIME' ? 'e' : 'p'}${timestamp} count=${this.count.value()}`);
    }
  }

  const keyed = { create: () => new KeyedProcessOperator<string, Click, string>(new CountWithTimers()) as Op<Click, string>, key: { getKey: (c: Click) => c[0] } };
  /** The clicks with processing time advancing by 30 every 10 steps. */
  const timed: Step<Click>[] = steps.flatMap((step, i) => (i % 10 === 9 ? [step, { time: (i + 1) * 3 }] : [step]));
  timed.push({ time: 10_000 });

  for (const [from, to] of [
    [1, 2],
    [2, 1],
    [2, 3],
  ] as const) {
    it(`a KeyedProcessOperator with ValueState and event- and processing-time timers continues at parallelism ${from} → ${to} as an unbroken run`, async () => {
      const cutAt = timed.findIndex((s, i) => i > 100 && 'time' in s) + 1; // processing time in both runs is equal at the cut
      const { expected, actual, restoredTimers } = await compare(keyed.create, keyed.key, timed, cutAt, from, to);
      expect(restoredTimers.length).toBeGreaterThan(0);
      expect(expected.some((line) => line.includes(' p'))).toBe(true);
      expect(actual).toEqual(expected);
    });
  }
});
