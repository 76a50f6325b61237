import { describe, expect, it } from 'vitest';
import { KeyedProcessOperator, runJob } from '@riffle/datastream';
import { KeyedOneInputStreamOperatorTestHarness } from '@riffle/test-utils';
import {
  COUNTS_COLLECT_ID,
  RANKINGS_COLLECT_ID,
  SITE_CLICK_OUT_OF_ORDERNESS_MS,
  TOP_N_WINDOW_SIZE,
  TOP_N_WINDOW_SLIDE,
  TopPages,
  formatRanking,
  siteClickAt,
  type PageRanking,
  type PageViewCount,
  type SiteClick,
} from './top-n.job.js';

const JOB = new URL('./top-n.job.ts', import.meta.url);
const VIEWS = 5400;
const TOP = 4;
const LATE_RATE = 0.03;
const SEED = 21;
const SIZE = TOP_N_WINDOW_SIZE.toMilliseconds();
const SLIDE = TOP_N_WINDOW_SLIDE.toMilliseconds();

/**
 * Sliding windows by Flink's rules, with plain maps, over the views in arrival order: a view at
 * `ts` belongs to the windows [start, start + size) with start a multiple of the slide in
 * (ts − size, ts]; it counts in each of them that has not fired yet (its `end − 1` is after the
 * current watermark: allowed lateness 0). The watermark follows each view: max seen − bound − 1.
 * Then, per window end, the pages by count (descending), ties by name, the first `top`.
 */
function reference(views: readonly SiteClick[], top: number): { counts: PageViewCount[]; rankings: PageRanking[]; dropped: number; partlyCounted: number } {
  const byWindow = new Map<number, Map<string, number>>();
  let watermark = Number.NEGATIVE_INFINITY;
  let dropped = 0;
  let partlyCounted = 0;
  for (const v of views) {
    let counted = 0;
    let windows = 0;
    for (let start = v.timestamp - (v.timestamp % SLIDE); start > v.timestamp - SIZE; start -= SLIDE) {
      windows++;
      const end = start + SIZE;
      if (end - 1 <= watermark) continue;
      counted++;
      const pages = byWindow.get(end) ?? new Map<string, number>();
      byWindow.set(end, pages);
      pages.set(v.page, (pages.get(v.page) ?? 0) + 1);
    }
    if (counted === 0) dropped++;
    else if (counted < windows) partlyCounted++;
    watermark = Math.max(watermark, v.timestamp - SITE_CLICK_OUT_OF_ORDERNESS_MS - 1);
  }
  const counts: PageViewCount[] = [];
  const rankings: PageRanking[] = [];
  for (const [windowEnd, pages] of byWindow) {
    for (const [page, count] of pages) counts.push({ page, windowEnd, count });
    const ranked = [...pages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    rankings.push({ windowEnd, top: ranked.slice(0, top).map(([page, count]) => ({ page, count })) });
  }
  return { counts, rankings, dropped, partlyCounted };
}

const sortCounts = (c: readonly PageViewCount[]) => [...c].sort((a, b) => a.windowEnd - b.windowEnd || (a.page < b.page ? -1 : 1));
const sortRankings = (r: readonly PageRanking[]) => [...r].sort((a, b) => a.windowEnd - b.windowEnd);

describe('sliding-window top-N pages', () => {
  const views = Array.from({ length: VIEWS }, (_, i) => siteClickAt(i, SEED, { lateRate: LATE_RATE }));
  const expected = reference(views, TOP);

  it('the input has late views (some dropped, some counted only in later windows) and rankings that change', () => {
    expect(expected.dropped).toBeGreaterThan(10);
    expect(expected.partlyCounted).toBeGreaterThan(10);
    expect(expected.rankings.length).toBeGreaterThan(90);
    expect(new Set(expected.rankings.map((r) => r.top[0]!.page)).size).toBeGreaterThan(2);
  });

  for (const parallelism of [1, 2, 4]) {
    it(`ranks the pages of every window like the reference, at parallelism ${parallelism}`, async () => {
      const args = ['--views', String(VIEWS), '--top', String(TOP), '--late-rate', String(LATE_RATE), '--seed', String(SEED), '--output', 'collect'];
      const { result } = await runJob(JOB, { parallelism, args });
      expect(sortCounts(result!.getCollected<PageViewCount>(COUNTS_COLLECT_ID))).toEqual(sortCounts(expected.counts));
      expect(sortRankings(result!.getCollected<PageRanking>(RANKINGS_COLLECT_ID))).toEqual(sortRankings(expected.rankings));
    });
  }

  it('prints a ranking as a small table', () => {
    const windowEnd = Date.UTC(2024, 2, 4, 8, 30);
    expect(formatRanking({ windowEnd, top: [{ page: '/home', count: 120 }, { page: '/products/kettle', count: 7 }] })).toBe(
      ['Top 2 pages 08:20–08:30:', '  1. /home              120 views', '  2. /products/kettle     7 views'].join('\n'),
    );
  });
});

describe('TopPages', () => {
  const harness = () => new KeyedOneInputStreamOperatorTestHarness<number, PageViewCount, PageRanking>(new KeyedProcessOperator(new TopPages(2)), (c: PageViewCount) => c.windowEnd);
  const count = (page: string, windowEnd: number, n: number): PageViewCount => ({ page, windowEnd, count: n });

  it('ranks a window once the watermark passes its end, most viewed first and ties by name, then forgets it', async () => {
    const h = await harness().open();
    for (const c of [count('/b', 1000, 5), count('/a', 1000, 5), count('/c', 1000, 9), count('/x', 2000, 1)]) h.processElement(c, c.windowEnd - 1);
    h.processWatermark(1000);
    expect(h.extractOutputValues()).toEqual([]);
    h.processWatermark(1001);
    expect(h.extractOutputValues()).toEqual([{ windowEnd: 1000, top: [{ page: '/c', count: 9 }, { page: '/a', count: 5 }] }]);
    expect(h.numEventTimeTimers()).toBe(1);
    expect(h.numKeyedStateEntries()).toBe(1); // only window 2000 is left
  });

  it('restores the gathered counts and timers from a snapshot and continues', async () => {
    const first = await harness().open();
    first.processElement(count('/a', 1000, 1), 999);
    first.processElement(count('/b', 1000, 2), 999);
    const snapshot = first.snapshot();
    const second = harness();
    second.initializeState(snapshot);
    await second.open();
    second.processElement(count('/c', 1000, 3), 999);
    second.processWatermark(1001);
    expect(second.extractOutputValues()).toEqual([{ windowEnd: 1000, top: [{ page: '/c', count: 3 }, { page: '/b', count: 2 }] }]);
  });
});
