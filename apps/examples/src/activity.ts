import { SeededRandom, seedFor } from './random.js';

/**
 * The data of the connect/union example: user activity arriving from three channels in three
 * shapes, and a control stream of block-list rules.
 */

/** A page view logged by the web front end. */
export interface PageView {
  readonly viewId: number;
  readonly visitor: string;
  readonly page: string;
  readonly at: number;
}

/** An event logged by the mobile app. */
export interface AppEvent {
  readonly seq: number;
  readonly account: { readonly id: string; readonly os: 'ios' | 'android' };
  readonly screen: string;
  readonly time: number;
}

/** A call to the partner API. */
export interface ApiCall {
  readonly requestId: string;
  readonly apiKeyOwner: string;
  readonly endpoint: string;
  readonly epochMs: number;
}

/** The common shape the three channels are mapped to before they are unioned. */
export interface Activity {
  /** Unique over all channels, e.g. `web-17`. */
  readonly id: string;
  readonly channel: 'web' | 'mobile' | 'api';
  readonly userId: string;
  readonly action: string;
  readonly timestamp: number;
}

/** A change to the block list; `rules-loaded` marks the end of the initial rule set. */
export type RuleUpdate =
  | { readonly kind: 'block'; readonly userId: string }
  | { readonly kind: 'unblock'; readonly userId: string }
  | { readonly kind: 'rules-loaded' };

const START = Date.UTC(2024, 5, 1);
const PAGES = ['/home', '/pricing', '/docs', '/blog/streams', '/signup'];
const SCREENS = ['Feed', 'Profile', 'Settings', 'Search'];
const ENDPOINTS = ['GET /v1/orders', 'POST /v1/orders', 'GET /v1/stock'];

function userName(n: number): string {
  return `u${String(n).padStart(3, '0')}`;
}

/** Page view `i` (a pure function of `i` and `seed`), by one of `users` users. */
export function pageViewAt(i: number, seed: number, users: number, random = new SeededRandom()): PageView {
  random.reseed(seedFor(seed, i, 11));
  return { viewId: i, visitor: userName(random.nextInt(users)), page: random.pick(PAGES), at: START + i * 1000 + random.nextInt(1000) };
}

/** App event `i`. */
export function appEventAt(i: number, seed: number, users: number, random = new SeededRandom()): AppEvent {
  random.reseed(seedFor(seed, i, 12));
  return {
    seq: i,
    account: { id: userName(random.nextInt(users)), os: random.chance(0.5) ? 'ios' : 'android' },
    screen: random.pick(SCREENS),
    time: START + i * 1000 + random.nextInt(1000),
  };
}

/** API call `i`. */
export function apiCallAt(i: number, seed: number, users: number, random = new SeededRandom()): ApiCall {
  random.reseed(seedFor(seed, i, 13));
  return { requestId: `req-${i}`, apiKeyOwner: userName(random.nextInt(users)), endpoint: random.pick(ENDPOINTS), epochMs: START + i * 1000 + random.nextInt(1000) };
}

export function fromPageView(v: PageView): Activity {
  return { id: `web-${v.viewId}`, channel: 'web', userId: v.visitor, action: `view ${v.page}`, timestamp: v.at };
}

export function fromAppEvent(e: AppEvent): Activity {
  return { id: `mobile-${e.seq}`, channel: 'mobile', userId: e.account.id, action: `open ${e.screen} (${e.account.os})`, timestamp: e.time };
}

export function fromApiCall(c: ApiCall): Activity {
  return { id: `api-${c.requestId.slice(4)}`, channel: 'api', userId: c.apiKeyOwner, action: `call ${c.endpoint}`, timestamp: c.epochMs };
}

/**
 * The initial block list for `users` users, as an ordered list of updates ending with
 * `rules-loaded`: about a fifth of the users are blocked, and some of those unblocked again
 * later in the list (so the order of updates matters).
 */
export function generateRules(seed: number, users: number): RuleUpdate[] {
  const random = new SeededRandom().reseed(seedFor(seed, 0, 14));
  const rules: RuleUpdate[] = [];
  const blocked: string[] = [];
  for (let n = 0; n < users; n++) {
    if (random.chance(0.2)) {
      rules.push({ kind: 'block', userId: userName(n) });
      blocked.push(userName(n));
    }
  }
  for (const userId of blocked) if (random.chance(0.25)) rules.push({ kind: 'unblock', userId });
  rules.push({ kind: 'rules-loaded' });
  return rules;
}
