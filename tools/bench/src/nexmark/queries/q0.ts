import type { NexmarkQuery } from './nexmark-query.js';

/** q0 output: `SELECT auction, bidder, price, dateTime, extra FROM bid`. */
export interface Q0Row {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly dateTime: number;
  readonly extra: string;
}

/** q0, pass through: every bid projected to five columns (one flatMap over the combined stream). */
export const q0: NexmarkQuery<Q0Row> = {
  name: 'q0',
  group: 'stateless',
  description: 'pass through: project each bid',
  build(events) {
    return events
      .flatMap<Q0Row>((e, out) => {
        if (e.kind === 'bid') out.collect({ auction: e.auction, bidder: e.bidder, price: e.price, dateTime: e.dateTime, extra: e.extra });
      })
      .name('q0');
  },
  row: (r) => [r.auction, r.bidder, r.price, r.dateTime, r.extra],
};
