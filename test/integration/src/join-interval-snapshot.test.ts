import { describe, expect, it } from 'vitest';
import { assignKeyToParallelOperator, type Collector } from '@riffle/core';
import { IntervalJoinOperator, type IntervalJoinOperatorConfig, type ProcessJoinContext } from '@riffle/datastream';
import { TwoInputStreamOperatorTestHarness, type OperatorSnapshot } from '@riffle/test-utils';

/** One step of a run: an element of either side, or a watermark on both inputs. */
type Step = { kind: 'L' | 'R'; key: string; id: string; ts: number } | { kind: 'W'; ts: number };
type E = readonly [string, string];

const CONFIG: IntervalJoinOperatorConfig<E, E> = { lowerBound: -6, upperBound: 4, upperBoundInclusive: false };
const MAX_PARALLELISM = 128;

/** A seeded run: elements out of order within 5 ms, a watermark (max seen - 6) now and then, never a late element. */
function steps(seed: number, n: number): Step[] {
  let s = seed >>> 0;
  const random = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const out: Step[] = [];
  let base = 0;
  let maxSeen = -Infinity;
  let wm = -Infinity;
  for (let i = 0; i < n; i++) {
    base += Math.floor(random() * 3);
    const ts = base + Math.floor(random() * 5);
    const kind = random() < 0.5 ? 'L' : 'R';
    out.push({ kind, key: `k${Math.floor(random() * 3)}`, id: `${kind}${i}`, ts });
    maxSeen = Math.max(maxSeen, ts);
    if (random() < 0.15 && maxSeen - 6 > wm) out.push({ kind: 'W', ts: (wm = maxSeen - 6) });
  }
  return out;
}

function reference(all: Step[]): string[] {
  const rows: string[] = [];
  for (const a of all) {
    if (a.kind !== 'L') continue;
    for (const b of all) {
      if (b.kind === 'R' && b.key === a.key && b.ts >= a.ts + CONFIG.lowerBound && b.ts < a.ts + CONFIG.upperBound) rows.push(`${a.id}+${b.id}@${Math.max(a.ts, b.ts)}`);
    }
  }
  return rows.sort();
}

const pairs = (a: E, b: E, _ctx: ProcessJoinContext, out: Collector<string>): void => out.collect(`${a[1]}+${b[1]}`);

async function harness(parallelism: number, subtaskIndex: number, restore?: OperatorSnapshot[]) {
  const h = new TwoInputStreamOperatorTestHarness<E, E, string>(() => new IntervalJoinOperator<E, E, string>(pairs, CONFIG), {
    keySelector1: (e: E) => e[0],
    keySelector2: (e: E) => e[0],
    parallelism,
    subtaskIndex,
    maxParallelism: MAX_PARALLELISM,
    operatorName: 'Interval Join',
  });
  if (restore) h.initializeState(restore);
  return h.open();
}

type Harness = Awaited<ReturnType<typeof harness>>;

/** Feeds `run` to the subtasks as keyBy would route it (watermarks go to every subtask). */
function feed(subtasks: Harness[], run: Step[]): void {
  for (const step of run) {
    if (step.kind === 'W') {
      for (const h of subtasks) h.processBothWatermarks(step.ts);
      continue;
    }
    const h = subtasks[assignKeyToParallelOperator(step.key, MAX_PARALLELISM, subtasks.length)]!;
    if (step.kind === 'L') h.processElement1([step.key, step.id], step.ts);
    else h.processElement2([step.key, step.id], step.ts);
  }
}

const emitted = (subtasks: Harness[]): string[] => subtasks.flatMap((h) => h.getRecordOutput().map((r) => `${r.value}@${r.timestamp}`));

describe('interval join snapshot, restore and continue', () => {
  const run = steps(7, 600);
  const cut = 300;
  const expected = reference(run);

  it('the run is not trivial: many pairs, some formed across the cut', () => {
    expect(expected.length).toBeGreaterThan(400);
    const early = new Set(run.slice(0, cut).flatMap((s) => (s.kind === 'W' ? [] : [s.id])));
    expect(expected.some((row) => row.split('@')[0]!.split('+').filter((id) => early.has(id)).length === 1)).toBe(true);
  });

  it('a restored operator continues with the buffered elements and pending cleanup timers of the snapshot', async () => {
    const before = await harness(1, 0);
    feed([before], run.slice(0, cut));
    expect(before.numKeyedStateEntries()).toBeGreaterThan(0);
    expect(before.numEventTimeTimers()).toBeGreaterThan(0);
    const snapshot = before.snapshot();

    const after = await harness(1, 0, [snapshot]);
    expect(after.numEventTimeTimers()).toBe(before.numEventTimeTimers());
    feed([after], run.slice(cut));
    after.processBothWatermarks(Number.POSITIVE_INFINITY);
    expect([...emitted([before]), ...emitted([after])].sort()).toEqual(expected);
    expect(after.numKeyedStateEntries()).toBe(0);
    expect(after.numEventTimeTimers()).toBe(0);
  });

  it('restores at another parallelism (2 → 1 → 3) with the same results', async () => {
    const two = [await harness(2, 0), await harness(2, 1)];
    feed(two, run.slice(0, 200));
    const one = [await harness(1, 0, two.map((h) => h.snapshot()))];
    feed(one, run.slice(200, 400));
    const snapshots = one.map((h) => h.snapshot());
    const three = [await harness(3, 0, snapshots), await harness(3, 1, snapshots), await harness(3, 2, snapshots)];
    feed(three, run.slice(400));
    for (const h of three) h.processBothWatermarks(Number.POSITIVE_INFINITY);
    expect([...emitted(two), ...emitted(one), ...emitted(three)].sort()).toEqual(expected);
    for (const h of three) expect(h.numKeyedStateEntries()).toBe(0);
  });
});
