import { KeyedProcessFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { MapStateDescriptor, ValueStateDescriptor, type MapState, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';
import { DAY_MS, dayOf, miniBatchEnd } from './time.js';

/** q15 output (an upsert per day). */
export interface Q15Row {
  readonly day: string;
  readonly totalBids: number;
  readonly rank1Bids: number;
  readonly rank2Bids: number;
  readonly rank3Bids: number;
  readonly totalBidders: number;
  readonly rank1Bidders: number;
  readonly rank2Bidders: number;
  readonly rank3Bidders: number;
  readonly totalAuctions: number;
  readonly rank1Auctions: number;
  readonly rank2Auctions: number;
  readonly rank3Auctions: number;
}

/** q15/q17's price rank: 1 below 10 000, 2 below 1 000 000, else 3. */
export function priceRank(price: number): 1 | 2 | 3 {
  return price < 10_000 ? 1 : price < 1_000_000 ? 2 : 3;
}

/** The columns q15 needs: bidder, auction, price, dateTime. */
type BidColumns = readonly [bidder: number, auction: number, price: number, dateTime: number];

/** Counters of one day; the distinct sets live in map state. */
interface DayCounts {
  bids: [number, number, number, number];
  bidders: [number, number, number, number];
  auctions: [number, number, number, number];
}

/**
 * Per day: bid counts per price rank and distinct bidders/auctions per rank. Distinct values are
 * kept in map state whose user key is `(rank, id)` folded into one number. Emits the day's row
 * once per 2 s mini-batch of event time in which it changed.
 */
class BiddingStatistics extends KeyedProcessFunction<number, BidColumns, Q15Row> {
  private counts!: ValueState<DayCounts>;
  private bidders!: MapState<number, boolean>;
  private auctions!: MapState<number, boolean>;

  override open(): void {
    const rc = this.getRuntimeContext();
    this.counts = rc.getState(new ValueStateDescriptor<DayCounts>('counts'));
    this.bidders = rc.getMapState(new MapStateDescriptor<number, boolean>('bidders'));
    this.auctions = rc.getMapState(new MapStateDescriptor<number, boolean>('auctions'));
  }

  processElement(b: BidColumns, ctx: KeyedProcessContext<number>, _out: Collector<Q15Row>): void {
    const [bidder, auction, price, dateTime] = b;
    let c = this.counts.value();
    if (c === undefined) {
      c = { bids: [0, 0, 0, 0], bidders: [0, 0, 0, 0], auctions: [0, 0, 0, 0] };
      this.counts.update(c);
    }
    const rank = priceRank(price);
    c.bids[0]++;
    c.bids[rank]++;
    // User keys: id * 4 + rank (rank 0 = any); ids stay far below 2^51.
    if (!this.bidders.contains(bidder * 4)) {
      this.bidders.put(bidder * 4, true);
      c.bidders[0]++;
    }
    if (!this.bidders.contains(bidder * 4 + rank)) {
      this.bidders.put(bidder * 4 + rank, true);
      c.bidders[rank]++;
    }
    if (!this.auctions.contains(auction * 4)) {
      this.auctions.put(auction * 4, true);
      c.auctions[0]++;
    }
    if (!this.auctions.contains(auction * 4 + rank)) {
      this.auctions.put(auction * 4 + rank, true);
      c.auctions[rank]++;
    }
    ctx.timerService().registerEventTimeTimer(miniBatchEnd(dateTime));
  }

  override onTimer(_t: number, ctx: KeyedOnTimerContext<number>, out: Collector<Q15Row>): void {
    const c = this.counts.value();
    if (c === undefined) return;
    const [b, d, a] = [c.bids, c.bidders, c.auctions];
    out.collect({
      day: dayOf(ctx.getCurrentKey() * DAY_MS),
      totalBids: b[0],
      rank1Bids: b[1],
      rank2Bids: b[2],
      rank3Bids: b[3],
      totalBidders: d[0],
      rank1Bidders: d[1],
      rank2Bidders: d[2],
      rank3Bidders: d[3],
      totalAuctions: a[0],
      rank1Auctions: a[1],
      rank2Auctions: a[2],
      rank3Auctions: a[3],
    });
  }
}

/**
 * q15, bidding statistics per day: counts and distinct counts filtered by price rank (the SQL's
 * `COUNT(*) FILTER` and `COUNT(DISTINCT …) FILTER`), as a keyed process function per day with
 * map state for the distinct sets. Emits upserts.
 */
export const q15: NexmarkQuery<Q15Row> = {
  name: 'q15',
  group: 'join',
  description: 'bidding statistics per day: filtered counts and distinct counts',
  build(events) {
    return events
      // Projection pushdown: only the needed columns cross the exchange.
      .flatMap<BidColumns>((e, out) => {
        if (e.kind === 'bid') out.collect([e.bidder, e.auction, e.price, e.dateTime]);
      })
      .name('bid columns')
      .keyBy((b) => Math.floor(b[3] / DAY_MS))
      .process(new BiddingStatistics())
      .name('q15');
  },
  row: (r) => [
    r.day,
    r.totalBids,
    r.rank1Bids,
    r.rank2Bids,
    r.rank3Bids,
    r.totalBidders,
    r.rank1Bidders,
    r.rank2Bidders,
    r.rank3Bidders,
    r.totalAuctions,
    r.rank1Auctions,
    r.rank2Auctions,
    r.rank3Auctions,
  ],
  upsertKey: (r) => r.day,
};
