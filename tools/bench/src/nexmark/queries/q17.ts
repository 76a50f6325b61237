import type { Bid } from '@riffle/connector-datagen';
import { KeyedProcessFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import { bids } from './bids.js';
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

/** Days since the epoch stay below 2^17, so `auction * 2^17 + day` is an exact, unique key. */
function auctionDayKey(b: Bid): number {
  return b.auction * 131_072 + Math.floor(b.dateTime / DAY_MS);
}

/** Per (auction, day) statistics, emitted once per 2 s mini-batch of event time in which they changed. */
class AuctionStatistics extends KeyedProcessFunction<number, Bid, Q17Row> {
  private stats!: ValueState<AuctionDay>;

  override open(): void {
    this.stats = this.getRuntimeContext().getState(new ValueStateDescriptor<AuctionDay>('stats'));
  }

  processElement(b: Bid, ctx: KeyedProcessContext<number>, _out: Collector<Q17Row>): void {
    const s = this.stats.value();
    const rank = priceRank(b.price);
    if (s === undefined) {
      const dayStart = b.dateTime - (b.dateTime % DAY_MS);
      this.stats.update({
        auction: b.auction,
        dayStart,
        total: 1,
        rank1: rank === 1 ? 1 : 0,
        rank2: rank === 2 ? 1 : 0,
        rank3: rank === 3 ? 1 : 0,
        min: b.price,
        max: b.price,
        sum: b.price,
      });
    } else {
      s.total++;
      if (rank === 1) s.rank1++;
      else if (rank === 2) s.rank2++;
      else s.rank3++;
      if (b.price < s.min) s.min = b.price;
      if (b.price > s.max) s.max = b.price;
      s.sum += b.price;
    }
    ctx.timerService().registerEventTimeTimer(miniBatchEnd(b.dateTime));
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
    return bids(events).keyBy(auctionDayKey).process(new AuctionStatistics()).name('q17');
  },
  row: (r) => [r.auction, r.day, r.totalBids, r.rank1Bids, r.rank2Bids, r.rank3Bids, r.minPrice, r.maxPrice, r.avgPrice, r.sumPrice],
  upsertKey: (r) => `${r.auction}|${r.day}`,
};
