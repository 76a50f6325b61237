import type { NexmarkQuery } from './nexmark-query.js';

/** q22 output. */
export interface Q22Row {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly dir1: string | null;
  readonly dir2: string | null;
  readonly dir3: string | null;
}

/**
 * Flink's `SPLIT_INDEX(s, '/', i)` for i = 3, 4, 5 at once (0-based; `null` past the end),
 * scanning the string once instead of splitting it.
 */
export function urlDirectories(url: string, into: (string | null)[]): void {
  let field = 0;
  let start = 0;
  into[0] = into[1] = into[2] = null;
  for (let i = 0; i <= url.length; i++) {
    if (i === url.length || url.charCodeAt(i) === 47 /* '/' */) {
      if (field >= 3) {
        into[field - 3] = url.slice(start, i);
        if (field === 5) return;
      }
      field++;
      start = i + 1;
    }
  }
}

/** q22, URL directories: the 3rd, 4th and 5th '/'-separated parts of each bid's URL. */
export const q22: NexmarkQuery<Q22Row> = {
  name: 'q22',
  group: 'stateless',
  description: 'URL directories: SPLIT_INDEX(url, "/", 3|4|5)',
  build(events) {
    const dirs: (string | null)[] = [null, null, null];
    return events
      .flatMap<Q22Row>((e, out) => {
        if (e.kind !== 'bid') return;
        urlDirectories(e.url, dirs);
        out.collect({ auction: e.auction, bidder: e.bidder, price: e.price, channel: e.channel, dir1: dirs[0]!, dir2: dirs[1]!, dir3: dirs[2]! });
      })
      .name('q22');
  },
  row: (r) => [r.auction, r.bidder, r.price, r.channel, r.dir1, r.dir2, r.dir3],
};
