import { toEuros } from '../queries/q1.js';
import { bidTimeType, countChar } from '../queries/q14.js';
import { channelId } from '../queries/q21.js';
import { urlDirectories } from '../queries/q22.js';
import type { Baseline } from './baseline.js';

const C = 'c'.charCodeAt(0);

/** q0: projection of each bid. */
export function q0Baseline(): Baseline {
  return {
    process(e, emit) {
      if (e.kind === 'bid') emit({ auction: e.auction, bidder: e.bidder, price: e.price, dateTime: e.dateTime, extra: e.extra });
    },
    finish() {},
  };
}

/** q1: currency conversion. */
export function q1Baseline(): Baseline {
  return {
    process(e, emit) {
      if (e.kind === 'bid') emit({ auction: e.auction, bidder: e.bidder, price: toEuros(e.price), dateTime: e.dateTime, extra: e.extra });
    },
    finish() {},
  };
}

/** q2: selection. */
export function q2Baseline(): Baseline {
  return {
    process(e, emit) {
      if (e.kind === 'bid' && e.auction % 123 === 0) emit({ auction: e.auction, price: e.price });
    },
    finish() {},
  };
}

/** q14: filter on the converted price, CASE on the hour, count_char. */
export function q14Baseline(): Baseline {
  return {
    process(e, emit) {
      if (e.kind !== 'bid') return;
      const price = toEuros(e.price);
      if (price > 1_000_000 && price < 50_000_000) {
        emit({
          auction: e.auction,
          bidder: e.bidder,
          price,
          bidTimeType: bidTimeType(e.dateTime),
          dateTime: e.dateTime,
          extra: e.extra,
          cCounts: countChar(e.extra, C),
        });
      }
    },
    finish() {},
  };
}

/** q21: channel id from a CASE or the URL. */
export function q21Baseline(): Baseline {
  return {
    process(e, emit) {
      if (e.kind !== 'bid') return;
      const id = channelId(e.channel, e.url);
      if (id !== null) emit({ auction: e.auction, bidder: e.bidder, price: e.price, channel: e.channel, channelId: id });
    },
    finish() {},
  };
}

/** q22: URL directories. */
export function q22Baseline(): Baseline {
  const dirs: (string | null)[] = [null, null, null];
  return {
    process(e, emit) {
      if (e.kind !== 'bid') return;
      urlDirectories(e.url, dirs);
      emit({ auction: e.auction, bidder: e.bidder, price: e.price, channel: e.channel, dir1: dirs[0], dir2: dirs[1], dir3: dirs[2] });
    },
    finish() {},
  };
}
