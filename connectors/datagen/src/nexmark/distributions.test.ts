import { beforeAll, describe, expect, it } from 'vitest';
import { nexmarkConfig } from './config.js';
import { NexmarkGenerator } from './generator.js';
import { HOT_CHANNELS } from './tables.js';

/**
 * Statistics of one million default events (seed 1), gathered in one streaming pass. Expected
 * values are derived from the model (NEXMARK.md §1.2–1.3), not from a previous run.
 */
const N = 1_000_000;

interface Stats {
  counts: { person: number; auction: number; bid: number };
  bidsOnCurrentHotAuction: number;
  bidsByCurrentHotBidder: number;
  bidderWindowViolations: number;
  sellerWindowViolations: number;
  auctionWindowViolations: number;
  hotChannelBids: number;
  hotChannelCounts: number[];
  prices: Float64Array;
  priceCount: number;
  timestampMismatches: number;
  decreasingTimestamps: number;
  firstTimestamp: number;
  lastTimestamp: number;
  extraOutOfRange: number;
  sizeSums: { person: number; auction: number; bid: number };
}

/** nexmark's nextExtra length range [d − δ, d + δ) for a current size and an average. */
function extraRange(current: number, average: number): [number, number] {
  if (current > average) return [0, 0];
  const d = average - current;
  const delta = Math.round(d * 0.2);
  return [d - delta, delta === 0 ? d : d + delta - 1];
}

function gather(): Stats {
  const config = nexmarkConfig({ seed: 1, maxEvents: N });
  const generator = new NexmarkGenerator(config);
  const s: Stats = {
    counts: { person: 0, auction: 0, bid: 0 },
    bidsOnCurrentHotAuction: 0,
    bidsByCurrentHotBidder: 0,
    bidderWindowViolations: 0,
    sellerWindowViolations: 0,
    auctionWindowViolations: 0,
    hotChannelBids: 0,
    hotChannelCounts: [0, 0, 0, 0],
    prices: new Float64Array(N * 1.1),
    priceCount: 0,
    timestampMismatches: 0,
    decreasingTimestamps: 0,
    firstTimestamp: 0,
    lastTimestamp: 0,
    extraOutOfRange: 0,
    sizeSums: { person: 0, auction: 0, bid: 0 },
  };
  // Base-0 ids of the last person and auction seen in the stream. The stream starts at event id
  // 2, so "person 0" (id 1000) is the latest person until the first one is emitted.
  let lastPerson = 0;
  let lastAuction = 0;
  let previousTimestamp = -Infinity;
  for (let i = 0; i < N; i++) {
    const e = generator.next();
    s.counts[e.kind]++;
    const expectedTimestamp = config.baseTime + Math.floor(Math.floor((i + 1) * 100) / 1000);
    if (e.dateTime !== expectedTimestamp) s.timestampMismatches++;
    if (e.dateTime < previousTimestamp) s.decreasingTimestamps++;
    previousTimestamp = e.dateTime;
    if (i === 0) s.firstTimestamp = e.dateTime;
    s.lastTimestamp = e.dateTime;
    switch (e.kind) {
      case 'person': {
        lastPerson = e.id - 1000;
        const current = 8 + e.name.length + e.emailAddress.length + e.creditCard.length + e.city.length + e.state.length;
        const [lo, hi] = extraRange(current, 200);
        if (e.extra.length < lo || e.extra.length > hi) s.extraOutOfRange++;
        s.sizeSums.person += current + e.extra.length;
        break;
      }
      case 'auction': {
        lastAuction = e.id - 1000;
        // Sellers: person ids, offset 1000, among the active people or a few ahead.
        const seller = e.seller - 1000;
        if (seller < lastPerson + 1 - 1000 || seller > lastPerson + 10) s.sellerWindowViolations++;
        s.prices[s.priceCount++] = e.initialBid;
        s.prices[s.priceCount++] = e.reserve - e.initialBid;
        const current = 8 + e.itemName.length + e.description.length + 40;
        const [lo, hi] = extraRange(current, 500);
        if (e.extra.length < lo || e.extra.length > hi) s.extraOutOfRange++;
        s.sizeSums.auction += current + e.extra.length;
        break;
      }
      case 'bid': {
        const auction = e.auction - 1000;
        if (auction === Math.trunc(lastAuction / 100) * 100) s.bidsOnCurrentHotAuction++;
        if (auction < Math.max(lastAuction - 100, 0) || auction > lastAuction + 10) s.auctionWindowViolations++;
        // Bidders are person ids offset by 2000 (FIRST_PERSON_ID added twice, as nexmark/nexmark).
        const bidder = e.bidder - 2000;
        if (bidder === Math.trunc(lastPerson / 100) * 100 + 1) s.bidsByCurrentHotBidder++;
        if (bidder < lastPerson + 1 - 1000 || bidder > lastPerson + 10) s.bidderWindowViolations++;
        const hot = HOT_CHANNELS.indexOf(e.channel);
        if (hot >= 0) {
          s.hotChannelBids++;
          s.hotChannelCounts[hot]++;
        }
        s.prices[s.priceCount++] = e.price;
        const [lo, hi] = extraRange(32, 100);
        if (e.extra.length < lo || e.extra.length > hi) s.extraOutOfRange++;
        s.sizeSums.bid += 32 + e.extra.length;
        break;
      }
    }
  }
  return s;
}

describe('NexmarkGenerator distributions over 1M events', () => {
  let s: Stats;
  beforeAll(() => {
    s = gather();
  });

  it('emits 2 % persons, 6 % auctions and 92 % bids', () => {
    expect(Math.abs(s.counts.person / N - 0.02)).toBeLessThan(0.003);
    expect(Math.abs(s.counts.auction / N - 0.06)).toBeLessThan(0.003);
    expect(Math.abs(s.counts.bid / N - 0.92)).toBeLessThan(0.003);
  });

  it('sends half the bids, plus 1/111 of the others, to the current hot auction', () => {
    // Hot with P 1/2; otherwise uniform over the 111 ids [last − 100, last + 10], which contain the
    // hot auction once: 1/2 + 1/2 · 1/111 = 0.5045.
    expect(Math.abs(s.bidsOnCurrentHotAuction / s.counts.bid - (0.5 + 0.5 / 111))).toBeLessThan(0.003);
    expect(s.auctionWindowViolations).toBe(0);
  });

  it('offsets bidder ids by 2000 and seller ids by 1000 relative to person ids', () => {
    // Hot bidder with P 3/4; otherwise uniform over the 1010 ids [last − 999, last + 10]
    // (fewer while under 1000 people exist, which only slightly raises the share).
    const share = s.bidsByCurrentHotBidder / s.counts.bid;
    expect(share).toBeGreaterThan(0.75 + 0.25 / 1010 - 0.003);
    expect(share).toBeLessThan(0.75 + 0.25 / 1010 + 0.003);
    expect(s.bidderWindowViolations).toBe(0);
    expect(s.sellerWindowViolations).toBe(0);
  });

  it('uses a hot channel for half the bids, uniformly among the four', () => {
    expect(Math.abs(s.hotChannelBids / s.counts.bid - 0.5)).toBeLessThan(0.003);
    for (const c of s.hotChannelCounts) expect(Math.abs(c / s.hotChannelBids - 0.25)).toBeLessThan(0.005);
  });

  it('draws prices log-uniformly from [100, 10^8] cents', () => {
    const prices = s.prices.subarray(0, s.priceCount).sort();
    expect(prices[0]).toBeGreaterThanOrEqual(100);
    expect(prices[prices.length - 1]).toBeLessThanOrEqual(1e8);
    // log10(price) = 2 + 6U: quartiles at 3.5, 5 and 6.5.
    const quantile = (q: number) => Math.log10(prices[Math.floor(q * (prices.length - 1))]);
    expect(Math.abs(quantile(0.25) - 3.5)).toBeLessThan(0.02);
    expect(Math.abs(quantile(0.5) - 5)).toBeLessThan(0.02);
    expect(Math.abs(quantile(0.75) - 6.5)).toBeLessThan(0.02);
    expect(Math.abs(quantile(0.1) - 2.6)).toBeLessThan(0.02);
  });

  it('spaces timestamps by the rate, non-decreasing without disorder', () => {
    expect(s.timestampMismatches).toBe(0);
    expect(s.decreasingTimestamps).toBe(0);
    // Event numbers 1 … 1M, 100 µs apart (10 000 events/s): from 0.1 ms to 100 000 ms.
    expect(s.lastTimestamp - s.firstTimestamp).toBe(100_000);
  });

  it('pads events with extra to their average sizes: 200, 500 and 100 bytes', () => {
    expect(s.extraOutOfRange).toBe(0);
    // Lengths are uniform in [d − δ, d + δ), so sizes average the target minus half a byte.
    const mean = (kind: 'person' | 'auction' | 'bid') => s.sizeSums[kind] / s.counts[kind];
    expect(Math.abs(mean('person') / 200 - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean('auction') / 500 - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean('bid') / 100 - 1)).toBeLessThan(0.02);
  });
});
