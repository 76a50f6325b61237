import { IP_PREFIXES, METHODS, type Click, type EnrichedClick } from './clickstream.js';

/**
 * Parsing and enrichment of clickstream lines (see `clickstream.ts` for the two formats). Pure
 * functions: a bad line is a returned error, never a thrown one, so a job using them cannot
 * crash on its input.
 */

/** What {@link parseClick} makes of a line: the click, or why there is none. */
export type ParseResult = { readonly ok: true; readonly click: Click } | { readonly ok: false; readonly error: string };

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const OCTET = /^(0|[1-9]\d{0,2})$/;
const METHOD_SET: ReadonlySet<string> = new Set(METHODS);

/** Parses a CSV or JSON clickstream line (chosen by its first non-blank character). */
export function parseClick(line: string): ParseResult {
  const text = line.trim();
  if (text === '') return fail('empty line');
  return text.charCodeAt(0) === 0x7b /* { */ ? parseJson(text) : parseCsv(text);
}

function parseCsv(text: string): ParseResult {
  // Six separators; everything after the sixth is the user agent, which may contain commas.
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < 6; i++) {
    const comma = text.indexOf(',', start);
    if (comma < 0) return fail(`expected 7 comma-separated fields, got ${i + 1}`);
    fields.push(text.slice(start, comma));
    start = comma + 1;
  }
  fields.push(text.slice(start));
  const [time, userId, ip, method, url, status, userAgent] = fields as [string, string, string, string, string, string, string];
  if (!ISO_UTC.test(time)) return fail(`timestamp is not an ISO-8601 UTC time: '${clip(time)}'`);
  const timestamp = Date.parse(time);
  // Date.parse rolls over impossible dates (Feb 30 becomes Mar 1): require the fields to survive.
  if (!Number.isFinite(timestamp) || new Date(timestamp).toISOString().slice(0, 19) !== time.slice(0, 19)) {
    return fail(`timestamp is not a valid date: '${clip(time)}'`);
  }
  if (!/^\d+$/.test(status)) return fail(`status is not a number: '${clip(status)}'`);
  return validate(timestamp, userId, ip, method, url, Number(status), userAgent);
}

function parseJson(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(`invalid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('JSON line is not an object');
  const o = value as Record<string, unknown>;
  if (typeof o.ts !== 'number') return fail(`'ts' must be epoch milliseconds (a number), got ${typeName(o.ts)}`);
  if (!Number.isSafeInteger(o.ts) || o.ts < 0) return fail(`'ts' is not a valid epoch millisecond value: ${o.ts}`);
  for (const field of ['user', 'ip', 'method', 'url', 'ua'] as const) {
    if (typeof o[field] !== 'string') return fail(`'${field}' must be a string, got ${typeName(o[field])}`);
  }
  if (typeof o.status !== 'number') return fail(`'status' must be a number, got ${typeName(o.status)}`);
  return validate(o.ts, o.user as string, o.ip as string, o.method as string, o.url as string, o.status, o.ua as string);
}

/** The checks both formats share. */
function validate(timestamp: number, userId: string, ip: string, method: string, url: string, status: number, userAgent: string): ParseResult {
  if (!USER_ID.test(userId)) return fail(`invalid user id: '${clip(userId)}'`);
  if (!isIPv4(ip)) return fail(`invalid IPv4 address: '${clip(ip)}'`);
  if (!METHOD_SET.has(method)) return fail(`unknown method: '${clip(method)}'`);
  if (!url.startsWith('/')) return fail(`url must start with '/': '${clip(url)}'`);
  if (!Number.isInteger(status) || status < 100 || status > 599) return fail(`status out of range: ${status}`);
  return { ok: true, click: { timestamp, userId, ip, method, url, status, userAgent } };
}

function isIPv4(ip: string): boolean {
  const parts = ip.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) if (!OCTET.test(p) || Number(p) > 255) return false;
  return true;
}

/** Matches crawler user agents (the "bot traffic" the job drops). */
export const BOT_USER_AGENT = /bot|crawl|spider/i;

/** True when the click comes from a crawler. */
export function isBot(click: Click): boolean {
  return BOT_USER_AGENT.test(click.userAgent);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MS_PER_DAY = 86_400_000;

/** The country of an IPv4 address by its longest matching prefix in {@link IP_PREFIXES}, else `'unknown'`. */
export function countryOf(ip: string): string {
  const first = ip.indexOf('.');
  const second = ip.indexOf('.', first + 1);
  return IP_PREFIXES.get(ip.slice(0, second)) ?? IP_PREFIXES.get(ip.slice(0, first)) ?? 'unknown';
}

/** The click with its country and UTC day of the week. */
export function enrich(click: Click): EnrichedClick {
  // 1970-01-01 was a Thursday (index 4); days before it count backwards.
  const day = (((Math.floor(click.timestamp / MS_PER_DAY) + 4) % 7) + 7) % 7;
  return { ...click, country: countryOf(click.ip), dayOfWeek: DAYS[day]! };
}

function fail(error: string): ParseResult {
  return { ok: false, error };
}

/** At most 40 characters of a value, for error messages. */
function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
