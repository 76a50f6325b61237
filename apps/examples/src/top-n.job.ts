/**
 * Sliding-window top-N: every minute, the N most viewed pages of the last ten minutes (Flink's
 * "HotItems" pattern).
 *
 * Shows: sliding event-time windows (`SlidingEventTimeWindows.of(Time.minutes(10), Time.minutes(1))`);
 * incremental aggregation with `aggregate(aggregateFunction, processWindowFunction)` — the
 * `AggregateFunction` counts views as they arrive (one number per page and window is kept, not the
 * views), the `ProcessWindowFunction` attaches the window end to the count; then a second stage
 * that ranks: `keyBy(windowEnd)` and a `KeyedProcessFunction` that gathers the window's counts in
 * `ListState` and ranks them when an event-time timer at `windowEnd + 1` fires, that is, once the
 * watermark shows that every page's count for that window has arrived.
 *
 * Run it:
 *   npx riffle run apps/examples/src/top-n.job.ts -p 2
 *   npx riffle run apps/examples/src/top-n.job.ts -p 2 -- --top 5 --views 7200
 *
 * Parameters (after `--`):
 *   --views N       generated page views, one per second of "arrival time" (default 3600)
 *   --top N         pages per ranking (default 3)
 *   --late-rate R   share of views that arrive 6 to 30 minutes late (default 0.01)
 *   --seed S        seed of the generated views (default 8)
 *   --output MODE   print (default): one ranking per window end; collect: collect ids 'rankings'
 *                   ({@link PageRanking}) and 'counts' ({@link PageViewCount}, every page and window)
 *
 * The views are the clickstream of the sessionization example (`site-clicks.ts`): up to 30 s out
 * of order, so the watermark trails the largest timestamp by 30 s. A view that arrives after some
 * of its ten windows have fired is counted only in those still open; one after all ten have fired
 * is dropped (allowed lateness 0). The source and the watermark assigner run with parallelism 1
 * and emit a watermark after each view (see `punctuated-watermarks.ts`), so which views count is
 * the same in every run and at every parallelism.
 */
import { KeyedProcessFunction, Time, type AggregateFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { ProcessWindowFunction, SlidingEventTimeWindows, defineJob, type ProcessWindowContext, type TimeWindow } from '@riffle/datastream';
import { ListStateDescriptor, type ListState } from '@riffle/state';
import { punctuatedBoundedOutOfOrderness } from './punctuated-watermarks.js';
import { SeededRandom } from './random.js';
import { SITE_CLICK_OUT_OF_ORDERNESS_MS, siteClickAt, type SiteClick } from './site-clicks.js';

export { siteClickAt, SITE_CLICK_OUT_OF_ORDERNESS_MS, type SiteClick } from './site-clicks.js';

/** Window size and slide. */
export const TOP_N_WINDOW_SIZE = Time.minutes(10);
export const TOP_N_WINDOW_SLIDE = Time.minutes(1);

/** How often a page was viewed in the window that ends at `windowEnd` (Flink's `ItemViewCount`). */
export interface PageViewCount {
  readonly page: string;
  readonly windowEnd: number;
  readonly count: number;
}

/** The top pages of the window that ends at `windowEnd`, most viewed first (ties by page name). */
export interface PageRanking {
  readonly windowEnd: number;
  readonly top: ReadonlyArray<{ readonly page: string; readonly count: number }>;
}

/** Collect ids of `--output collect`. */
export const RANKINGS_COLLECT_ID = 'rankings';
export const COUNTS_COLLECT_ID = 'counts';

/** Counts the views of a page in a window, incrementally. */
export class CountViews implements AggregateFunction<SiteClick, number, number> {
  createAccumulator(): number {
    return 0;
  }
  add(_view: SiteClick, count: number): number {
    return count + 1;
  }
  getResult(count: number): number {
    return count;
  }
  merge(a: number, b: number): number {
    return a + b;
  }
}

/** Attaches the page and the window end to a window's count (Flink's `WindowResultFunction`). */
export class WithWindowEnd extends ProcessWindowFunction<number, PageViewCount, string, TimeWindow> {
  process(page: string, ctx: ProcessWindowContext<TimeWindow>, counts: Iterable<number>, out: Collector<PageViewCount>): void {
    for (const count of counts) out.collect({ page, windowEnd: ctx.window().getEnd(), count });
  }
}

/** Most viewed first, ties by page name: a total order, so rankings do not depend on arrival order. */
export function compareCounts(a: { page: string; count: number }, b: { page: string; count: number }): number {
  return b.count - a.count || (a.page < b.page ? -1 : a.page > b.page ? 1 : 0);
}

/**
 * Ranks the counts of one window (Flink's `TopNHotItems`), keyed by window end: keeps them in
 * `ListState` until the watermark passes the window end, then emits the top `n` and clears the
 * state. Every count of a window has the window's max timestamp (`windowEnd - 1`), and the window
 * operator emits it before it forwards the watermark that fired the window, so by the time the
 * watermark reaches `windowEnd + 1` here, every page's count for that window has arrived.
 */
export class TopPages extends KeyedProcessFunction<number, PageViewCount, PageRanking> {
  private counts!: ListState<PageViewCount>;

  constructor(readonly n: number) {
    super();
    if (!Number.isInteger(n) || n < 1) throw new Error(`TopPages: n must be a positive integer, got ${n}`);
  }

  override open(): void {
    this.counts = this.getRuntimeContext().getListState(new ListStateDescriptor<PageViewCount>('page-view-counts'));
  }

  processElement(count: PageViewCount, ctx: KeyedProcessContext<number>, _out: Collector<PageRanking>): void {
    this.counts.add(count);
    // One timer per key and timestamp: registering it again for the window's next page is a no-op.
    ctx.timerService().registerEventTimeTimer(count.windowEnd + 1);
  }

  override onTimer(timestamp: number, _ctx: KeyedOnTimerContext<number>, out: Collector<PageRanking>): void {
    const all = [...this.counts.get()].sort(compareCounts);
    this.counts.clear();
    out.collect({ windowEnd: timestamp - 1, top: all.slice(0, this.n).map(({ page, count }) => ({ page, count })) });
  }
}

/** The text `--output print` writes for a ranking. */
export function formatRanking(r: PageRanking): string {
  const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const width = Math.max(...r.top.map((e) => e.page.length));
  const lines = [`Top ${r.top.length} pages ${clock(r.windowEnd - TOP_N_WINDOW_SIZE.toMilliseconds())}–${clock(r.windowEnd)}:`];
  r.top.forEach((e, i) => lines.push(`  ${i + 1}. ${e.page.padEnd(width)} ${String(e.count).padStart(5)} views`));
  return lines.join('\n');
}

export default defineJob((env, params) => {
  const output = params.get('output', 'print');
  if (output !== 'print' && output !== 'collect') throw new Error(`--output must be print or collect, got '${output}'`);
  const views = params.getNumber('views', 3600);
  const top = params.getNumber('top', 3);
  const lateRate = params.getNumber('late-rate', 0.01);
  const seed = params.getNumber('seed', 8);
  if (!Number.isInteger(views) || views < 1) throw new Error(`--views must be a positive integer, got ${views}`);
  if (!Number.isInteger(top) || top < 1) throw new Error(`--top must be a positive integer, got ${top}`);
  if (!(lateRate >= 0 && lateRate <= 1)) throw new Error(`--late-rate must be between 0 and 1, got ${lateRate}`);

  // Reseeded for every view, so instances that share it (same thread) cannot disturb each other.
  const random = new SeededRandom();
  const options = { lateRate };
  const pageViews = env
    .fromSequence(0, views - 1)
    .name('View Numbers')
    .setParallelism(1)
    .map((i) => siteClickAt(i, seed, options, random))
    .name('Generated Page Views')
    .setParallelism(1)
    .assignTimestampsAndWatermarks(punctuatedBoundedOutOfOrderness<SiteClick>(SITE_CLICK_OUT_OF_ORDERNESS_MS, (v) => v.timestamp))
    .name('Timestamps/Watermarks')
    .setParallelism(1);

  const counts = pageViews
    .keyBy((v) => v.page)
    .window(SlidingEventTimeWindows.of(TOP_N_WINDOW_SIZE, TOP_N_WINDOW_SLIDE))
    .aggregate(new CountViews(), new WithWindowEnd())
    .name('Count Views per Page');

  const rankings = counts
    .keyBy((c) => c.windowEnd)
    .process(new TopPages(top))
    .name(`Top ${top} Pages`);

  if (output === 'print') {
    rankings.map(formatRanking).name('Format Rankings').print();
  } else {
    rankings.addCollectSink(RANKINGS_COLLECT_ID);
    counts.addCollectSink(COUNTS_COLLECT_ID);
  }
});
