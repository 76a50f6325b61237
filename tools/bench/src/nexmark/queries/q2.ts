import type { NexmarkQuery } from './nexmark-query.js';

/** q2 output: `SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0`. */
export interface Q2Row {
  readonly auction: number;
  readonly price: number;
}

/** q2, selection: the bids on every 123rd auction. */
export const q2: NexmarkQuery<Q2Row> = {
  name: 'q2',
  group: 'stateless',
  description: 'selection: bids with auction % 123 = 0',
  build(events) {
    return events
      .flatMap<Q2Row>((e, out) => {
        if (e.kind === 'bid' && e.auction % 123 === 0) out.collect({ auction: e.auction, price: e.price });
      })
      .name('q2');
  },
  row: (r) => [r.auction, r.price],
};
