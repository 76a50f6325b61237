import type { NexmarkEvent } from '@riffle/connector-datagen';
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

/**
 * The columns q4's join needs (projection pushdown: only these cross the exchange): an auction
 * as `[0, id, category, dateTime, expires]`, a bid as `[1, auction, price, dateTime]`.
 */
export type AuctionOrBid = readonly [kind: 0, id: number, category: number, dateTime: number, expires: number] | readonly [kind: 1, auction: number, price: number, dateTime: number];

/** Projects the auctions and bids of the event stream to {@link AuctionOrBid}. */
export function auctionOrBid(e: NexmarkEvent, out: Collector<AuctionOrBid>): void {
  if (e.kind === 'bid') out.collect([1, e.auction, e.price, e.dateTime]);
  else if (e.kind === 'auction') out.collect([0, e.id, e.category, e.dateTime, e.expires]);
}

interface OpenAuction {
  readonly category: number;
  readonly dateTime: number;
  readonly expires: number;
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
export class WinningBids extends KeyedProcessFunction<number, AuctionOrBid, ClosedAuction> {
  private auction!: ValueState<OpenAuction>;
  private maxPrice!: ValueState<number>;
  private early!: ListState<PendingBid>;

  override open(): void {
    const rc = this.getRuntimeContext();
    this.auction = rc.getState(new ValueStateDescriptor<OpenAuction>('auction'));
    this.maxPrice = rc.getState(new ValueStateDescriptor<number>('max-price'));
    this.early = rc.getListState(new ListStateDescriptor<PendingBid>('early-bids'));
  }

  processElement(x: AuctionOrBid, ctx: KeyedProcessContext<number>, _out: Collector<ClosedAuction>): void {
    if (x[0] === 0) {
      const e = { category: x[2], dateTime: x[3], expires: x[4] };
      this.auction.update(e);
      let max = -1;
      for (const b of this.early.get()) if (b.dateTime >= e.dateTime && b.dateTime <= e.expires && b.price > max) max = b.price;
      this.early.clear();
      if (max >= 0) this.maxPrice.update(max);
      ctx.timerService().registerEventTimeTimer(e.expires);
    } else {
      const [, , price, dateTime] = x;
      const a = this.auction.value();
      if (a === undefined) {
        this.early.add({ price, dateTime });
        ctx.timerService().registerEventTimeTimer(dateTime);
      } else if (dateTime >= a.dateTime && dateTime <= a.expires) {
        const max = this.maxPrice.value();
        if (max === undefined || price > max) this.maxPrice.update(price);
      }
    }
  }

  override onTimer(timestamp: number, ctx: KeyedOnTimerContext<number>, out: Collector<ClosedAuction>): void {
    const a = this.auction.value();
    if (a === undefined) {
      this.early.clear(); // bids on an auction not created before them: they never join
      return;
    }
    if (timestamp < a.expires) return;
    const max = this.maxPrice.value();
    if (max !== undefined) out.collect({ id: ctx.getCurrentKey(), category: a.category, price: max });
    // Bids after `expires` never join; keep only a tombstone-free empty key.
    this.auction.clear();
    this.maxPrice.clear();
  }
}

/** The key of the auction ⋈ bid join (q4, q20): the auction id. */
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
      .flatMap(auctionOrBid)
      .name('q4 inputs')
      .keyBy((x) => x[1])
      .process(new WinningBids())
      .name('winning bids')
      .keyBy((c) => c.category)
      .process(new AverageByCategory())
      .name('q4');
  },
  row: (r) => [r.category, r.avg],
  upsertKey: (r) => String(r.category),
};
