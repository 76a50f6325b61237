/**
 * An independent reference of event-time windows with the default event-time trigger, for
 * tests: plain arrays and maps, no window operator code. It reproduces the operator's output
 * order (per step, windows fire in end order, ties in the order their first element arrived).
 */

/** One step of a test input. */
export type Step = { kind: 'element'; key: string; value: number; ts: number } | { kind: 'watermark'; ts: number };

/** A fired window: key, bounds, the values it held (in arrival order) and the result's timestamp. */
export interface Firing {
  key: string;
  start: number;
  end: number;
  values: number[];
}

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Out-of-order input for `keys` keys: timestamps advance by 0..`step` ms with up to
 * `maxOutOfOrderness` ms of disorder; a fraction `lateFraction` of the elements is much later
 * than the bound. A bounded-out-of-orderness watermark (max seen - bound - 1) follows every
 * `watermarkEvery` elements, and a final watermark at +Infinity ends the input.
 */
export function generateSteps(options: {
  seed: number;
  count: number;
  keys: number;
  start?: number;
  step?: number;
  maxOutOfOrderness: number;
  lateFraction?: number;
  watermarkEvery?: number;
}): Step[] {
  const random = seededRandom(options.seed);
  const steps: Step[] = [];
  let base = options.start ?? 0;
  let maxSeen = Number.NEGATIVE_INFINITY;
  let lastWatermark = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < options.count; i++) {
    base += Math.floor(random() * ((options.step ?? 10) + 1));
    let ts = base - Math.floor(random() * (options.maxOutOfOrderness + 1));
    if (random() < (options.lateFraction ?? 0)) ts = base - options.maxOutOfOrderness - 1 - Math.floor(random() * 300);
    steps.push({ kind: 'element', key: `k${Math.floor(random() * options.keys)}`, value: 1 + Math.floor(random() * 100), ts });
    maxSeen = Math.max(maxSeen, ts);
    if ((i + 1) % (options.watermarkEvery ?? 7) === 0) {
      const wm = maxSeen - options.maxOutOfOrderness - 1;
      if (wm > lastWatermark) steps.push({ kind: 'watermark', ts: (lastWatermark = wm) });
    }
  }
  steps.push({ kind: 'watermark', ts: Number.POSITIVE_INFINITY });
  return steps;
}

interface Pane {
  key: string;
  start: number;
  end: number;
  values: number[];
  /** Order of the firing timer's registration, or undefined when no timer is pending. */
  seq: number | undefined;
}

/** Result of a reference run: firings in emission order, and the elements late for all their windows. */
export interface ReferenceResult {
  firings: Firing[];
  late: Array<{ key: string; value: number; ts: number }>;
}

function fire(p: Pane): Firing {
  return { key: p.key, start: p.start, end: p.end, values: p.values.slice() };
}

/** Fires and cleans up the panes as the watermark advances from `from` to `to`. */
function advance(panes: Pane[], from: number, to: number, lateness: number, out: Firing[]): Pane[] {
  const due = panes.filter((p) => p.end - 1 > from && p.end - 1 <= to && p.seq !== undefined);
  due.sort((a, b) => a.end - 1 - (b.end - 1) || a.seq! - b.seq!);
  for (const p of due) out.push(fire(p));
  return panes.filter((p) => !(p.end - 1 + lateness <= to));
}

/**
 * Fixed windows (tumbling or sliding): `windowsOf(ts)` lists `[start, end)` pairs in the order
 * the assigner returns them.
 */
export function referenceFixedWindows(steps: Step[], windowsOf: (ts: number) => Array<[number, number]>, lateness: number): ReferenceResult {
  let panes: Pane[] = [];
  const byId = new Map<string, Pane>();
  const firings: Firing[] = [];
  const late: ReferenceResult['late'] = [];
  let wm = Number.NEGATIVE_INFINITY;
  let seq = 0;
  for (const s of steps) {
    if (s.kind === 'watermark') {
      if (s.ts <= wm) continue;
      const before = wm;
      wm = s.ts;
      panes = advance(panes, before, wm, lateness, firings);
      byId.clear();
      for (const p of panes) byId.set(`${p.key}|${p.start}|${p.end}`, p);
      continue;
    }
    let skipped = true;
    for (const [start, end] of windowsOf(s.ts)) {
      if (end - 1 + lateness <= wm) continue;
      skipped = false;
      const id = `${s.key}|${start}|${end}`;
      let p = byId.get(id);
      if (!p) {
        p = { key: s.key, start, end, values: [], seq: end - 1 > wm ? ++seq : undefined };
        byId.set(id, p);
        panes.push(p);
      }
      p.values.push(s.value);
      if (end - 1 <= wm) firings.push(fire(p));
    }
    if (skipped && s.ts + lateness <= wm) late.push({ key: s.key, value: s.value, ts: s.ts });
  }
  return { firings, late };
}

/** Event-time session windows with a fixed gap. */
export function referenceSessions(steps: Step[], gap: number, lateness: number): ReferenceResult {
  let panes: Pane[] = [];
  const firings: Firing[] = [];
  const late: ReferenceResult['late'] = [];
  let wm = Number.NEGATIVE_INFINITY;
  let seq = 0;
  for (const s of steps) {
    if (s.kind === 'watermark') {
      if (s.ts <= wm) continue;
      const before = wm;
      wm = s.ts;
      panes = advance(panes, before, wm, lateness, firings);
      continue;
    }
    const start = s.ts;
    const end = s.ts + gap;
    const touching = panes.filter((p) => p.key === s.key && p.start <= end && p.end >= start);
    let target: Pane | undefined;
    if (touching.length === 1 && touching[0]!.start <= start && touching[0]!.end >= end) {
      target = touching[0]; // inside an existing session: nothing merges
    } else if (touching.length === 0) {
      if (end - 1 + lateness > wm) {
        target = { key: s.key, start, end, values: [], seq: undefined };
        panes.push(target);
      }
    } else {
      const merged: Pane = {
        key: s.key,
        start: Math.min(start, ...touching.map((p) => p.start)),
        end: Math.max(end, ...touching.map((p) => p.end)),
        values: touching.flatMap((p) => p.values),
        seq: undefined,
      };
      if (merged.end - 1 > wm) merged.seq = ++seq; // the trigger re-registers on merge
      panes = panes.filter((p) => !touching.includes(p));
      panes.push(merged);
      target = merged;
    }
    if (target === undefined) {
      if (s.ts + lateness <= wm) late.push({ key: s.key, value: s.value, ts: s.ts });
      continue;
    }
    target.values.push(s.value);
    if (target.end - 1 <= wm) firings.push(fire(target));
    else if (target.seq === undefined) target.seq = ++seq;
  }
  return { firings, late };
}
