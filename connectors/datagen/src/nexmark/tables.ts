import { EXTRA_POOL_LENGTH } from './config.js';
import { SplitMix64, deriveSeed } from './split-mix-64.js';
import { nextString, randomLowercase } from './strings.js';

/** nexmark's PersonGenerator.FIRST_NAMES. */
export const FIRST_NAMES: readonly string[] = [
  'Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter',
];
/** nexmark's PersonGenerator.LAST_NAMES. */
export const LAST_NAMES: readonly string[] = [
  'Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris',
];
/** nexmark's PersonGenerator.US_CITIES. */
export const US_CITIES: readonly string[] = [
  'Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne',
];
/** nexmark's PersonGenerator.US_STATES. */
export const US_STATES: readonly string[] = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
/** nexmark's BidGenerator.HOT_CHANNELS. */
export const HOT_CHANNELS: readonly string[] = ['Google', 'Facebook', 'Baidu', 'Apple'];
/** nexmark's BidGenerator.CHANNELS_NUMBER: size of the channel/URL cache. */
export const CHANNELS_NUMBER = 10_000;

/** `FIRST + " " + LAST` for every pair, indexed `first * LAST_NAMES.length + last`. */
export const FULL_NAMES: readonly string[] = FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => `${f} ${l}`));

/** `String.format("%04d", i)` for i in [0, 10000): credit-card groups. */
export const CREDIT_CARD_GROUPS: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** Random tables shared by every generator of one seed (all splits, all restores). */
export interface NexmarkTables {
  /** URL of each hot channel, parallel to {@link HOT_CHANNELS}. */
  readonly hotUrls: readonly string[];
  /** `"channel-" + i`. */
  readonly channelNames: readonly string[];
  /** The cached URL of channel i. */
  readonly channelUrls: readonly string[];
  /** {@link EXTRA_POOL_LENGTH} random a–z characters that `extra` fields are cut from. */
  readonly extraPool: string;
}

/** Java `Integer.reverse`: the 32 bits of `x` in reverse order, as a signed int32. */
export function reverseInt32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) | 0;
}

/** Java `Math.abs(int)`: like `Math.abs`, except that `Integer.MIN_VALUE` stays negative. */
function javaAbsInt(x: number): number {
  return x === -2147483648 ? x : Math.abs(x);
}

/** nexmark's `BidGenerator.getBaseUrl`, drawing from `rng`. */
function baseUrl(rng: SplitMix64): string {
  const underscore = 95;
  return (
    'https://www.nexmark.com/' +
    nextString(rng, 5, underscore) +
    '/' +
    nextString(rng, 5, underscore) +
    '/' +
    nextString(rng, 5, underscore) +
    '/item.htm?query=1'
  );
}

/**
 * Builds the tables for `seed`. The URL cache draws from the random stream `deriveSeed(seed, 0)`:
 * the four hot URLs first, then for channel i = 0 … 9999 its base URL and one `nextInt(10)`, a
 * non-zero value appending `"&channel_id=" + abs(Integer.reverse(i))` (nexmark/nexmark fills the
 * same cache lazily from unseeded `java.util.Random`s). The extra pool draws from stream
 * `deriveSeed(seed, 1)`.
 */
export function buildNexmarkTables(seed: number): NexmarkTables {
  const urlRng = new SplitMix64(deriveSeed(seed, 0));
  const hotUrls = HOT_CHANNELS.map(() => baseUrl(urlRng));
  const channelNames: string[] = new Array<string>(CHANNELS_NUMBER);
  const channelUrls: string[] = new Array<string>(CHANNELS_NUMBER);
  for (let i = 0; i < CHANNELS_NUMBER; i++) {
    let url = baseUrl(urlRng);
    if (urlRng.nextInt(10) > 0) url += '&channel_id=' + javaAbsInt(reverseInt32(i));
    channelNames[i] = 'channel-' + i;
    channelUrls[i] = url;
  }
  const extraPool = randomLowercase(new SplitMix64(deriveSeed(seed, 1)), EXTRA_POOL_LENGTH);
  return Object.freeze({ hotUrls, channelNames, channelUrls, extraPool });
}

const MAX_CACHED_SEEDS = 4;
const cache = new Map<number, NexmarkTables>();

/**
 * The tables for `seed`, built once per process and shared (splits and restored generators of
 * one seed reuse them). Keeps the tables of the last few seeds.
 */
export function nexmarkTablesFor(seed: number): NexmarkTables {
  let tables = cache.get(seed);
  if (tables === undefined) {
    tables = buildNexmarkTables(seed);
    if (cache.size >= MAX_CACHED_SEEDS) cache.delete(cache.keys().next().value as number);
    cache.set(seed, tables);
  }
  return tables;
}
