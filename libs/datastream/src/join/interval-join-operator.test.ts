import { OutputTag, StreamRecord, Watermark, type Collector } from '@riffle/core';
import type { HeapKeyedStateBackend, MapState } from '@riffle/state';
import { describe, expect, it } from 'vitest';
import { openOperator, type CollectingOutput } from '../testing/operator-test-utils.js';
import { IntervalJoinOperator, LEFT_BUFFER_STATE, RIGHT_BUFFER_STATE, type IntervalJoinOperatorConfig } from './interval-join-operator.js';
import { ProcessJoinFunction, type ProcessJoinContext } from './process-join-function.js';

/** An element: [key, id]. */
type E = readonly [string, string];
const byKey = { getKey: (e: E) => e[0] };

/** Emits `left.id+right.id` for each pair. */
const pairs = (left: E, right: E, _ctx: ProcessJoinContext, out: Collector<string>): void => out.collect(`${left[1]}+${right[1]}`);

class Harness {
  output!: CollectingOutput<string>;

  constructor(readonly operator: IntervalJoinOperator<E, E, string>) {}

  static async of(config: IntervalJoinOperatorConfig<E, E>, fn: ConstructorParameters<typeof IntervalJoinOperator<E, E, string>>[0] = pairs): Promise<Harness> {
    const h = new Harness(new IntervalJoinOperator<E, E, string>(fn, config));
    h.output = (await openOperator<string, IntervalJoinOperator<E, E, string>>(h.operator, { keySelectors: [byKey, byKey], taskName: 'Interval Join' })).output;
    return h;
  }

  left(key: string, id: string, ts: number): this {
    this.operator.processElement1(new StreamRecord<E>([key, id], ts));
    return this;
  }

  right(key: string, id: string, ts: number): this {
    this.operator.processElement2(new StreamRecord<E>([key, id], ts));
    return this;
  }

  watermark(ts: number): this {
    this.operator.processWatermark1(new Watermark(ts));
    this.operator.processWatermark2(new Watermark(ts));
    return this;
  }

  /** Emitted values so far (sorted), forgetting them. */
  take(): string[] {
    const values = this.output.values().sort();
    this.output.records.length = 0;
    return values;
  }

  backend(): HeapKeyedStateBackend<unknown> {
    return this.operator.getStateBackendForTesting();
  }

  /** Buffered timestamps of one side for `key`. */
  buffered(side: 'left' | 'right', key: string): number[] {
    const found: number[] = [];
    this.backend().applyToAllKeys<MapState<number, E[]>>(side === 'left' ? LEFT_BUFFER_STATE : RIGHT_BUFFER_STATE, (k, state) => {
      if (k === key) found.push(...state.keys());
    });
    return found.sort((a, b) => a - b);
  }
}

describe('IntervalJoinOperator', () => {
  it('joins right elements whose timestamp lies within [left + lower, left + upper], bounds inclusive', async () => {
    const h = await Harness.of({ lowerBound: -1, upperBound: 2 });
    h.left('k', 'a', 10);
    for (const ts of [8, 9, 10, 12, 13]) h.right('k', `r${ts}`, ts);
    expect(h.take()).toEqual(['a+r10', 'a+r12', 'a+r9']);
    // The same pairs form when the right elements come first.
    const g = await Harness.of({ lowerBound: -1, upperBound: 2 });
    for (const ts of [8, 9, 10, 12, 13]) g.right('k', `r${ts}`, ts);
    g.left('k', 'a', 10);
    expect(g.take()).toEqual(['a+r10', 'a+r12', 'a+r9']);
  });

  it('leaves out the timestamps on an exclusive lower or upper bound', async () => {
    for (const [lowerBoundInclusive, upperBoundInclusive, expected] of [
      [false, true, ['a+r10', 'a+r12']],
      [true, false, ['a+r10', 'a+r9']],
      [false, false, ['a+r10']],
    ] as const) {
      const h = await Harness.of({ lowerBound: -1, upperBound: 2, lowerBoundInclusive, upperBoundInclusive });
      h.left('k', 'a', 10);
      for (const ts of [8, 9, 10, 12, 13]) h.right('k', `r${ts}`, ts);
      expect(h.take()).toEqual(expected);
      // …from either side.
      const g = await Harness.of({ lowerBound: -1, upperBound: 2, lowerBoundInclusive, upperBoundInclusive });
      for (const ts of [8, 9, 10, 12, 13]) g.right('k', `r${ts}`, ts);
      g.left('k', 'a', 10);
      expect(g.take()).toEqual(expected);
    }
  });

  it('handles intervals entirely before the left element (negative bounds)', async () => {
    const h = await Harness.of({ lowerBound: -5, upperBound: -2 });
    h.left('k', 'a', 20);
    for (const ts of [14, 15, 17, 18, 19, 20, 22]) h.right('k', `r${ts}`, ts);
    expect(h.take()).toEqual(['a+r15', 'a+r17', 'a+r18']);
  });

  it('joins only elements of the same key', async () => {
    const h = await Harness.of({ lowerBound: 0, upperBound: 0 });
    h.left('x', 'a', 5).left('y', 'b', 5).right('x', 'c', 5).right('z', 'd', 5).right('y', 'e', 5);
    expect(h.take()).toEqual(['a+c', 'b+e']);
  });

  it('stamps results with the larger timestamp and gives both timestamps to the function and its side outputs', async () => {
    const tag = new OutputTag<string>('pairs');
    class Describe extends ProcessJoinFunction<E, E, string> {
      processElement(left: E, right: E, ctx: ProcessJoinContext, out: Collector<string>): void {
        out.collect(`${left[1]}@${ctx.getLeftTimestamp()} ${right[1]}@${ctx.getRightTimestamp()} -> ${ctx.getTimestamp()}`);
        ctx.output(tag, `${left[1]}${right[1]}`);
      }
    }
    const h = await Harness.of({ lowerBound: -10, upperBound: 10 }, new Describe());
    h.left('k', 'a', 7).right('k', 'b', 3).right('k', 'c', 12);
    expect(h.output.records).toEqual([
      { value: 'a@7 b@3 -> 7', timestamp: 7 },
      { value: 'a@7 c@12 -> 12', timestamp: 12 },
    ]);
    expect(h.output.side.get('pairs')).toEqual([
      { value: 'ab', timestamp: 7 },
      { value: 'ac', timestamp: 12 },
    ]);
  });

  it('opens and closes a rich ProcessJoinFunction with the runtime context', async () => {
    const events: string[] = [];
    class Rich extends ProcessJoinFunction<E, E, string> {
      override open(): void {
        events.push(`open ${this.getRuntimeContext().getTaskName()}`);
      }
      processElement(left: E, right: E, _ctx: ProcessJoinContext, out: Collector<string>): void {
        out.collect(`${left[1]}${right[1]}`);
      }
      override close(): void {
        events.push('close');
      }
    }
    const h = await Harness.of({ lowerBound: 0, upperBound: 0 }, new Rich());
    h.left('k', 'a', 1).right('k', 'b', 1);
    await h.operator.close();
    expect(h.take()).toEqual(['ab']);
    expect(events).toEqual(['open Interval Join', 'close']);
  });

  it('drops and counts elements behind the watermark, on both sides, and joins nothing with them', async () => {
    const h = await Harness.of({ lowerBound: -100, upperBound: 100 });
    h.left('k', 'a', 50).watermark(40);
    h.left('k', 'late-l', 39).right('k', 'late-r', 10).right('k', 'on-time', 40);
    expect(h.take()).toEqual(['a+on-time']);
    expect(h.operator.getNumLateRecordsDropped()).toBe(2);
  });

  it('routes late elements to the late-data side outputs of their side, with their timestamps', async () => {
    const leftLate = new OutputTag<E>('left-late');
    const rightLate = new OutputTag<E>('right-late');
    const h = await Harness.of({ lowerBound: -100, upperBound: 100, leftLateDataOutputTag: leftLate, rightLateDataOutputTag: rightLate });
    h.watermark(40).left('k', 'l', 39).right('k', 'r', 12).left('k', 'ok', 41);
    expect(h.output.side.get('left-late')).toEqual([{ value: ['k', 'l'], timestamp: 39 }]);
    expect(h.output.side.get('right-late')).toEqual([{ value: ['k', 'r'], timestamp: 12 }]);
    expect(h.take()).toEqual([]);
    expect(h.operator.getNumLateRecordsDropped()).toBe(0);
  });

  it('keeps left elements until the watermark reaches ts + upper and right ones until ts - lower, then removes them', async () => {
    const h = await Harness.of({ lowerBound: -3, upperBound: 2 });
    h.left('k', 'a', 10).right('k', 'b', 10);
    h.watermark(11);
    expect(h.buffered('left', 'k')).toEqual([10]);
    expect(h.buffered('right', 'k')).toEqual([10]);
    h.right('k', 'c', 12); // still joins the buffered left element
    expect(h.take()).toEqual(['a+b', 'a+c']);
    h.watermark(12);
    expect(h.buffered('left', 'k')).toEqual([]); // 10 + 2 reached
    expect(h.buffered('right', 'k')).toEqual([10, 12]);
    h.watermark(13);
    expect(h.buffered('right', 'k')).toEqual([12]); // 10 + 3 reached
    h.watermark(15);
    expect(h.backend().numKeys()).toBe(0);
    expect(h.operator.numCleanupTimersForTesting()).toBe(0);
  });

  it('cleans a bucket at its own timestamp on the side whose bound points backwards', async () => {
    // [-4, -1]: a left element only meets earlier right ones, so it goes at its own timestamp.
    const h = await Harness.of({ lowerBound: -4, upperBound: -1 });
    h.left('k', 'a', 10).right('k', 'b', 10);
    h.watermark(10);
    expect(h.buffered('left', 'k')).toEqual([]);
    expect(h.buffered('right', 'k')).toEqual([10]);
    h.watermark(14);
    expect(h.backend().numKeys()).toBe(0);
    // [1, 4]: a right element only meets earlier left ones.
    const g = await Harness.of({ lowerBound: 1, upperBound: 4 });
    g.left('k', 'a', 10).right('k', 'b', 10);
    g.watermark(10);
    expect(g.buffered('left', 'k')).toEqual([10]);
    expect(g.buffered('right', 'k')).toEqual([]);
    g.watermark(14);
    expect(g.backend().numKeys()).toBe(0);
  });

  it('empties all state once the watermark passes every element (many keys, both sides)', async () => {
    const h = await Harness.of({ lowerBound: -7, upperBound: 3 });
    for (let i = 0; i < 200; i++) {
      const key = `k${i % 13}`;
      if (i % 3 === 0) h.right(key, `r${i}`, i);
      else h.left(key, `l${i}`, i);
      if (i % 20 === 0) h.watermark(i - 5);
    }
    expect(h.backend().numKeys()).toBeGreaterThan(0);
    h.watermark(199 + 7);
    expect(h.backend().numKeys()).toBe(0);
    expect(h.operator.numCleanupTimersForTesting()).toBe(0);
  });

  it('emits exactly the pairs of a nested-loop reference over the on-time elements (seeded random bounds, order and watermarks)', async () => {
    const random = mulberry32(20240611);
    const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
    for (let trial = 0; trial < 40; trial++) {
      const lowerBound = int(-12, 6);
      const upperBound = lowerBound + int(0, 12);
      const lowerBoundInclusive = random() < 0.5;
      const upperBoundInclusive = random() < 0.5;
      const h = await Harness.of({ lowerBound, upperBound, lowerBoundInclusive, upperBoundInclusive });
      const bound = 5;
      const accepted: Array<{ side: 'left' | 'right'; key: string; id: string; ts: number }> = [];
      let base = 0;
      let maxSeen = -Infinity;
      let watermark = -Infinity;
      let late = 0;
      for (let i = 0; i < 150; i++) {
        base += int(0, 2);
        const side = random() < 0.5 ? 'left' : 'right';
        const key = `k${int(0, 2)}`;
        const id = `${side[0]}${i}`;
        if (watermark > 0 && random() < 0.08) {
          late++;
          h[side](key, id, watermark - 1 - int(0, 10)); // behind the watermark: dropped
        } else {
          const ts = base + int(0, bound); // never at or behind the watermark (maxSeen - bound - 1)
          h[side](key, id, ts);
          accepted.push({ side, key, id, ts });
          maxSeen = Math.max(maxSeen, ts);
        }
        if (random() < 0.2 && maxSeen - bound - 1 > watermark) h.watermark((watermark = maxSeen - bound - 1));
      }
      h.watermark(Number.POSITIVE_INFINITY);
      const inRange = (ts: number, lo: number, hi: number): boolean => (lowerBoundInclusive ? ts >= lo : ts > lo) && (upperBoundInclusive ? ts <= hi : ts < hi);
      const expected: string[] = [];
      for (const a of accepted) {
        if (a.side !== 'left') continue;
        for (const b of accepted) {
          if (b.side === 'right' && b.key === a.key && inRange(b.ts, a.ts + lowerBound, a.ts + upperBound)) expected.push(`${a.id}+${b.id}@${Math.max(a.ts, b.ts)}`);
        }
      }
      const actual = h.output.records.map((r) => `${r.value}@${r.timestamp}`);
      expect(actual.sort(), `trial ${trial}: [${lowerBound}, ${upperBound}] ${lowerBoundInclusive}/${upperBoundInclusive}`).toEqual(expected.sort());
      expect(h.operator.getNumLateRecordsDropped()).toBe(late);
      expect(h.backend().numKeys()).toBe(0);
    }
  });

  it('fails on a record without a timestamp, naming the operator', async () => {
    const h = await Harness.of({ lowerBound: 0, upperBound: 1 });
    expect(() => h.operator.processElement2(new StreamRecord<E>(['k', 'x']))).toThrow(/Interval join operator 'Interval Join': a record of the right input has no event timestamp/);
  });

  it('rejects a lower bound above the upper bound', () => {
    expect(() => new IntervalJoinOperator<E, E, string>(pairs, { lowerBound: 3, upperBound: 2 })).toThrow(/lowerBound <= upperBound/);
  });
});

/** A small seeded PRNG (mulberry32), so failures reproduce. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
