import { toEuros } from './q1.js';
import type { NexmarkQuery } from './nexmark-query.js';
import { hourOf } from './time.js';

/** q14 output. */
export interface Q14Row {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly bidTimeType: 'dayTime' | 'nightTime' | 'otherTime';
  readonly dateTime: number;
  readonly extra: string;
  readonly cCounts: number;
}

/** q14's `count_char(extra, 'c')` UDF. */
export function countChar(s: string, c: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === c) n++;
  return n;
}

/** q14's `CASE HOUR(dateTime) …` (UTC). */
export function bidTimeType(dateTime: number): Q14Row['bidTimeType'] {
  const h = hourOf(dateTime);
  return h >= 8 && h <= 18 ? 'dayTime' : h <= 6 || h >= 20 ? 'nightTime' : 'otherTime';
}

const C = 'c'.charCodeAt(0);

/** q14, calculation: bids with 1M < 0.908·price < 50M, with a day/night label and a UDF count. */
export const q14: NexmarkQuery<Q14Row> = {
  name: 'q14',
  group: 'stateless',
  description: 'calculation: filter on converted price, CASE on hour, count_char UDF',
  build(events) {
    return events
      .flatMap<Q14Row>((e, out) => {
        if (e.kind !== 'bid') return;
        const price = toEuros(e.price);
        if (price > 1_000_000 && price < 50_000_000) {
          out.collect({
            auction: e.auction,
            bidder: e.bidder,
            price,
            bidTimeType: bidTimeType(e.dateTime),
            dateTime: e.dateTime,
            extra: e.extra,
            cCounts: countChar(e.extra, C),
          });
        }
      })
      .name('q14');
  },
  row: (r) => [r.auction, r.bidder, r.price, r.bidTimeType, r.dateTime, r.extra, r.cCounts],
};
