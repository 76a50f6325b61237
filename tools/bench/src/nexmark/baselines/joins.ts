import type { Auction, Bid, Person } from '@riffle/connector-datagen';
import { Q3_CATEGORY, Q3_STATES } from '../queries/q3.js';
import type { Baseline } from './baseline.js';

/** q3: persons by id, auctions waiting for their seller. */
export function q3Baseline(): Baseline {
  const people = new Map<number, Person>();
  const waiting = new Map<number, Auction[]>();
  return {
    process(e, emit) {
      if (e.kind === 'auction') {
        if (e.category !== Q3_CATEGORY) return;
        const p = people.get(e.seller);
        if (p !== undefined) emit({ name: p.name, city: p.city, state: p.state, id: e.id });
        else {
          const list = waiting.get(e.seller);
          if (list === undefined) waiting.set(e.seller, [e]);
          else list.push(e);
        }
      } else if (e.kind === 'person' && Q3_STATES.has(e.state)) {
        people.set(e.id, e);
        const list = waiting.get(e.id);
        if (list !== undefined) {
          for (const a of list) emit({ name: e.name, city: e.city, state: e.state, id: a.id });
          waiting.delete(e.id);
        }
      }
    },
    finish() {},
  };
}

/** q20: auctions by id, bids waiting for their auction. */
export function q20Baseline(): Baseline {
  const auctions = new Map<number, Auction>();
  const waiting = new Map<number, Bid[]>();
  const expand = (b: Bid, a: Auction) => ({
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
  });
  return {
    process(e, emit) {
      if (e.kind === 'bid') {
        const a = auctions.get(e.auction);
        if (a === undefined) {
          const list = waiting.get(e.auction);
          if (list === undefined) waiting.set(e.auction, [e]);
          else list.push(e);
        } else if (a.category === Q3_CATEGORY) emit(expand(e, a));
      } else if (e.kind === 'auction') {
        auctions.set(e.id, e);
        const list = waiting.get(e.id);
        if (list !== undefined) {
          if (e.category === Q3_CATEGORY) for (const b of list) emit(expand(b, e));
          waiting.delete(e.id);
        }
      }
    },
    finish() {},
  };
}
