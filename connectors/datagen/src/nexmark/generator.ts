import { type NexmarkConfig, effectiveMaxEvents, validateNexmarkConfig } from './config.js';
import type { Auction, Bid, NexmarkEvent, Person } from './events.js';
import { SplitMix64, deriveSeed } from './split-mix-64.js';
import { nextExtra, nextString } from './strings.js';
import {
  CREDIT_CARD_GROUPS,
  FULL_NAMES,
  HOT_CHANNELS,
  LAST_NAMES,
  CHANNELS_NUMBER,
  US_CITIES,
  US_STATES,
  FIRST_NAMES,
  type NexmarkTables,
  nexmarkTablesFor,
} from './tables.js';

/** GeneratorConfig.FIRST_PERSON_ID. */
export const FIRST_PERSON_ID = 1000;
/** GeneratorConfig.FIRST_AUCTION_ID. */
export const FIRST_AUCTION_ID = 1000;
/** GeneratorConfig.FIRST_CATEGORY_ID. */
export const FIRST_CATEGORY_ID = 10;
/** AuctionGenerator.NUM_CATEGORIES. */
const NUM_CATEGORIES = 5;
/** PERSON_ID_LEAD = AUCTION_ID_LEAD: ids this far beyond the last generated one may be referenced. */
const ID_LEAD = 10;
/** HOT_AUCTION_RATIO = HOT_SELLER_RATIO = HOT_BIDDER_RATIO: one hot entity per bucket of 100. */
const HOT_BUCKET = 100;
/** BidGenerator.HOT_CHANNELS_RATIO. */
const HOT_CHANNELS_RATIO = 2;

const LN10_OVER_1024 = Math.LN10 / 1024;
/** 10^(i/1024) · 100 for i in [0, 6·1024]: the coarse part of {@link nextPrice}. */
const PRICE_TABLE = Float64Array.from({ length: 6 * 1024 + 1 }, (_, i) => Math.pow(10, i / 1024) * 100);

/**
 * PriceGenerator.nextPrice for a uniform `u`: `Math.round(Math.pow(10, u * 6) * 100)`, bit for
 * bit, at a fraction of the cost. V8's `Math.pow` is an exact but slow libm routine (~50-90 ns);
 * here 10^x = table[floor(1024x)] · exp(r·ln 10) with r < 1/1024 and a 5-term Taylor series for
 * the exponential, relative error < 1e-14. That approximation can only round to a different
 * cent than `Math.pow` when the value lies within its error of a half cent, so values within
 * 1e-12 (relative) of a tie are recomputed with `Math.pow`.
 */
export function nextPrice(u: number): number {
  const x = u * 6;
  const y = x * 1024;
  const i = y | 0; // floor: 0 <= y < 6144
  const t = (y - i) * LN10_OVER_1024;
  const v = PRICE_TABLE[i] * (1 + t * (1 + t * 0.5 * (1 + t * (1 / 3) * (1 + t * 0.25 * (1 + t * 0.2)))));
  const r = Math.round(v);
  if (Math.abs(v - r) > 0.5 - 1e-12 * v) return Math.round(Math.pow(10, x) * 100);
  return r;
}

/**
 * Bounded out-of-orderness of the Nexmark DDL watermark (`dateTime - INTERVAL '4' SECOND`), in ms.
 */
export const NEXMARK_WATERMARK_DELAY_MS = 4000;

/**
 * The resumable position of a {@link NexmarkGenerator}: plain data. Persist it with
 * `generatorStateSerializer` (versioned), not as JSON of a live object.
 */
export interface GeneratorState {
  /** The generator's (split) configuration. */
  readonly config: NexmarkConfig;
  /** Events emitted so far. */
  readonly eventsCountSoFar: number;
  /** Random state, high uint32 half. */
  readonly rngHi: number;
  /** Random state, low uint32 half. */
  readonly rngLo: number;
}

/**
 * nexmark's `NexmarkGenerator`: a deterministic iterator of Nexmark events for one split.
 *
 * Event k (k = events emitted so far) has event number `firstEventNumber + k`, shuffled within
 * groups of `outOfOrderGroupSize` into the adjusted number `a`; its id is `firstEventId + a`, its
 * kind is decided by `id % 50` (1 person, 3 auctions, 46 bids by default) and its timestamp is
 * `baseTime + floor(floor(a · interEventDelayUs) / 1000)`. All other fields come from one
 * {@link SplitMix64} stream (stream `splitIndex + 2` of the seed) plus tables shared per seed.
 *
 * Contract: single-threaded; call {@link hasNext} / {@link next} from one place. {@link next} is
 * synchronous and allocates only the event and its strings. {@link snapshot} captures the exact
 * position; {@link NexmarkGenerator.restore} continues with identical output.
 */
export class NexmarkGenerator {
  /** The validated (split) configuration this generator runs. */
  readonly config: NexmarkConfig;
  private rng: SplitMix64;
  private readonly tables: NexmarkTables;
  private eventsCountSoFar: number;

  // Hot-path copies of the configuration.
  private readonly maxEvents: number;
  private readonly firstEventId: number;
  private readonly firstEventNumber: number;
  private readonly groupSize: number;
  private readonly baseTime: number;
  private readonly interEventDelayUs: number;
  private readonly totalProportion: number;
  private readonly personProportion: number;
  private readonly auctionProportion: number;
  private readonly personAuctionProportion: number;
  private readonly numEventsForAuctions: number;

  /**
   * A fresh generator at position 0. Validates `config` (throws NexmarkConfigError); the first
   * generator of a seed in a process also builds the shared tables (~10 ms).
   */
  constructor(config: NexmarkConfig) {
    this.config = validateNexmarkConfig(config);
    const c = this.config;
    this.rng = new SplitMix64(deriveSeed(c.seed, c.splitIndex + 2));
    this.tables = nexmarkTablesFor(c.seed);
    this.eventsCountSoFar = 0;
    this.maxEvents = effectiveMaxEvents(c);
    this.firstEventId = c.firstEventId;
    this.firstEventNumber = c.firstEventNumber;
    this.groupSize = c.outOfOrderGroupSize;
    this.baseTime = c.baseTime;
    // Same double operations as GeneratorConfig: 1000000.0 / firstEventRate * numEventGenerators.
    this.interEventDelayUs = (1_000_000 / c.firstEventRate) * c.numEventGenerators;
    this.personProportion = c.personProportion;
    this.auctionProportion = c.auctionProportion;
    this.personAuctionProportion = c.personProportion + c.auctionProportion;
    this.totalProportion = this.personAuctionProportion + c.bidProportion;
    this.numEventsForAuctions =
      c.auctionProportion === 0 ? 0 : Math.floor((c.numInFlightAuctions * this.totalProportion) / c.auctionProportion);
  }

  /** Continues exactly where the generator that produced `state` was (see {@link snapshot}). */
  static restore(state: GeneratorState): NexmarkGenerator {
    const config = validateNexmarkConfig(state.config);
    const count = state.eventsCountSoFar;
    if (!Number.isSafeInteger(count) || count < 0 || count > effectiveMaxEvents(config)) {
      throw new RangeError(`NexmarkGenerator.restore: eventsCountSoFar ${count} outside [0, ${effectiveMaxEvents(config)}]`);
    }
    const generator = new NexmarkGenerator(config);
    generator.rng = SplitMix64.fromState(state.rngHi, state.rngLo);
    generator.eventsCountSoFar = count;
    return generator;
  }

  /** The exact position: restoring it yields the same remaining events. */
  snapshot(): GeneratorState {
    return {
      config: this.config,
      eventsCountSoFar: this.eventsCountSoFar,
      rngHi: this.rng.stateHi,
      rngLo: this.rng.stateLo,
    };
  }

  /** Events emitted so far. */
  get position(): number {
    return this.eventsCountSoFar;
  }

  /** Events this generator emits in total. */
  get totalEvents(): number {
    return this.maxEvents;
  }

  /** Whether {@link next} may be called. */
  hasNext(): boolean {
    return this.eventsCountSoFar < this.maxEvents;
  }

  /** The id of the event {@link next} will return (unique across all splits of a config). */
  nextEventId(): number {
    return this.firstEventId + this.adjustedEventNumber(this.firstEventNumber + this.eventsCountSoFar);
  }

  /** The timestamp (epoch ms) of the event {@link next} will return. */
  nextEventTimestamp(): number {
    return this.timestampForEvent(this.adjustedEventNumber(this.firstEventNumber + this.eventsCountSoFar));
  }

  /**
   * nexmark's generator watermark: the smallest timestamp of the next event and every event after
   * it, `timestamp(floor(eventNumber / g) · g)`. Events with exactly this timestamp may still come,
   * so a Flink-style watermark ("nothing at or before t follows") is this value minus 1.
   */
  watermark(): number {
    const eventNumber = this.firstEventNumber + this.eventsCountSoFar;
    return this.timestampForEvent(Math.floor(eventNumber / this.groupSize) * this.groupSize);
  }

  /** Event time of event number `eventNumber`: `baseTime + floor(floor(n · delayUs) / 1000)`. */
  timestampForEvent(eventNumber: number): number {
    // Java: (long) (n * delayUs) / 1000L. Both floors are exact integer divisions for
    // us < 2^53 (285 years of event time); `%` on doubles would be a slow fmod call.
    return this.baseTime + Math.floor(Math.floor(eventNumber * this.interEventDelayUs) / 1000);
  }

  private adjustedEventNumber(eventNumber: number): number {
    const g = this.groupSize;
    if (g === 1) return eventNumber;
    const base = Math.floor(eventNumber / g) * g;
    // (eventNumber * 953) % g, without overflowing 2^53.
    return base + (((eventNumber - base) * 953) % g);
  }

  /** The next event. Throws once {@link hasNext} is false. */
  next(): NexmarkEvent {
    const count = this.eventsCountSoFar;
    if (count >= this.maxEvents) throw new RangeError(`NexmarkGenerator: all ${this.maxEvents} events emitted`);
    const adjusted = this.adjustedEventNumber(this.firstEventNumber + count);
    const eventId = this.firstEventId + adjusted;
    const timestamp = this.timestampForEvent(adjusted);
    this.eventsCountSoFar = count + 1;
    // epoch = id / 50, rem = id % 50 (exact for ids below 2^53, and no fmod for ids above 2^31).
    const total = this.totalProportion;
    const epoch = Math.floor(eventId / total);
    const rem = eventId - epoch * total;
    if (rem < this.personProportion) return this.nextPerson(epoch, rem, timestamp);
    if (rem < this.personAuctionProportion) return this.nextAuction(epoch, rem, adjusted, timestamp);
    return this.nextBid(epoch, rem, timestamp);
  }

  /** PersonGenerator.lastBase0PersonId for the event (epoch, rem). */
  private lastBase0PersonId(epoch: number, rem: number): number {
    const pp = this.personProportion;
    return epoch * pp + (rem >= pp ? pp - 1 : rem);
  }

  /** AuctionGenerator.lastBase0AuctionId for the event (epoch, rem). */
  private lastBase0AuctionId(epoch: number, rem: number): number {
    const ap = this.auctionProportion;
    if (rem < this.personProportion) return (epoch - 1) * ap + ap - 1;
    if (rem >= this.personAuctionProportion) return epoch * ap + ap - 1;
    return epoch * ap + rem - this.personProportion;
  }

  /** PersonGenerator.nextBase0PersonId: one of the active people, or a few not yet created. */
  private nextBase0PersonId(lastBase0PersonId: number): number {
    const numPeople = lastBase0PersonId + 1;
    const active = Math.min(numPeople, this.config.numActivePeople);
    return numPeople - active + this.rng.nextLong(active + ID_LEAD);
  }

  /** AuctionGenerator.nextBase0AuctionId: one of the in-flight auctions, or a few not yet created. */
  private nextBase0AuctionId(lastBase0AuctionId: number): number {
    const min = Math.max(lastBase0AuctionId - this.config.numInFlightAuctions, 0);
    return min + this.rng.nextLong(lastBase0AuctionId - min + 1 + ID_LEAD);
  }

  /** PriceGenerator.nextPrice: `round(10^(6U) · 100)` cents. */
  private nextPrice(): number {
    return nextPrice(this.rng.nextDouble());
  }

  private nextPerson(epoch: number, rem: number, timestamp: number): Person {
    const rng = this.rng;
    const id = this.lastBase0PersonId(epoch, rem) + FIRST_PERSON_ID;
    const first = rng.nextInt(FIRST_NAMES.length);
    const name = FULL_NAMES[first * LAST_NAMES.length + rng.nextInt(LAST_NAMES.length)];
    const user = nextString(rng, 7);
    const emailAddress = user + '@' + nextString(rng, 5) + '.com';
    const g1 = CREDIT_CARD_GROUPS[rng.nextInt(10_000)];
    const g2 = CREDIT_CARD_GROUPS[rng.nextInt(10_000)];
    const g3 = CREDIT_CARD_GROUPS[rng.nextInt(10_000)];
    const creditCard = g1 + ' ' + g2 + ' ' + g3 + ' ' + CREDIT_CARD_GROUPS[rng.nextInt(10_000)];
    const city = US_CITIES[rng.nextInt(US_CITIES.length)];
    const state = US_STATES[rng.nextInt(US_STATES.length)];
    const currentSize = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    const extra = nextExtra(rng, this.tables.extraPool, currentSize, this.config.avgPersonByteSize);
    return { kind: 'person', id, name, emailAddress, creditCard, city, state, dateTime: timestamp, extra };
  }

  private nextAuction(epoch: number, rem: number, adjusted: number, timestamp: number): Auction {
    const rng = this.rng;
    const config = this.config;
    const id = this.lastBase0AuctionId(epoch, rem) + FIRST_AUCTION_ID;
    const lastPerson = this.lastBase0PersonId(epoch, rem);
    // P(hot seller) = 1 - 1/hotSellersRatio: the first person of the last bucket of 100.
    const seller =
      (rng.nextInt(config.hotSellersRatio) > 0
        ? Math.trunc(lastPerson / HOT_BUCKET) * HOT_BUCKET
        : this.nextBase0PersonId(lastPerson)) + FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + rng.nextInt(NUM_CATEGORIES);
    const initialBid = this.nextPrice();
    // Auctions last on average as long as it takes to create numInFlightAuctions more of them.
    const horizonMs = this.timestampForEvent(adjusted + this.numEventsForAuctions) - timestamp;
    const expires = timestamp + 1 + rng.nextLong(Math.max(horizonMs * 2, 1));
    const itemName = nextString(rng, 20);
    const description = nextString(rng, 100);
    const reserve = initialBid + this.nextPrice();
    const currentSize = 8 + itemName.length + description.length + 40;
    const extra = nextExtra(rng, this.tables.extraPool, currentSize, config.avgAuctionByteSize);
    return {
      kind: 'auction',
      id,
      itemName,
      description,
      initialBid,
      reserve,
      dateTime: timestamp,
      expires,
      seller,
      category,
      extra,
    };
  }

  private nextBid(epoch: number, rem: number, timestamp: number): Bid {
    const rng = this.rng;
    const config = this.config;
    const lastAuction = this.lastBase0AuctionId(epoch, rem);
    // P(hot auction) = 1 - 1/hotAuctionRatio: the first auction of the last bucket of 100.
    const auction =
      (rng.nextInt(config.hotAuctionRatio) > 0
        ? Math.trunc(lastAuction / HOT_BUCKET) * HOT_BUCKET
        : this.nextBase0AuctionId(lastAuction)) + FIRST_AUCTION_ID;
    const lastPerson = this.lastBase0PersonId(epoch, rem);
    // P(hot bidder) = 1 - 1/hotBiddersRatio: the second person of the last bucket of 100.
    let bidder =
      (rng.nextInt(config.hotBiddersRatio) > 0
        ? Math.trunc(lastPerson / HOT_BUCKET) * HOT_BUCKET + 1
        : this.nextBase0PersonId(lastPerson)) + FIRST_PERSON_ID;
    const price = this.nextPrice();
    let channel: string;
    let url: string;
    const tables = this.tables;
    if (rng.nextInt(HOT_CHANNELS_RATIO) > 0) {
      const i = rng.nextInt(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i];
      url = tables.hotUrls[i];
    } else {
      const i = rng.nextInt(CHANNELS_NUMBER);
      channel = tables.channelNames[i];
      url = tables.channelUrls[i];
    }
    // nexmark/nexmark adds FIRST_PERSON_ID a second time here (Beam does not): kept for parity.
    bidder += FIRST_PERSON_ID;
    const extra = nextExtra(rng, tables.extraPool, 32, config.avgBidByteSize);
    return { kind: 'bid', auction, bidder, price, channel, url, dateTime: timestamp, extra };
  }
}
