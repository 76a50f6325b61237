import type { Auction, Person } from '@riffle/connector-datagen';
import { Time, type Collector } from '@riffle/core';
import { TumblingEventTimeWindows } from '@riffle/datastream';
import { auctions, persons } from './bids.js';
import type { NexmarkQuery } from './nexmark-query.js';

/** q8 output: a person who opened an auction in the 10 s window they registered in. */
export interface Q8Row {
  readonly id: number;
  readonly name: string;
  readonly starttime: number;
}

/** q8's tumbling window (10 s). */
export const Q8_WINDOW_MS = 10_000;

/**
 * q8, monitor new users: persons and auctions in the same 10 s tumbling window joined on
 * `person.id = auction.seller`. The SQL groups each side per window before joining, so a
 * person appears once however many auctions they opened: a window coGroup emits each person
 * of the window once when the seller side is not empty.
 */
export const q8: NexmarkQuery<Q8Row> = {
  name: 'q8',
  group: 'join',
  description: 'monitor new users: tumbling 10 s window coGroup person ⋈ auction',
  build(events) {
    return persons(events)
      .coGroup(auctions(events))
      .where((p) => p.id)
      .equalTo((a) => a.seller)
      .window(TumblingEventTimeWindows.of(Time.milliseconds(Q8_WINDOW_MS)))
      .apply((people: Iterable<Person>, sold: Iterable<Auction>, out: Collector<Q8Row>) => {
        const any = sold[Symbol.iterator]().next();
        if (any.done) return;
        const starttime = any.value.dateTime - (any.value.dateTime % Q8_WINDOW_MS);
        for (const p of people) out.collect({ id: p.id, name: p.name, starttime });
      })
      .name('q8');
  },
  row: (r) => [r.id, r.name, r.starttime],
};
