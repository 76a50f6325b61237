import { SeededRandom, seedFor } from './random.js';

/**
 * The clickstream of the parse/enrich example: one HTTP request per line, written either as CSV
 * or as JSON (two services log differently), and a generator that writes such lines — with a few
 * percent deliberately broken — together with what a correct parser must make of each.
 */

/** A parsed request. */
export interface Click {
  /** Epoch milliseconds (UTC). */
  readonly timestamp: number;
  readonly userId: string;
  /** Dotted IPv4 address. */
  readonly ip: string;
  readonly method: string;
  /** Path, starting with `/`. */
  readonly url: string;
  readonly status: number;
  readonly userAgent: string;
}

/** A click with what the job derives from it. */
export interface EnrichedClick extends Click {
  /** ISO country code from the IP prefix table, `'unknown'` when no prefix matches. */
  readonly country: string;
  /** Day of the week of the timestamp, UTC: `'Mon'` … `'Sun'`. */
  readonly dayOfWeek: string;
}

/** A line that could not be parsed, with the reason: what the side output carries. */
export interface MalformedLine {
  readonly line: string;
  readonly error: string;
}

/** Request methods a line may carry. */
export const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD'];

/**
 * Where IPv4 addresses are, by prefix (first one or two octets), as a geo-IP database would say.
 * Longest prefix wins. Made up; not real allocations.
 */
export const IP_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['81', 'FR'],
  ['90.12', 'FR'],
  ['85', 'DE'],
  ['91.4', 'DE'],
  ['24', 'US'],
  ['66', 'US'],
  ['98.7', 'CA'],
  ['126', 'JP'],
  ['133.5', 'JP'],
  ['177', 'BR'],
  ['41.2', 'ZA'],
  ['1.20', 'AU'],
]);

/** The kinds of deliberately broken lines the generator writes. */
export const MALFORMED_KINDS = [
  'empty',
  'truncated',
  'bad-timestamp',
  'bad-ip',
  'bad-status',
  'unknown-method',
  'broken-json',
  'json-wrong-type',
  'json-not-an-object',
  'garbage',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** A generated line and the truth about it, known independently of any parser. */
export interface GeneratedLine {
  readonly line: string;
  /** The request the line describes; absent for a malformed line. */
  readonly click?: Click;
  /** How the line was broken; absent for a good line. */
  readonly malformed?: MalformedKind;
  /** The country the generator placed the IP in (`undefined`: outside every known prefix). */
  readonly country?: string;
  /** True when the user agent is a crawler's. */
  readonly bot: boolean;
}

const START = Date.UTC(2024, 0, 1); // a Monday
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) Firefox/124.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/123.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15, like Gecko',
  'curl/8.5.0',
];
const BOT_AGENTS = ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'Mozilla/5.0 (compatible; AhrefsBot/7.0)', 'SiteCrawler/1.2', 'Baiduspider'];
const PATHS = ['/', '/products', '/products/42', '/cart', '/checkout', '/search?q=shoes', '/help', '/login'];
const STATUSES = [200, 200, 200, 200, 200, 201, 204, 301, 304, 404, 500];
const COUNTRIES = [...new Set(IP_PREFIXES.values())];
const PREFIXES_BY_COUNTRY = new Map(COUNTRIES.map((c) => [c, [...IP_PREFIXES].filter(([, v]) => v === c).map(([p]) => p)]));
/** First octets that no prefix covers. */
const UNKNOWN_OCTETS = [5, 37, 203];

/**
 * Line `index` of the clickstream generated with `seed`, a pure function of both. About
 * `malformedRate` of the lines are broken (one of {@link MALFORMED_KINDS}), about 8% of the good
 * ones come from crawlers, a few percent from IPs outside every known prefix. Timestamps rise
 * with the index, about 10 minutes apart, from Monday 2024-01-01 UTC.
 */
export function generateClickLine(index: number, seed: number, malformedRate = 0.04, random = new SeededRandom()): GeneratedLine {
  random.reseed(seedFor(seed, index, 1));
  const bot = random.chance(0.08);
  const country = random.chance(0.05) ? undefined : random.pick(COUNTRIES);
  const click: Click = {
    timestamp: START + index * 600_000 + random.nextInt(600_000),
    userId: `user-${random.nextInt(500)}`,
    ip: country === undefined ? ipIn(String(random.pick(UNKNOWN_OCTETS)), random) : ipIn(random.pick(PREFIXES_BY_COUNTRY.get(country)!), random),
    method: random.chance(0.8) ? 'GET' : random.pick(METHODS),
    url: random.pick(PATHS),
    status: random.pick(STATUSES),
    userAgent: bot ? random.pick(BOT_AGENTS) : random.pick(USER_AGENTS),
  };
  const json = random.chance(0.3);
  if (!random.chance(malformedRate)) return { line: json ? toJsonLine(click) : toCsvLine(click), click, country, bot };
  const kind = random.pick(MALFORMED_KINDS);
  return { line: breakLine(kind, click, random), malformed: kind, bot };
}

/** `a.b.c.d` under `prefix` (one or two octets). */
function ipIn(prefix: string, random: SeededRandom): string {
  const octets = prefix.split('.');
  while (octets.length < 4) octets.push(String(random.nextInt(256)));
  return octets.join('.');
}

/** The CSV form: `ISO-time,user,ip,method,url,status,user agent` (the agent may contain commas: it is the rest of the line). */
export function toCsvLine(c: Click): string {
  return `${new Date(c.timestamp).toISOString()},${c.userId},${c.ip},${c.method},${c.url},${c.status},${c.userAgent}`;
}

/** The JSON form, with epoch-millisecond time and short field names. */
export function toJsonLine(c: Click): string {
  return JSON.stringify({ ts: c.timestamp, user: c.userId, ip: c.ip, method: c.method, url: c.url, status: c.status, ua: c.userAgent });
}

function breakLine(kind: MalformedKind, c: Click, random: SeededRandom): string {
  const csv = toCsvLine(c);
  switch (kind) {
    case 'empty':
      return random.chance(0.5) ? '' : '   ';
    case 'truncated':
      return csv.split(',').slice(0, 1 + random.nextInt(5)).join(',');
    case 'bad-timestamp':
      return toCsvLine(c).replace(/^[^,]+/, random.pick(['yesterday', '2024-13-45T99:00:00Z', '1704067200', '']));
    case 'bad-ip':
      return csv.replace(c.ip, random.pick(['999.1.2.3', 'localhost', '10.0.0', '1.2.3.4.5', '-']));
    case 'bad-status':
      return `${new Date(c.timestamp).toISOString()},${c.userId},${c.ip},${c.method},${c.url},${random.pick(['OK', '2OO', '', '1000'])},${c.userAgent}`;
    case 'unknown-method':
      return `${new Date(c.timestamp).toISOString()},${c.userId},${c.ip},${random.pick(['FETCH', 'get', ''])},${c.url},${c.status},${c.userAgent}`;
    case 'broken-json': {
      const json = toJsonLine(c);
      return json.slice(0, 1 + random.nextInt(json.length - 2));
    }
    case 'json-wrong-type':
      return random.chance(0.5)
        ? JSON.stringify({ ts: new Date(c.timestamp).toISOString(), user: c.userId, ip: c.ip, method: c.method, url: c.url, status: c.status, ua: c.userAgent })
        : JSON.stringify({ ts: c.timestamp, user: null, ip: c.ip, method: c.method, url: c.url, status: String(c.status), ua: c.userAgent });
    case 'json-not-an-object':
      return random.pick(['null', '[1,2,3]', '"click"', '42', '{}']);
    case 'garbage':
      return random.pick(['\u0000\u0001\u0002', '%%%%', 'GET / HTTP/1.1', '<html><body>oops</body></html>', '\ufffd\ufffd\ufffd', ',,,,,,']);
  }
}
