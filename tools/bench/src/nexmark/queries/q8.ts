import { Time, type Collector } from '@riffle/core';
import { TumblingEventTimeWindows } from '@riffle/datastream';
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
    // Projection pushdown: persons as [id, name, dateTime], auctions as [seller].
    const people = events
      .flatMap<readonly [number, string, number]>((e, out) => {
        if (e.kind === 'person') out.collect([e.id, e.name, e.dateTime]);
      })
      .name('person columns');
    const sellers = events
      .flatMap<number>((e, out) => {
        if (e.kind === 'auction') out.collect(e.seller);
      })
      .name('auction sellers');
    return people
      .coGroup(sellers)
      .where((p) => p[0])
      .equalTo((seller) => seller)
      .window(TumblingEventTimeWindows.of(Time.milliseconds(Q8_WINDOW_MS)))
      .apply((persons: Iterable<readonly [number, string, number]>, sold: Iterable<number>, out: Collector<Q8Row>) => {
        if (sold[Symbol.iterator]().next().done) return;
        for (const [id, name, dateTime] of persons) out.collect({ id, name, starttime: dateTime - (dateTime % Q8_WINDOW_MS) });
      })
      .name('q8');
  },
  row: (r) => [r.id, r.name, r.starttime],
};
