import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { parseClick } from './click-parser.js';
import { MALFORMED_KINDS } from './clickstream.js';
import { CLICKS_COLLECT_ID, MALFORMED_COLLECT_ID, generateClickLine, type EnrichedClick, type MalformedLine } from './parse-enrich.job.js';

const JOB = new URL('./parse-enrich.job.ts', import.meta.url);
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

async function run(parallelism: number, args: string[]): Promise<{ clicks: EnrichedClick[]; malformed: MalformedLine[] }> {
  const { result } = await runJob(JOB, { parallelism, args: [...args, '--output', 'collect'] });
  return { clicks: result!.getCollected<EnrichedClick>(CLICKS_COLLECT_ID), malformed: result!.getCollected<MalformedLine>(MALFORMED_COLLECT_ID) };
}

const byTime = (a: EnrichedClick, b: EnrichedClick) => a.timestamp - b.timestamp;

describe('parse, filter, enrich a generated clickstream', () => {
  const EVENTS = 4000;
  const SEED = 11;
  // The expectation comes from what the generator knows about each line (the click it encoded,
  // the country it placed the IP in, whether it broke the line), not from the job's parser.
  const lines = Array.from({ length: EVENTS }, (_, i) => generateClickLine(i, SEED));
  const expectedClicks: EnrichedClick[] = lines
    .filter((g) => g.click && !g.bot)
    .map((g) => ({ ...g.click!, country: g.country ?? 'unknown', dayOfWeek: DAY_NAMES[new Date(g.click!.timestamp).getUTCDay()]! }))
    .sort(byTime);
  const expectedMalformed = lines.filter((g) => g.malformed).map((g) => g.line).sort();

  it('generates every kind of broken line, crawler traffic, unknown IPs and all days of the week', () => {
    expect(new Set(lines.map((g) => g.malformed).filter(Boolean))).toEqual(new Set(MALFORMED_KINDS));
    expect(expectedMalformed.length / EVENTS).toBeGreaterThan(0.02);
    expect(expectedMalformed.length / EVENTS).toBeLessThan(0.06);
    expect(lines.filter((g) => g.click && g.bot).length).toBeGreaterThan(100);
    expect(expectedClicks.some((c) => c.country === 'unknown')).toBe(true);
    expect(new Set(expectedClicks.map((c) => c.dayOfWeek)).size).toBe(7);
    expect(lines.some((g) => g.click && g.line.startsWith('{'))).toBe(true);
  });

  for (const parallelism of [1, 2]) {
    it(`emits every good human click enriched, and every broken line with its reason on the side output, at parallelism ${parallelism}`, async () => {
      const { clicks, malformed } = await run(parallelism, ['--events', String(EVENTS), '--seed', String(SEED)]);
      expect(clicks.sort(byTime)).toEqual(expectedClicks);
      expect(malformed.map((m) => m.line).sort()).toEqual(expectedMalformed);
      for (const m of malformed) expect(m.error).toMatch(/\w/);
    });
  }
});

describe('the parse/enrich job on hostile input (--input)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-parse-enrich-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const good = [
    '2024-03-09T23:59:59.999Z,alice,81.1.2.3,GET,/,200,Mozilla/5.0 (X11), with, commas',
    '{"ts":1710028800000,"user":"bob","ip":"66.0.0.1","method":"POST","url":"/cart","status":201,"ua":"curl/8"}',
    '  2024-03-10T00:00:00Z,carol,5.6.7.8,HEAD,/x,304,  ',
  ];
  const bot = '2024-03-10T00:00:00Z,crawler,24.1.1.1,GET,/,200,Googlebot/2.1';
  const bad = [
    '',
    '\t',
    '{',
    '}',
    '{"ts":1e400,"user":"x","ip":"1.2.3.4","method":"GET","url":"/","status":200,"ua":""}',
    '{"__proto__":{"ts":1},"user":"x"}',
    '{"ts":-5,"user":"x","ip":"1.2.3.4","method":"GET","url":"/","status":200,"ua":""}',
    '[{"ts":1}]',
    'x'.repeat(200_000),
    '\u0000\u0001',
    '\ufffd\ufffd',
    'a,b,c,d,e,f,g',
    '2024-03-10T00:00:00Z,bad user,1.2.3.4,GET,/,200,ua',
    '2024-03-10T00:00:00Z,u,256.0.0.1,GET,/,200,ua',
    '2024-03-10T00:00:00Z,u,01.2.3.4,GET,/,200,ua',
    '2024-03-10T00:00:00Z,u,1.2.3.4,GET,nope,200,ua',
    '2024-03-10T00:00:00Z,u,1.2.3.4,GET,/,99,ua',
    '2024-03-10T00:00:00Z,u,1.2.3.4,GET,/,2e2,ua',
    '2024-02-30T00:00:00Z,u,1.2.3.4,GET,/,200,ua',
  ];
  const file = join(dir, 'access.log');
  writeFileSync(file, [bad[0], good[0], ...bad.slice(1, 10), good[1], bot, ...bad.slice(10), good[2]].join('\r\n'));

  it('routes every unparsable line to the side output and never fails', async () => {
    const { clicks, malformed } = await run(2, ['--input', file]);
    expect(malformed.map((m) => m.line).sort()).toEqual([...bad].sort());
    expect(clicks.map((c) => c.userId).sort()).toEqual(['alice', 'bob', 'carol']);
    const alice = clicks.find((c) => c.userId === 'alice')!;
    expect(alice).toMatchObject({ country: 'FR', dayOfWeek: 'Sat', userAgent: 'Mozilla/5.0 (X11), with, commas', timestamp: Date.UTC(2024, 2, 9, 23, 59, 59, 999) });
    expect(clicks.find((c) => c.userId === 'bob')).toMatchObject({ country: 'US', dayOfWeek: 'Sun', method: 'POST', status: 201 });
    expect(clicks.find((c) => c.userId === 'carol')).toMatchObject({ country: 'unknown', dayOfWeek: 'Sun' });
  });
});

describe('parseClick', () => {
  it('explains why a line is rejected', () => {
    expect(parseClick('')).toEqual({ ok: false, error: 'empty line' });
    expect(parseClick('a,b')).toEqual({ ok: false, error: 'expected 7 comma-separated fields, got 2' });
    expect(parseClick('{"ts":"2024-01-01"}')).toEqual({ ok: false, error: "'ts' must be epoch milliseconds (a number), got string" });
    expect(parseClick('2024-01-01T00:00:00Z,u,1.2.3.4,FETCH,/,200,ua')).toEqual({ ok: false, error: "unknown method: 'FETCH'" });
    const long = parseClick(`2024-01-01T00:00:00Z,${'u'.repeat(100)},1.2.3.4,GET,/,200,ua`);
    expect(long.ok === false && long.error.length).toBeLessThan(80);
  });
});
