import { selectNexmarkKind, type Auction, type Bid, type NexmarkEvent, type Person } from '@riffle/connector-datagen';
import type { DataStream } from '@riffle/datastream';

/** The `bid` view of the Nexmark DDL: the bids of the combined event stream. */
export function bids(events: DataStream<NexmarkEvent>): DataStream<Bid> {
  return events.flatMap(selectNexmarkKind('bid')).name('bid');
}

/** The `auction` view. */
export function auctions(events: DataStream<NexmarkEvent>): DataStream<Auction> {
  return events.flatMap(selectNexmarkKind('auction')).name('auction');
}

/** The `person` view. */
export function persons(events: DataStream<NexmarkEvent>): DataStream<Person> {
  return events.flatMap(selectNexmarkKind('person')).name('person');
}
