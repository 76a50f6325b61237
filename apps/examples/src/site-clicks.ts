import { SeededRandom, seedFor } from './random.js';

/**
 * The clickstream of the event-time examples (sessionization, sliding top-N): users clicking
 * through the pages of a web shop, logged by several front ends and therefore arriving a little
 * out of order, plus a few clicks that arrive very late (a phone that was offline).
 *
 * Click `i` is a pure function of `(seed, i)`. Its "arrival time" is `START + i` seconds; its
 * event time lags that by less than {@link SITE_CLICK_OUT_OF_ORDERNESS_MS}, or — for a share
 * `lateRate` of the clicks — by 6 to 30 minutes. Users come and go: time is cut into 10-minute
 * periods and in each one about a third of the users is active, so a user's clicks form sessions
 * separated by quiet periods. One page trends in each 7-minute period, so page rankings change
 * over time.
 */

/** One click, as the examples read it. */
export interface SiteClick {
  readonly userId: string;
  readonly page: string;
  /** Event time: when the user clicked (epoch ms). */
  readonly timestamp: number;
}

/** What shapes the generated clickstream. */
export interface SiteClickOptions {
  /** Number of distinct users (default 100). */
  readonly users?: number;
  /** Share of clicks that arrive 6 to 30 minutes late (default 0.01). */
  readonly lateRate?: number;
}

/** The pages of the shop, the popular ones first. */
export const SITE_PAGES: readonly string[] = [
  '/home',
  '/search',
  '/products',
  '/products/espresso-machine',
  '/products/grinder',
  '/products/kettle',
  '/cart',
  '/checkout',
  '/account',
  '/help',
  '/blog/latte-art',
  '/blog/cold-brew',
];

/** Arrival time of click 0: Monday 2024-03-04 08:00 UTC. */
export const SITE_CLICK_START = Date.UTC(2024, 2, 4, 8, 0, 0);
/** Arrival time advances by one second per click. */
export const SITE_CLICK_STEP_MS = 1000;
/** Every click that is not "very late" has an event time less than this before its arrival time. */
export const SITE_CLICK_OUT_OF_ORDERNESS_MS = 30_000;

const ACTIVITY_PERIOD_MS = 10 * 60_000;
const TREND_PERIOD_MS = 7 * 60_000;
const SHARE_ACTIVE = 0.35;

/** `user-07`: zero-padded so that names sort in numeric order. */
export function siteUserName(n: number): string {
  return `user-${String(n).padStart(2, '0')}`;
}

/** Click `index` of the stream generated with `seed` (see the module comment). */
export function siteClickAt(index: number, seed: number, options: SiteClickOptions = {}, random = new SeededRandom()): SiteClick {
  const users = options.users ?? 100;
  const lateRate = options.lateRate ?? 0.01;
  const arrival = SITE_CLICK_START + index * SITE_CLICK_STEP_MS;
  random.reseed(seedFor(seed, index, 21));
  const user = activeUser(Math.floor((arrival - SITE_CLICK_START) / ACTIVITY_PERIOD_MS), seed, users, random.next());
  const trending = SITE_PAGES[(seedFor(seed, Math.floor((arrival - SITE_CLICK_START) / TREND_PERIOD_MS), 23) >>> 0) % SITE_PAGES.length]!;
  // Popularity falls off with the position in SITE_PAGES; the trending page gets a third of the clicks.
  const page = random.chance(0.33) ? trending : SITE_PAGES[Math.floor(SITE_PAGES.length * random.next() ** 2)]!;
  const lag = random.chance(lateRate) ? 6 * 60_000 + random.nextInt(24 * 60_000) : random.nextInt(SITE_CLICK_OUT_OF_ORDERNESS_MS);
  return { userId: siteUserName(user), page, timestamp: arrival - lag };
}

/** Whether `user` is active in activity period `period`: a pure function of the three. */
function isActive(period: number, seed: number, users: number, user: number): boolean {
  return (seedFor(seed, period * users + user, 22) >>> 0) / 4294967296 < SHARE_ACTIVE;
}

/** The active user at fraction `u` ∈ [0, 1) of the period's active users (any user if none is active). */
function activeUser(period: number, seed: number, users: number, u: number): number {
  let active = 0;
  for (let user = 0; user < users; user++) if (isActive(period, seed, users, user)) active++;
  if (active === 0) return Math.floor(u * users);
  let pick = Math.floor(u * active);
  for (let user = 0; user < users; user++) {
    if (isActive(period, seed, users, user) && pick-- === 0) return user;
  }
  return users - 1; // not reached
}
