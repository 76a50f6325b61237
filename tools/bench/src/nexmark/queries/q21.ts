import type { NexmarkQuery } from './nexmark-query.js';

/** q21 output. */
export interface Q21Row {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly channelId: string;
}

const CHANNEL_ID = /(&|^)channel_id=([^&]*)/;

/**
 * q21's channel id: '0'…'3' for the four hot channels (case-insensitive), else
 * `REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)`; `null` when neither applies (the row is
 * filtered out).
 */
export function channelId(channel: string, url: string): string | null {
  switch (channel.toLowerCase()) {
    case 'apple':
      return '0';
    case 'google':
      return '1';
    case 'facebook':
      return '2';
    case 'baidu':
      return '3';
    default: {
      const m = CHANNEL_ID.exec(url);
      return m === null ? null : m[2]!;
    }
  }
}

/** q21, add channel id: a CASE on the channel or a regular-expression extract from the URL. */
export const q21: NexmarkQuery<Q21Row> = {
  name: 'q21',
  group: 'stateless',
  description: 'add channel id: CASE + REGEXP_EXTRACT, filter not null',
  build(events) {
    return events
      .flatMap<Q21Row>((e, out) => {
        if (e.kind !== 'bid') return;
        const id = channelId(e.channel, e.url);
        if (id !== null) out.collect({ auction: e.auction, bidder: e.bidder, price: e.price, channel: e.channel, channelId: id });
      })
      .name('q21');
  },
  row: (r) => [r.auction, r.bidder, r.price, r.channel, r.channelId],
};
