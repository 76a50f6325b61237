import type { Auction, NexmarkEvent } from '@riffle/connector-datagen';
import { KeyedProcessFunction, type Collector, type KeyedOnTimerContext, type KeyedProcessContext } from '@riffle/core';
import { ListStateDescriptor, ValueStateDescriptor, type ListState, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';

/** The closing price of one auction: `MAX(B.price) … GROUP BY A.id, A.category`. */
export interface ClosedAuction {
  readonly id: number;
  readonly category: number;
  readonly price: number;
}

/** q4 output (an upsert per category): `category, AVG(final)`. */
export interface Q4Row {
  readonly category: number;
  readonly avg: number;
}

interface PendingBid {
  readonly price: number;
  readonly dateTime: number;
}

/**
 * Winning bids (the join of q4 and q9): keyed by auction id, keeps the auction and the highest
 * bid with `A.dateTime <= B.dateTime <= A.expires`; emits the closed auction when the watermark
 * passes `expires` (only if it had a bid, as the SQL inner join does). Bids that arrive before
 * their auction (the two kinds travel separately) wait until the watermark passes their own
 * time: by then an auction created before them has arrived, else they can never match.
 *
 * Flink runs this as an updating join + aggregate with retractions; in a bounded run both end
 * with the same rows. Timers replace the retractions.
 */
export class WinningBids extends KeyedProcessFunction<number, NexmarkEvent, ClosedAuction> {
  private auction!: ValueState<Auction>;
  private maxPrice!: ValueState<number>;
  private early!: ListState<PendingBid>;

  override open(): void {
    const rc = this.getRuntimeContext();
    this.auction = rc.getState(new ValueStateDescriptor<Auction>('auction'));
    this.maxPrice = rc.getState(new ValueStateDescriptor<number>('max-price'));
    this.early = rc.getListState(new ListStateDescriptor<PendingBid>('early-bids'));
  }

  processElement(e: NexmarkEvent, ctx: KeyedProcessContext<number>, _out: Collector<ClosedAuction>): void {
    if (e.kind === 'auction') {
      this.auction.update(e);
      let max = -1;
      for (const b of this.early.get()) if (b.dateTime >= e.dateTime && b.dateTime <= e.expires && b.price > max) max = b.price;
      this.early.clear();
      if (max >= 0) this.maxPrice.update(max);
      ctx.timerService().registerEventTimeTimer(e.expires);
    } else if (e.kind === 'bid') {
      const a = this.auction.value();
      if (a === undefined) {
        this.early.add({ price: e.price, dateTime: e.dateTime });
        ctx.timerService().registerEventTimeTimer(e.dateTime);
      } else if (e.dateTime >= a.dateTime && e.dateTime <= a.expires) {
        const max = this.maxPrice.value();
        if (max === undefined || e.price > max) this.maxPrice.update(e.price);
      }
    }
  }

  override onTimer(timestamp: number, _ctx: KeyedOnTimerContext<number>, out: Collector<ClosedAuction>): void {
    const a = this.auction.value();
    if (a === undefined) {
      this.early.clear(); // bids on an auction not created before them: they never join
      return;
    }
    if (timestamp < a.expires) return;
    const max = this.maxPrice.value();
    if (max !== undefined) out.collect({ id: a.id, category: a.category, price: max });
    // Bids after `expires` never join; keep only a tombstone-free empty key.
    this.auction.clear();
    this.maxPrice.clear();
  }
}

/** The events of the auction ⋈ bid join of q4 and q9, keyed by auction id. */
export function auctionKey(e: NexmarkEvent): number {
  return e.kind === 'bid' ? e.auction : e.kind === 'auction' ? e.id : -1;
}

/** Running average per category over the closed auctions; emits the new average per input. */
class AverageByCategory extends KeyedProcessFunction<number, ClosedAuction, Q4Row> {
  private sum!: ValueState<number>;
  private count!: ValueState<number>;

  override open(): void {
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum'));
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count'));
  }

  processElement(c: ClosedAuction, _ctx: KeyedProcessContext<number>, out: Collector<Q4Row>): void {
    const sum = (this.sum.value() ?? 0) + c.price;
    const count = (this.count.value() ?? 0) + 1;
    this.sum.update(sum);
    this.count.update(count);
    out.collect({ category: c.category, avg: (sum - (sum % count)) / count });
  }
}

/**
 * q4, average price per category: winning bid of each closed auction (keyed process join with
 * event-time timers at `expires`), then a running average per category (BIGINT AVG truncates).
 * Emits upserts; the last row per category is the SQL result.
 */
export const q4: NexmarkQuery<Q4Row> = {
  name: 'q4',
  group: 'state',
  description: 'avg closing price per category: keyed join with expiry timers + running avg',
  build(events) {
    return events
      .filter((e) => e.kind !== 'person')
      .name('q4 inputs')
      .keyBy(auctionKey)
      .process(new WinningBids())
      .name('winning bids')
      .keyBy((c) => c.category)
      .process(new AverageByCategory())
      .name('q4');
  },
  row: (r) => [r.category, r.avg],
  upsertKey: (r) => String(r.category),
};
