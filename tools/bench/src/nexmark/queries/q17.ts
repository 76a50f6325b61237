import { KeyedProcessFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';
import { priceRank } from './q15.js';
import { DAY_MS, dayOf, miniBatchEnd } from './time.js';

/** q17 output (an upsert per auction and day). */
export interface Q17Row {
  readonly auction: number;
  readonly day: string;
  readonly totalBids: number;
  readonly rank1Bids: number;
  readonly rank2Bids: number;
  readonly rank3Bids: number;
  readonly minPrice: number;
  readonly maxPrice: number;
  readonly avgPrice: number;
  readonly sumPrice: number;
}

interface AuctionDay {
  readonly auction: number;
  readonly dayStart: number;
  total: number;
  rank1: number;
  rank2: number;
  rank3: number;
  min: number;
  max: number;
  sum: number;
}

/** The columns q17 needs: auction, price, dateTime. */
type BidColumns = readonly [auction: number, price: number, dateTime: number];

/** Days since the epoch stay below 2^17, so `auction * 2^17 + day` is an exact, unique key. */
function auctionDayKey(b: BidColumns): number {
  return b[0] * 131_072 + Math.floor(b[2] / DAY_MS);
}

/** Per (auction, day) statistics, emitted once per 2 s mini-batch of event time in which they changed. */
class AuctionStatistics extends KeyedProcessFunction<number, BidColumns, Q17Row> {
  private stats!: ValueState<AuctionDay>;

  override open(): void {
    this.stats = this.getRuntimeContext().getState(new ValueStateDescriptor<AuctionDay>('stats'));
  }

  processElement(b: BidColumns, ctx: KeyedProcessContext<number>, _out: Collector<Q17Row>): void {
    const [auction, price, dateTime] = b;
    const s = this.stats.value();
    const rank = priceRank(price);
    if (s === undefined) {
      const dayStart = dateTime - (dateTime % DAY_MS);
      this.stats.update({
        auction: auction,
        dayStart,
        total: 1,
        rank1: rank === 1 ? 1 : 0,
        rank2: rank === 2 ? 1 : 0,
        rank3: rank === 3 ? 1 : 0,
        min: price,
        max: price,
        sum: price,
      });
    } else {
      s.total++;
      if (rank === 1) s.rank1++;
      else if (rank === 2) s.rank2++;
      else s.rank3++;
      if (price < s.min) s.min = price;
      if (price > s.max) s.max = price;
      s.sum += price;
    }
    ctx.timerService().registerEventTimeTimer(miniBatchEnd(dateTime));
  }

  override onTimer(_t: number, _ctx: KeyedOnTimerContext<number>, out: Collector<Q17Row>): void {
    const s = this.stats.value();
    if (s === undefined) return;
    out.collect({
      auction: s.auction,
      day: dayOf(s.dayStart),
      totalBids: s.total,
      rank1Bids: s.rank1,
      rank2Bids: s.rank2,
      rank3Bids: s.rank3,
      minPrice: s.min,
      maxPrice: s.max,
      avgPrice: (s.sum - (s.sum % s.total)) / s.total,
      sumPrice: s.sum,
    });
  }
}

/**
 * q17, auction statistics per (auction, day): counts per price rank, min, max, avg (BIGINT,
 * truncated) and sum of prices, as a keyed process function. Emits upserts.
 */
export const q17: NexmarkQuery<Q17Row> = {
  name: 'q17',
  group: 'join',
  description: 'auction statistics per (auction, day): counts, min/max/avg/sum',
  build(events) {
    return events
      // Projection pushdown: only the needed columns cross the exchange.
      .flatMap<BidColumns>((e, out) => {
        if (e.kind === 'bid') out.collect([e.auction, e.price, e.dateTime]);
      })
      .name('bid columns')
      .keyBy(auctionDayKey)
      .process(new AuctionStatistics())
      .name('q17');
  },
  row: (r) => [r.auction, r.day, r.totalBids, r.rank1Bids, r.rank2Bids, r.rank3Bids, r.minPrice, r.maxPrice, r.avgPrice, r.sumPrice],
  upsertKey: (r) => `${r.auction}|${r.day}`,
};
