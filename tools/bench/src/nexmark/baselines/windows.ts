import type { Bid } from '@riffle/connector-datagen';
import { Q5_SIZE_MS, Q5_SLIDE_MS } from '../queries/q5.js';
import { Q7_WINDOW_MS } from '../queries/q7.js';
import { Q8_WINDOW_MS } from '../queries/q8.js';
import { Q11_GAP_MS } from '../queries/q11.js';
import { Q12_WINDOW_MS } from '../queries/q12.js';
import type { Baseline, Emit } from './baseline.js';
import { WindowBuffer } from './window-buffer.js';

/** q5: bid counts per auction per hop window, the maximum-count auctions per window. */
export function q5Baseline(): Baseline {
  const windows = new WindowBuffer<Map<number, number>>(
    Q5_SIZE_MS,
    () => new Map(),
    (start, counts, emit) => {
      let max = 0;
      for (const n of counts.values()) if (n > max) max = n;
      for (const [auction, n] of counts) if (n === max) emit({ auction, num: n, windowStart: start });
    },
  );
  return {
    process(e, emit) {
      if (e.kind !== 'bid') return;
      const t = e.dateTime;
      for (let s = t - (t % Q5_SLIDE_MS); s > t - Q5_SIZE_MS; s -= Q5_SLIDE_MS) {
        const counts = windows.get(s);
        counts.set(e.auction, (counts.get(e.auction) ?? 0) + 1);
      }
      windows.advance(t, emit);
    },
    finish: (emit) => windows.finish(emit),
  };
}

/** q7: the highest-priced bids per tumbling window. */
export function q7Baseline(): Baseline {
  const windows = new WindowBuffer<{ price: number; bids: Bid[] }>(
    Q7_WINDOW_MS,
    () => ({ price: -1, bids: [] }),
    (_start, top, emit) => {
      for (const b of top.bids) emit({ auction: b.auction, price: b.price, bidder: b.bidder, dateTime: b.dateTime, extra: b.extra });
    },
  );
  return {
    process(e, emit) {
      if (e.kind !== 'bid') return;
      const top = windows.get(e.dateTime - (e.dateTime % Q7_WINDOW_MS));
      if (e.price > top.price) {
        top.price = e.price;
        top.bids = [e];
      } else if (e.price === top.price) top.bids.push(e);
      windows.advance(e.dateTime, emit);
    },
    finish: (emit) => windows.finish(emit),
  };
}

/** q8: persons who opened an auction in the window they registered in. */
export function q8Baseline(): Baseline {
  const windows = new WindowBuffer<{ persons: Map<number, string>; sellers: Set<number> }>(
    Q8_WINDOW_MS,
    () => ({ persons: new Map(), sellers: new Set() }),
    (start, w, emit) => {
      for (const [id, name] of w.persons) if (w.sellers.has(id)) emit({ id, name, starttime: start });
    },
  );
  return {
    process(e, emit) {
      if (e.kind === 'bid') return;
      const w = windows.get(e.dateTime - (e.dateTime % Q8_WINDOW_MS));
      if (e.kind === 'person') w.persons.set(e.id, e.name);
      else w.sellers.add(e.seller);
      windows.advance(e.dateTime, emit);
    },
    finish: (emit) => windows.finish(emit),
  };
}

/** q11: sessions per bidder (10 s gap), closed by the bidder's next bid or at the end. */
export function q11Baseline(): Baseline {
  const sessions = new Map<number, { start: number; last: number; count: number }>();
  const close = (bidder: number, s: { start: number; last: number; count: number }, emit: Emit) =>
    emit({ bidder, bidCount: s.count, starttime: s.start, endtime: s.last + Q11_GAP_MS });
  return {
    process(e, emit) {
      if (e.kind !== 'bid') return;
      const s = sessions.get(e.bidder);
      if (s === undefined) sessions.set(e.bidder, { start: e.dateTime, last: e.dateTime, count: 1 });
      else if (e.dateTime > s.last + Q11_GAP_MS) {
        close(e.bidder, s, emit);
        s.start = s.last = e.dateTime;
        s.count = 1;
      } else {
        s.count++;
        if (e.dateTime > s.last) s.last = e.dateTime;
        if (e.dateTime < s.start) s.start = e.dateTime;
      }
    },
    finish(emit) {
      for (const [bidder, s] of sessions) close(bidder, s, emit);
      sessions.clear();
    },
  };
}

/** q12: bids per bidder per 10 s of wall-clock time (the clock is read every 4096 events). */
export function q12Baseline(): Baseline {
  let counts = new Map<number, number>();
  let windowEnd = 0;
  let n = 0;
  const flush = (emit: Emit) => {
    const start = windowEnd - Q12_WINDOW_MS;
    for (const [bidder, bidCount] of counts) emit({ bidder, bidCount, starttime: start, endtime: windowEnd });
    counts = new Map();
  };
  return {
    process(e, emit) {
      if ((n++ & 4095) === 0) {
        const now = Date.now();
        if (now >= windowEnd) {
          if (windowEnd !== 0) flush(emit);
          windowEnd = now - (now % Q12_WINDOW_MS) + Q12_WINDOW_MS;
        }
      }
      if (e.kind === 'bid') counts.set(e.bidder, (counts.get(e.bidder) ?? 0) + 1);
    },
    finish: flush,
  };
}
