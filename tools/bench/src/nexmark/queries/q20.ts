import type { Auction, Bid, NexmarkEvent } from '@riffle/connector-datagen';
import { KeyedProcessFunction, type Collector, type KeyedProcessContext } from '@riffle/core';
import { ListStateDescriptor, ValueStateDescriptor, type ListState, type ValueState } from '@riffle/state';
import type { NexmarkQuery } from './nexmark-query.js';
import { Q3_CATEGORY } from './q3.js';
import { auctionKey } from './q4.js';

/** q20 output: a bid expanded with its (category 10) auction. */
export interface Q20Row {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  readonly bidDateTime: number;
  readonly bidExtra: string;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  readonly auctionDateTime: number;
  readonly expires: number;
  readonly seller: number;
  readonly category: number;
  readonly auctionExtra: string;
}

function expand(b: Bid, a: Auction): Q20Row {
  return {
    auction: b.auction,
    bidder: b.bidder,
    price: b.price,
    channel: b.channel,
    url: b.url,
    bidDateTime: b.dateTime,
    bidExtra: b.extra,
    itemName: a.itemName,
    description: a.description,
    initialBid: a.initialBid,
    reserve: a.reserve,
    auctionDateTime: a.dateTime,
    expires: a.expires,
    seller: a.seller,
    category: a.category,
    auctionExtra: a.extra,
  };
}

/**
 * The unbounded inner join `bid.auction = auction.id` restricted to category 10, keyed by auction
 * id over the combined stream (see q3 for why not a two-input operator). The auction is kept
 * forever (a non-matching one as a marker, so its later bids are dropped at once); bids that
 * arrive before their auction wait in a list, as the regular join has no time bound.
 */
class ExpandBid extends KeyedProcessFunction<number, NexmarkEvent, Q20Row> {
  private auction!: ValueState<Auction>;
  private pending!: ListState<Bid>;

  override open(): void {
    this.auction = this.getRuntimeContext().getState(new ValueStateDescriptor<Auction>('auction'));
    this.pending = this.getRuntimeContext().getListState(new ListStateDescriptor<Bid>('pending-bids'));
  }

  processElement(e: NexmarkEvent, _ctx: KeyedProcessContext<number>, out: Collector<Q20Row>): void {
    if (e.kind === 'bid') {
      const a = this.auction.value();
      if (a === undefined) this.pending.add(e);
      else if (a.category === Q3_CATEGORY) out.collect(expand(e, a));
    } else if (e.kind === 'auction') {
      this.auction.update(e);
      if (e.category === Q3_CATEGORY) for (const b of this.pending.get()) out.collect(expand(b, e));
      this.pending.clear();
    }
  }
}

/** q20, expand bid with auction: bids joined with their category-10 auctions (all columns). */
export const q20: NexmarkQuery<Q20Row> = {
  name: 'q20',
  group: 'join',
  description: 'expand bid with auction: keyed process join bid ⋈ auction, category 10',
  build(events) {
    return events
      .filter((e) => e.kind !== 'person')
      .name('q20 inputs')
      .keyBy(auctionKey)
      .process(new ExpandBid())
      .name('q20');
  },
  row: (r) => [
    r.auction,
    r.bidder,
    r.price,
    r.channel,
    r.url,
    r.bidDateTime,
    r.bidExtra,
    r.itemName,
    r.description,
    r.initialBid,
    r.reserve,
    r.auctionDateTime,
    r.expires,
    r.seller,
    r.category,
    r.auctionExtra,
  ],
};
