/**
 * The three Nexmark event types as plain objects (nexmark/nexmark's `Person`, `Auction`, `Bid`).
 * Times are epoch milliseconds; ids are JS numbers (they stay far below 2^53). Objects of one
 * kind always have the same property order, so consumers see one hidden class per kind.
 */

/** A new person registering (2 % of events by default). */
export interface Person {
  readonly kind: 'person';
  /** Person id, from 1000 upwards. */
  readonly id: number;
  /** "First Last" from fixed lists, e.g. "Peter Shultz". */
  readonly name: string;
  readonly emailAddress: string;
  /** Four space-separated groups of four digits. */
  readonly creditCard: string;
  readonly city: string;
  /** Two-letter US state code (upper case, as in nexmark/nexmark). */
  readonly state: string;
  /** Event time, epoch ms. */
  readonly dateTime: number;
  /** Random a–z padding that brings the person to its average size. */
  readonly extra: string;
}

/** A new auction being opened (6 % of events by default). */
export interface Auction {
  readonly kind: 'auction';
  /** Auction id, from 1000 upwards. */
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  /** Opening price in cents. */
  readonly initialBid: number;
  /** Reserve price in cents, at least `initialBid`. */
  readonly reserve: number;
  /** Event time, epoch ms. */
  readonly dateTime: number;
  /** When the auction closes, epoch ms (after `dateTime`). */
  readonly expires: number;
  /** Person id of the seller (offset 1000, like person ids). */
  readonly seller: number;
  /** Category id in [10, 15). */
  readonly category: number;
  readonly extra: string;
}

/** A bid on an auction (92 % of events by default). */
export interface Bid {
  readonly kind: 'bid';
  /** Auction id bid on. */
  readonly auction: number;
  /**
   * Bidder person id. As in nexmark/nexmark, FIRST_PERSON_ID (1000) is added twice, so bidder
   * ids are person ids + 1000.
   */
  readonly bidder: number;
  /** Price in cents, log-uniform in [100, 10^8]. */
  readonly price: number;
  /** One of four hot channels or `channel-<i>`. */
  readonly channel: string;
  readonly url: string;
  /** Event time, epoch ms. */
  readonly dateTime: number;
  readonly extra: string;
}

/** Any Nexmark event; switch on `kind`. */
export type NexmarkEvent = Person | Auction | Bid;

/** The `kind` discriminant of a Nexmark event. */
export type NexmarkEventKind = NexmarkEvent['kind'];
