import type { Bid } from '@riffle/connector-datagen';
import { priceRank } from '../queries/q15.js';
import { Q19_TOP_N, insertTopN } from '../queries/q19.js';
import { DAY_MS, dayOf } from '../queries/time.js';
import { BASELINE_WATERMARK_DELAY_MS, type Baseline, type Emit } from './baseline.js';

/** A binary min-heap of (time, id) pairs. */
class TimeHeap {
  private readonly times: number[] = [];
  private readonly ids: number[] = [];

  get size(): number {
    return this.times.length;
  }

  peekTime(): number {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  push(time: number, id: number): void {
    const t = this.times;
    const d = this.ids;
    let i = t.length;
    t.push(time);
    d.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent]! <= time) break;
      t[i] = t[parent]!;
      d[i] = d[parent]!;
      i = parent;
    }
    t[i] = time;
    d[i] = id;
  }

  /** Removes the earliest entry and returns its id. */
  pop(): number {
    const t = this.times;
    const d = this.ids;
    const top = d[0]!;
    const lastT = t.pop()!;
    const lastD = d.pop()!;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && t[c + 1]! < t[c]!) c++;
        if (t[c]! >= lastT) break;
        t[i] = t[c]!;
        d[i] = d[c]!;
        i = c;
      }
      t[i] = lastT;
      d[i] = lastD;
    }
    return top;
  }
}

interface OpenAuction {
  readonly category: number;
  readonly dateTime: number;
  readonly expires: number;
  max: number;
}

/** q4: the winning price of each auction at expiry, then the running average per category. */
export function q4Baseline(): Baseline {
  const open = new Map<number, OpenAuction>();
  const expiries = new TimeHeap();
  const sums = new Map<number, { sum: number; count: number }>();
  let maxTimestamp = Number.NEGATIVE_INFINITY;
  const closeUpTo = (watermark: number, emit: Emit) => {
    while (expiries.size > 0 && expiries.peekTime() <= watermark) {
      const id = expiries.pop();
      const a = open.get(id)!;
      open.delete(id);
      if (a.max < 0) continue;
      let s = sums.get(a.category);
      if (s === undefined) sums.set(a.category, (s = { sum: 0, count: 0 }));
      s.sum += a.max;
      s.count++;
      emit({ category: a.category, avg: (s.sum - (s.sum % s.count)) / s.count });
    }
  };
  return {
    process(e, emit) {
      if (e.kind === 'auction') {
        open.set(e.id, { category: e.category, dateTime: e.dateTime, expires: e.expires, max: -1 });
        expiries.push(e.expires, e.id);
      } else if (e.kind === 'bid') {
        const a = open.get(e.auction);
        if (a !== undefined && e.dateTime >= a.dateTime && e.dateTime <= a.expires && e.price > a.max) a.max = e.price;
      } else return;
      if (e.dateTime > maxTimestamp) {
        maxTimestamp = e.dateTime;
        closeUpTo(maxTimestamp - BASELINE_WATERMARK_DELAY_MS - 1, emit);
      }
    },
    finish: (emit) => closeUpTo(Number.POSITIVE_INFINITY, emit),
  };
}

/** q15: per-day counts and distinct counts per price rank; final rows at the end. */
export function q15Baseline(): Baseline {
  const days = new Map<number, { bids: number[]; bidders: Set<number>[]; auctions: Set<number>[] }>();
  return {
    process(e) {
      if (e.kind !== 'bid') return;
      const day = Math.floor(e.dateTime / DAY_MS);
      let d = days.get(day);
      if (d === undefined) {
        d = { bids: [0, 0, 0, 0], bidders: [new Set(), new Set(), new Set(), new Set()], auctions: [new Set(), new Set(), new Set(), new Set()] };
        days.set(day, d);
      }
      const rank = priceRank(e.price);
      d.bids[0]!++;
      d.bids[rank]!++;
      d.bidders[0]!.add(e.bidder);
      d.bidders[rank]!.add(e.bidder);
      d.auctions[0]!.add(e.auction);
      d.auctions[rank]!.add(e.auction);
    },
    finish(emit) {
      for (const [day, d] of days) {
        const [b, p, a] = [d.bids, d.bidders.map((s) => s.size), d.auctions.map((s) => s.size)];
        emit({
          day: dayOf(day * DAY_MS),
          totalBids: b[0],
          rank1Bids: b[1],
          rank2Bids: b[2],
          rank3Bids: b[3],
          totalBidders: p[0],
          rank1Bidders: p[1],
          rank2Bidders: p[2],
          rank3Bidders: p[3],
          totalAuctions: a[0],
          rank1Auctions: a[1],
          rank2Auctions: a[2],
          rank3Auctions: a[3],
        });
      }
    },
  };
}

interface AuctionDay {
  readonly auction: number;
  readonly day: string;
  total: number;
  ranks: [number, number, number, number];
  min: number;
  max: number;
  sum: number;
}

/** q17: per (auction, day) statistics; final rows at the end. */
export function q17Baseline(): Baseline {
  const stats = new Map<number, AuctionDay>();
  return {
    process(e) {
      if (e.kind !== 'bid') return;
      const key = e.auction * 131_072 + Math.floor(e.dateTime / DAY_MS);
      let s = stats.get(key);
      if (s === undefined) {
        s = { auction: e.auction, day: dayOf(e.dateTime), total: 0, ranks: [0, 0, 0, 0], min: e.price, max: e.price, sum: 0 };
        stats.set(key, s);
      }
      s.total++;
      s.ranks[priceRank(e.price)]++;
      if (e.price < s.min) s.min = e.price;
      if (e.price > s.max) s.max = e.price;
      s.sum += e.price;
    },
    finish(emit) {
      for (const s of stats.values()) {
        emit({
          auction: s.auction,
          day: s.day,
          totalBids: s.total,
          rank1Bids: s.ranks[1],
          rank2Bids: s.ranks[2],
          rank3Bids: s.ranks[3],
          minPrice: s.min,
          maxPrice: s.max,
          avgPrice: (s.sum - (s.sum % s.total)) / s.total,
          sumPrice: s.sum,
        });
      }
    },
  };
}

/** q19: the top 10 bids per auction by price; final lists at the end. */
export function q19Baseline(): Baseline {
  const tops = new Map<number, Bid[]>();
  return {
    process(e) {
      if (e.kind !== 'bid') return;
      const top = tops.get(e.auction);
      if (top === undefined) tops.set(e.auction, [e]);
      else insertTopN(top, e, Q19_TOP_N);
    },
    finish(emit) {
      for (const [auction, top] of tops) emit({ auction, top });
    },
  };
}
