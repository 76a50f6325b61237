import { OutputTag, ProcessFunction, type Collector, type ProcessContext } from '@riffle/core';
import type { Bid } from '@riffle/connector-datagen';

/** A bid as the ETL pipeline stores it. */
export interface EnrichedBid {
  readonly auction: number;
  readonly bidder: number;
  /** Price in dollars. */
  readonly price: number;
  readonly channel: string;
  /** One of the four hot channels, or `'other'`. */
  readonly channelGroup: string;
  /** Event time, epoch ms. */
  readonly ts: number;
}

/** A line that could not be parsed, with the reason (the dead-letter record). */
export interface DeadLetter {
  readonly line: string;
  readonly error: string;
}

/** The dead-letter side output of {@link ParseBid}. */
export const DEAD_LETTERS = new OutputTag<DeadLetter>('bid-dead-letters');

const HOT_CHANNELS = new Set(['Google', 'Facebook', 'Baidu', 'Apple']);

/** A bid as one JSON line, the way a producer would write it into a topic. */
export function toBidLine(bid: Bid): string {
  return JSON.stringify({ auction: bid.auction, bidder: bid.bidder, price: bid.price, channel: bid.channel, dateTime: bid.dateTime });
}

/** Parses and enriches one JSON bid line; throws an Error saying what is wrong. */
export function parseBidLine(line: string): EnrichedBid {
  const v = JSON.parse(line) as Record<string, unknown>;
  if (v === null || typeof v !== 'object') throw new Error('not a JSON object');
  const num = (k: string): number => {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`field '${k}' must be a number, got ${JSON.stringify(x)}`);
    return x;
  };
  const channel = v.channel;
  if (typeof channel !== 'string') throw new Error(`field 'channel' must be a string, got ${JSON.stringify(channel)}`);
  return {
    auction: num('auction'),
    bidder: num('bidder'),
    price: num('price') / 100,
    channel,
    channelGroup: HOT_CHANNELS.has(channel) ? channel : 'other',
    ts: num('dateTime'),
  };
}

/** Parses lines into enriched bids; a line that does not parse goes to {@link DEAD_LETTERS}, never failing the job. */
export class ParseBid extends ProcessFunction<string, EnrichedBid> {
  processElement(line: string, ctx: ProcessContext, out: Collector<EnrichedBid>): void {
    let bid: EnrichedBid;
    try {
      bid = parseBidLine(line);
    } catch (e) {
      ctx.output(DEAD_LETTERS, { line, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    out.collect(bid);
  }
}

/** `dt=YYYY-MM-DD/hour=HH` of a timestamp, UTC. */
export function hourPartition(ts: number): string {
  const iso = new Date(ts).toISOString();
  return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}
