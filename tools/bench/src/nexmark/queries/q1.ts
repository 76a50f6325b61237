import type { NexmarkQuery } from './nexmark-query.js';

/** q1 output: the bid with its price converted (`0.908 * price`, DECIMAL(23,3) in Flink). */
export interface Q1Row {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly dateTime: number;
  readonly extra: string;
}

/** Dollars to euros as q1 does; exact to the third decimal because prices are integers. */
export function toEuros(price: number): number {
  return (price * 908) / 1000;
}

/** q1, currency conversion: each bid with `0.908 * price`. */
export const q1: NexmarkQuery<Q1Row> = {
  name: 'q1',
  group: 'stateless',
  description: 'currency conversion: map each bid',
  build(events) {
    return events
      .flatMap<Q1Row>((e, out) => {
        if (e.kind === 'bid') out.collect({ auction: e.auction, bidder: e.bidder, price: toEuros(e.price), dateTime: e.dateTime, extra: e.extra });
      })
      .name('q1');
  },
  row: (r) => [r.auction, r.bidder, r.price, r.dateTime, r.extra],
};
