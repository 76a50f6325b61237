import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { BEFORE, INTERVAL, SLIDE, TUMBLE, eventAt, type Ev } from './jobs/join.job.js';

const JOB = new URL('./jobs/join.job.ts', import.meta.url);
const EVENTS = 1500;
const KEYS = 7;

/**
 * Nested-loop references over the same input, written from Flink's documented semantics with
 * plain arrays: no event is late (see the job), so an interval join emits every pair within the
 * bounds, and a window join every pair sharing a key and a window, once per shared window.
 */
const lefts = Array.from({ length: EVENTS }, (_, i) => eventAt('L', i, KEYS));
const rights = Array.from({ length: EVENTS }, (_, i) => eventAt('R', i, KEYS));

type Row = [number, number, number, number]; // left id, right id, join timestamp, record timestamp

function intervalReference(lower: number, upper: number, lowerInclusive: boolean, upperInclusive: boolean): Row[] {
  const rows: Row[] = [];
  for (const a of lefts) {
    for (const b of rights) {
      if (a.key !== b.key) continue;
      const lo = a.ts + lower;
      const hi = a.ts + upper;
      if ((lowerInclusive ? b.ts >= lo : b.ts > lo) && (upperInclusive ? b.ts <= hi : b.ts < hi)) {
        const ts = Math.max(a.ts, b.ts);
        rows.push([a.id, b.id, ts, ts]);
      }
    }
  }
  return rows;
}

/** Window starts of `ts` for windows of `size` every `slide` (tumbling: slide = size), offset 0. */
function windowStarts(ts: number, size: number, slide: number): number[] {
  const starts: number[] = [];
  for (let start = ts - (((ts % slide) + slide) % slide); start > ts - size; start -= slide) starts.push(start);
  return starts;
}

/** [left id, right id, window max timestamp] for every pair sharing a key and a window. */
function windowJoinReference(size: number, slide: number): Array<[number, number, number]> {
  const rows: Array<[number, number, number]> = [];
  for (const a of lefts) {
    const starts = new Set(windowStarts(a.ts, size, slide));
    for (const b of rights) {
      if (a.key !== b.key) continue;
      for (const start of windowStarts(b.ts, size, slide)) if (starts.has(start)) rows.push([a.id, b.id, start + size - 1]);
    }
  }
  return rows;
}

/** [key, left count, right count, window max timestamp] for every key and tumbling window with elements. */
function coGroupReference(size: number): Array<[string, number, number, number]> {
  const groups = new Map<string, [string, number, number, number]>();
  const add = (e: Ev) => {
    const start = windowStarts(e.ts, size, size)[0]!;
    const id = `${e.key}|${start}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = [e.key, 0, 0, start + size - 1]));
    if (e.side === 'L') g[1]++;
    else g[2]++;
  };
  lefts.forEach(add);
  rights.forEach(add);
  return [...groups.values()];
}

const sorted = <T extends unknown[]>(rows: T[]): T[] => [...rows].sort((x, y) => x.join('|').localeCompare(y.join('|')));

describe('joins on the MiniCluster against nested-loop references', () => {
  const interval = intervalReference(INTERVAL.lower, INTERVAL.upper, true, true);
  const exclusive = intervalReference(BEFORE.lower, BEFORE.upper, false, false);
  const tumbling = windowJoinReference(TUMBLE, TUMBLE);
  const sliding = windowJoinReference(SLIDE.size, SLIDE.slide);
  const coGroup = coGroupReference(TUMBLE);

  it('the input is not trivial: thousands of pairs, bounds that matter, one-sided groups', () => {
    expect(interval.length).toBeGreaterThan(1000);
    expect(exclusive.length).toBeGreaterThan(1000);
    // Inclusive and exclusive bounds differ on this input.
    expect(intervalReference(BEFORE.lower, BEFORE.upper, true, true).length).toBeGreaterThan(exclusive.length);
    expect(tumbling.length).toBeGreaterThan(1000);
    expect(sliding.length).toBeGreaterThan(tumbling.length);
    expect(coGroup.some((g) => g[1] === 0) && coGroup.some((g) => g[2] === 0)).toBe(true);
  });

  const runs: Array<[number, boolean]> = [
    [1, false],
    [2, false],
    [4, false],
    [2, true],
    [4, true],
  ];
  for (const [parallelism, parallelSources] of runs) {
    it(`interval joins, tumbling and sliding window joins and a window coGroup equal the references at parallelism ${parallelism}${parallelSources ? ', parallel sources' : ''}`, async () => {
      const args = ['--events', String(EVENTS), '--keys', String(KEYS), ...(parallelSources ? ['--parallel-sources'] : [])];
      const { result } = await runJob(JOB, { parallelism, args });
      const r = result!;
      expect(sorted(r.getCollected<Row>('interval'))).toEqual(sorted(interval));
      expect(sorted(r.getCollected<Row>('interval-exclusive'))).toEqual(sorted(exclusive));
      expect(sorted(r.getCollected<[number, number, number]>('tumbling'))).toEqual(sorted(tumbling));
      expect(sorted(r.getCollected<[number, number, number]>('sliding'))).toEqual(sorted(sliding));
      expect(sorted(r.getCollected<[string, number, number, number]>('cogroup'))).toEqual(sorted(coGroup));
    });
  }
});
