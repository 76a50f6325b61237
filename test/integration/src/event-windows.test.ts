import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { eventAt, OUT_OF_ORDERNESS, type Event, type Firing } from './jobs/event-windows.job.js';

const JOB = new URL('./jobs/event-windows.job.ts', import.meta.url);
const EVENTS = 20_000;
const KEYS = 5;

/**
 * The independent reference, written from Flink's documented rules with plain arrays and maps:
 * an element is late when every window it belongs to satisfies `maxTimestamp + lateness <= watermark`;
 * otherwise it is added to its windows that are not late, and a window whose maxTimestamp the
 * watermark already passed fires again at once (EventTimeTrigger.onElement). When the watermark
 * passes a window's maxTimestamp its timer fires it once; at maxTimestamp + lateness it is dropped.
 */
function referenceFixed(events: Event[], windowsOf: (ts: number) => Array<[number, number]>, lateness: number) {
  const firings: Firing[] = [];
  const late: Event[] = [];
  type W = { key: string; start: number; end: number; count: number; sum: number; timer: boolean };
  const live = new Map<string, W>();
  let wm = Number.NEGATIVE_INFINITY;
  let maxSeen = Number.NEGATIVE_INFINITY;
  const fire = (w: W) => firings.push([w.key, w.start, w.end, w.count, w.sum]);
  for (const e of events) {
    const windows = windowsOf(e.ts).filter(([, end]) => !(end - 1 + lateness <= wm));
    if (windows.length === 0) late.push(e);
    for (const [start, end] of windows) {
      const id = `${e.key}|${start}`;
      let w = live.get(id);
      if (!w) live.set(id, (w = { key: e.key, start, end, count: 0, sum: 0, timer: false }));
      w.count++;
      w.sum += e.value;
      if (end - 1 <= wm) fire(w);
      else w.timer = true;
    }
    maxSeen = Math.max(maxSeen, e.ts);
    const next = maxSeen - OUT_OF_ORDERNESS - 1;
    if (next > wm) {
      wm = next;
      for (const [id, w] of live) {
        if (w.timer && w.end - 1 <= wm) {
          w.timer = false;
          fire(w);
        }
        if (w.end - 1 + lateness <= wm) live.delete(id);
      }
    }
  }
  for (const w of live.values()) if (w.timer) fire(w); // the final watermark at the end of input
  return { firings, late };
}

/** Sessions with allowed lateness 0 (so a merge never involves a late window). */
function referenceSessions(events: Event[], gap: number) {
  const firings: Firing[] = [];
  const late: Event[] = [];
  type S = { start: number; end: number; count: number; sum: number };
  const live = new Map<string, S[]>();
  let wm = Number.NEGATIVE_INFINITY;
  let maxSeen = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    const sessions = live.get(e.key) ?? [];
    let merged: S = { start: e.ts, end: e.ts + gap, count: 1, sum: e.value };
    const rest: S[] = [];
    for (const s of sessions) {
      if (s.start <= merged.end && s.end >= merged.start) {
        merged = { start: Math.min(s.start, merged.start), end: Math.max(s.end, merged.end), count: s.count + merged.count, sum: s.sum + merged.sum };
      } else rest.push(s);
    }
    if (merged.end - 1 <= wm) late.push(e);
    else live.set(e.key, [...rest, merged]);
    maxSeen = Math.max(maxSeen, e.ts);
    const next = maxSeen - OUT_OF_ORDERNESS - 1;
    if (next > wm) {
      wm = next;
      for (const [key, list] of live) {
        live.set(
          key,
          list.filter((s) => {
            if (s.end - 1 > wm) return true;
            firings.push([key, s.start, s.end, s.count, s.sum]);
            return false;
          }),
        );
      }
    }
  }
  for (const [key, list] of live) for (const s of list) firings.push([key, s.start, s.end, s.count, s.sum]);
  return { firings, late };
}

function windowStart(ts: number, size: number): number {
  return ts - ((ts + size) % size); // Flink's TimeWindow.getWindowStartWithOffset, offset 0
}

const sortFirings = (f: Firing[]) => [...f].sort((a, b) => a.join('|').localeCompare(b.join('|')));
const sortEvents = (e: Event[]) => [...e].sort((a, b) => a.ts - b.ts || a.key.localeCompare(b.key) || a.value - b.value);

describe('event-time windows on the MiniCluster against an independent reference', () => {
  const events = Array.from({ length: EVENTS }, (_, i) => eventAt(i, KEYS));
  const tumbling = referenceFixed(events, (ts) => [[windowStart(ts, 1000), windowStart(ts, 1000) + 1000]], 300);
  const sliding = referenceFixed(
    events,
    (ts) => {
      const out: Array<[number, number]> = [];
      for (let start = windowStart(ts, 250); start > ts - 1000; start -= 250) out.push([start, start + 1000]);
      return out;
    },
    300,
  );
  const sessions = referenceSessions(events, 40);

  it('the input exercises lateness: some records are late, some re-fire a window', () => {
    expect(tumbling.late.length).toBeGreaterThan(10);
    const firstFirings = new Set(tumbling.firings.map((f) => `${f[0]}|${f[1]}`));
    expect(tumbling.firings.length).toBeGreaterThan(firstFirings.size); // late firings exist
    expect(sessions.late.length).toBeGreaterThan(10);
  });

  for (const parallelism of [1, 2, 4]) {
    it(`tumbling, sliding and session windows with lateness equal the reference at parallelism ${parallelism}`, async () => {
      const { result } = await runJob(JOB, { parallelism, args: ['--events', String(EVENTS), '--keys', String(KEYS)] });
      const r = result!;
      expect(sortFirings(r.getCollected<Firing>('tumbling'))).toEqual(sortFirings(tumbling.firings));
      expect(sortEvents(r.getCollected<Event>('tumbling-late'))).toEqual(sortEvents(tumbling.late));
      expect(sortFirings(r.getCollected<Firing>('sliding'))).toEqual(sortFirings(sliding.firings));
      expect(sortFirings(r.getCollected<Firing>('sessions'))).toEqual(sortFirings(sessions.firings));
      expect(sortEvents(r.getCollected<Event>('sessions-late'))).toEqual(sortEvents(sessions.late));
    });
  }
});
