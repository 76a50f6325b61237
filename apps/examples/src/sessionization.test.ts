import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import {
  LATE_COLLECT_ID,
  SESSIONS_COLLECT_ID,
  SITE_CLICK_OUT_OF_ORDERNESS_MS,
  compareClicks,
  formatLateClick,
  formatSession,
  siteClickAt,
  type SiteClick,
  type UserSession,
} from './sessionization.job.js';
import { SITE_CLICK_START, SITE_CLICK_STEP_MS } from './site-clicks.js';

const JOB = new URL('./sessionization.job.ts', import.meta.url);
const CLICKS = 6000;
const USERS = 60;
const LATE_RATE = 0.02;
const GAP_MINUTES = 4;
const SEED = 13;

/**
 * Session windows by Flink's rules, with plain arrays and maps, over the clicks in arrival order.
 * A click opens the window [ts, ts + gap); it merges with every open session of its user that it
 * touches (Flink's `TimeWindow.intersects`: `a.start <= b.end && a.end >= b.start`). If the merged
 * window ends at or before the watermark + 1 (its max timestamp `end - 1` is not after the
 * watermark), the click is late: it goes to the side output and nothing is merged (only a click
 * that touches no open session can be late, as an open session's end is after the watermark).
 * The watermark follows each click: max timestamp seen − bound − 1. A session whose `end - 1` the
 * watermark reaches is emitted; at the end of input, all are.
 */
function referenceSessions(clicks: readonly SiteClick[], gap: number): { sessions: UserSession[]; late: SiteClick[] } {
  type Open = { start: number; end: number; clicks: SiteClick[] };
  const open = new Map<string, Open[]>();
  const sessions: UserSession[] = [];
  const late: SiteClick[] = [];
  const emit = (userId: string, s: Open) => {
    const sorted = [...s.clicks].sort(compareClicks);
    sessions.push({ userId, start: s.start, end: s.end, lastClick: sorted[sorted.length - 1]!.timestamp, clicks: sorted.length, pages: [...new Set(sorted.map((c) => c.page))] });
  };
  let watermark = Number.NEGATIVE_INFINITY;
  let maxSeen = Number.NEGATIVE_INFINITY;
  for (const c of clicks) {
    const mine = open.get(c.userId) ?? [];
    let merged: Open = { start: c.timestamp, end: c.timestamp + gap, clicks: [c] };
    const rest: Open[] = [];
    for (const s of mine) {
      if (s.start <= merged.end && s.end >= merged.start) {
        merged = { start: Math.min(s.start, merged.start), end: Math.max(s.end, merged.end), clicks: [...s.clicks, ...merged.clicks] };
      } else rest.push(s);
    }
    if (merged.end - 1 <= watermark) late.push(c);
    else open.set(c.userId, [...rest, merged]);
    if (c.timestamp > maxSeen) {
      maxSeen = c.timestamp;
      watermark = maxSeen - SITE_CLICK_OUT_OF_ORDERNESS_MS - 1;
      for (const [userId, list] of open) {
        const stillOpen = list.filter((s) => s.end - 1 > watermark);
        if (stillOpen.length === list.length) continue;
        for (const s of list) if (s.end - 1 <= watermark) emit(userId, s);
        open.set(userId, stillOpen);
      }
    }
  }
  for (const [userId, list] of open) for (const s of list) emit(userId, s);
  return { sessions, late };
}

const sessionKey = (s: UserSession) => `${s.userId}|${String(s.start).padStart(15, '0')}`;
const sortSessions = (s: readonly UserSession[]) => [...s].sort((a, b) => (sessionKey(a) < sessionKey(b) ? -1 : 1));
const sortClicks = (c: readonly SiteClick[]) => [...c].sort((a, b) => compareClicks(a, b) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));

describe('sessionization with event-time session windows', () => {
  const clicks = Array.from({ length: CLICKS }, (_, i) => siteClickAt(i, SEED, { users: USERS, lateRate: LATE_RATE }));
  const expected = referenceSessions(clicks, GAP_MINUTES * 60_000);

  it('the input is out of order, has late clicks, and clicks that arrive late but still join an open session', () => {
    expect(clicks.some((c, i) => i > 0 && c.timestamp < clicks[i - 1]!.timestamp)).toBe(true);
    expect(expected.late.length).toBeGreaterThan(20);
    // Very late clicks (lag > bound) that are not on the side output landed in open sessions.
    const veryLate = clicks.filter((c, i) => c.timestamp < SITE_CLICK_START + i * SITE_CLICK_STEP_MS - SITE_CLICK_OUT_OF_ORDERNESS_MS);
    expect(veryLate.length).toBeGreaterThan(expected.late.length);
    // Users have several sessions.
    const perUser = new Map<string, number>();
    for (const s of expected.sessions) perUser.set(s.userId, (perUser.get(s.userId) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeGreaterThan(2);
    expect(expected.sessions.length).toBeGreaterThan(100);
    expect(expected.sessions.reduce((n, s) => n + s.clicks, 0) + expected.late.length).toBe(CLICKS);
  });

  for (const parallelism of [1, 2, 4]) {
    it(`emits every session and sends exactly the late clicks to the side output, at parallelism ${parallelism}`, async () => {
      const args = ['--clicks', String(CLICKS), '--users', String(USERS), '--late-rate', String(LATE_RATE), '--gap-minutes', String(GAP_MINUTES), '--seed', String(SEED), '--output', 'collect'];
      const { result } = await runJob(JOB, { parallelism, args });
      expect(sortSessions(result!.getCollected<UserSession>(SESSIONS_COLLECT_ID))).toEqual(sortSessions(expected.sessions));
      expect(sortClicks(result!.getCollected<SiteClick>(LATE_COLLECT_ID))).toEqual(sortClicks(expected.late));
    });
  }

  it('prints a session and a late click readably', () => {
    const t = Date.UTC(2024, 2, 4, 8, 0, 5);
    expect(formatSession({ userId: 'user-07', start: t, end: t + 545_000 + 240_000, lastClick: t + 545_000, clicks: 12, pages: ['/home', '/cart'] })).toBe(
      'user-07  08:00:05 – 08:09:10 (9m05s)    12 clicks  2 pages: /home /cart',
    );
    expect(formatLateClick({ userId: 'user-01', page: '/search', timestamp: t })).toBe('user-01 clicked /search at 08:00:05: arrived after its session had closed');
  });
});
