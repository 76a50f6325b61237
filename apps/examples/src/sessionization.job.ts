/**
 * Sessionization: cut each user's clicks into sessions — runs of clicks with no pause longer than
 * a gap — by event time, and report every session with its length and the pages visited.
 *
 * Shows: event time with out-of-order input (`assignTimestampsAndWatermarks`); session windows
 * per key (`keyBy(user).window(EventTimeSessionWindows.withGap(...))`), which grow and merge as
 * clicks arrive, in any order; a `ProcessWindowFunction` that sees all of a session's clicks at
 * once; and late data: clicks that arrive after the watermark has closed their session go to a
 * side output (`sideOutputLateData(tag)` + `getSideOutput(tag)`) instead of silently vanishing.
 *
 * Run it:
 *   npx riffle run apps/examples/src/sessionization.job.ts -p 2
 *   npx riffle run apps/examples/src/sessionization.job.ts -p 2 -- --clicks 2000 --gap-minutes 3
 *
 * Parameters (after `--`):
 *   --clicks N        generated clicks (default 5000; one per second of "arrival time")
 *   --users U         distinct users (default 100)
 *   --late-rate R     share of clicks that arrive 6 to 30 minutes late (default 0.01)
 *   --gap-minutes G   a pause longer than this ends a session (default 5)
 *   --seed S          seed of the generated clicks (default 5)
 *   --output MODE     print (default): `session> …` and `late> …` lines; collect: collect ids
 *                     'sessions' ({@link UserSession}) and 'late' ({@link SiteClick})
 *
 * Clicks arrive up to 30 s out of order, so the watermark trails the largest timestamp seen by
 * 30 s. A session closes (its window fires) once the watermark passes its last click plus the gap.
 * A very late click either still lands in an open session of its user (it merges with it) or
 * comes after its session was closed: that one is late and goes to the side output.
 *
 * The source and the watermark assigner run with parallelism 1 and emit a watermark after each
 * click (see `punctuated-watermarks.ts`), so which clicks are late is the same in every run and at
 * every parallelism: the tests compare the output with an independent reference at 1, 2 and 4.
 */
import { OutputTag, Time, type Collector } from '@riffle/core';
import { EventTimeSessionWindows, ProcessWindowFunction, defineJob, type ProcessWindowContext, type TimeWindow } from '@riffle/datastream';
import { punctuatedBoundedOutOfOrderness } from './punctuated-watermarks.js';
import { SeededRandom } from './random.js';
import { SITE_CLICK_OUT_OF_ORDERNESS_MS, siteClickAt, type SiteClick } from './site-clicks.js';

export { siteClickAt, SITE_CLICK_OUT_OF_ORDERNESS_MS, type SiteClick, type SiteClickOptions } from './site-clicks.js';

/** One session of one user. */
export interface UserSession {
  readonly userId: string;
  /** The session window's start: the time of its first click (epoch ms). */
  readonly start: number;
  /** The session window's end, exclusive: its last click plus the gap (Flink's session window end). */
  readonly end: number;
  /** The time of the session's last click. */
  readonly lastClick: number;
  readonly clicks: number;
  /** The distinct pages visited, in the order of their first visit (ties in event time by name). */
  readonly pages: readonly string[];
}

/** The side output of clicks that came after their session was closed. */
export const LATE_CLICKS = new OutputTag<SiteClick>('late-clicks');

/** Collect ids of `--output collect`. */
export const SESSIONS_COLLECT_ID = 'sessions';
export const LATE_COLLECT_ID = 'late';

/** Orders clicks by event time, then page: the order in which a session's pages count as visited. */
export function compareClicks(a: SiteClick, b: SiteClick): number {
  return a.timestamp - b.timestamp || (a.page < b.page ? -1 : a.page > b.page ? 1 : 0);
}

/** Summarizes a session window: click count, last click, distinct pages in visiting order. */
export class SessionSummary extends ProcessWindowFunction<SiteClick, UserSession, string, TimeWindow> {
  process(userId: string, ctx: ProcessWindowContext<TimeWindow>, clicks: Iterable<SiteClick>, out: Collector<UserSession>): void {
    // The window holds clicks in arrival order; sort them by event time to see the visit order.
    const sorted = [...clicks].sort(compareClicks);
    const pages = [...new Set(sorted.map((c) => c.page))];
    const window = ctx.window();
    out.collect({ userId, start: window.getStart(), end: window.getEnd(), lastClick: sorted[sorted.length - 1]!.timestamp, clicks: sorted.length, pages });
  }
}

/** `08:03:07`: the UTC time of day of `ms`. */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `12m05s` */
function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** The line `--output print` writes for a session. */
export function formatSession(s: UserSession): string {
  return `${s.userId}  ${clock(s.start)} – ${clock(s.lastClick)} (${duration(s.lastClick - s.start)})  ${String(s.clicks).padStart(4)} clicks  ${s.pages.length} pages: ${s.pages.join(' ')}`;
}

/** The line `--output print` writes for a late click. */
export function formatLateClick(c: SiteClick): string {
  return `${c.userId} clicked ${c.page} at ${clock(c.timestamp)}: arrived after its session had closed`;
}

export default defineJob((env, params) => {
  const output = params.get('output', 'print');
  if (output !== 'print' && output !== 'collect') throw new Error(`--output must be print or collect, got '${output}'`);
  const clicks = params.getNumber('clicks', 5000);
  const users = params.getNumber('users', 100);
  const lateRate = params.getNumber('late-rate', 0.01);
  const gapMinutes = params.getNumber('gap-minutes', 5);
  const seed = params.getNumber('seed', 5);
  if (!Number.isInteger(clicks) || clicks < 1) throw new Error(`--clicks must be a positive integer, got ${clicks}`);
  if (!Number.isInteger(users) || users < 1) throw new Error(`--users must be a positive integer, got ${users}`);
  if (!(lateRate >= 0 && lateRate <= 1)) throw new Error(`--late-rate must be between 0 and 1, got ${lateRate}`);
  if (!(gapMinutes > 0)) throw new Error(`--gap-minutes must be positive, got ${gapMinutes}`);

  // Reseeded for every click, so instances that share it (same thread) cannot disturb each other.
  const random = new SeededRandom();
  const options = { users, lateRate };
  const siteClicks = env
    .fromSequence(0, clicks - 1)
    .name('Click Numbers')
    .setParallelism(1)
    .map((i) => siteClickAt(i, seed, options, random))
    .name('Generated Clicks')
    .setParallelism(1)
    .assignTimestampsAndWatermarks(punctuatedBoundedOutOfOrderness<SiteClick>(SITE_CLICK_OUT_OF_ORDERNESS_MS, (c) => c.timestamp))
    .name('Timestamps/Watermarks')
    .setParallelism(1);

  const sessions = siteClicks
    .keyBy((c) => c.userId)
    .window(EventTimeSessionWindows.withGap(Time.milliseconds(Math.round(gapMinutes * 60_000))))
    .sideOutputLateData(LATE_CLICKS)
    .process(new SessionSummary())
    .name('Sessions');
  const late = sessions.getSideOutput(LATE_CLICKS);

  if (output === 'print') {
    sessions.map(formatSession).name('Format Sessions').print('session');
    late.map(formatLateClick).name('Format Late Clicks').print('late');
  } else {
    sessions.addCollectSink(SESSIONS_COLLECT_ID);
    late.addCollectSink(LATE_COLLECT_ID);
  }
});
