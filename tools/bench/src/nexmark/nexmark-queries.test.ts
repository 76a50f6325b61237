import { NexmarkGenerator, type NexmarkEvent } from '@riffle/connector-datagen';
import { runJob } from '@riffle/datastream';
import type { JobExecutionResult } from '@riffle/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBaseline } from './baselines/index.js';
import { nexmarkSourceFor } from './nexmark-options.js';
import { NEXMARK_QUERIES } from './queries/index.js';
import { DuckDbReference, canonicalRow } from './reference/duckdb-reference.js';

const JOB = new URL('./nexmark.job.ts', import.meta.url);
const EVENTS = 30_000;
const SEED = 7;
const PARALLELISM = 2;
/** 1 000 events per second of event time: 30 s, so several 10 s windows, hops and sessions. */
const RATE = 1_000;

const SPLITS = nexmarkSourceFor({ events: EVENTS, seed: SEED, profile: 'v1', rate: RATE }).splitConfigs(PARALLELISM);

/** The events of the run, split by split, exactly as the job's source generates them. */
function generatedEvents(): NexmarkEvent[] {
  const events: NexmarkEvent[] = [];
  for (const config of SPLITS) {
    const g = new NexmarkGenerator(config);
    while (g.hasNext()) events.push(g.next());
  }
  return events;
}

/** The final result of a query's output: upserts reduced to the last row per key, then sorted canonical rows. */
function finalRows(name: string, collected: readonly (readonly unknown[])[]): string[] {
  const query = NEXMARK_QUERIES[name]!;
  if (query.upsertKey) {
    const last = new Map<unknown, readonly unknown[]>();
    for (const r of collected) last.set(r[0], r.slice(1));
    return [...last.values()].map(canonicalRow).sort();
  }
  if (name === 'q12') {
    // Processing-time windows: the per-bidder totals over all windows.
    const totals = new Map<number, number>();
    for (const [bidder, count] of collected as [number, number][]) totals.set(bidder, (totals.get(bidder) ?? 0) + count);
    return [...totals].map(canonicalRow).sort();
  }
  return collected.map(canonicalRow).sort();
}

describe(`Nexmark queries on the MiniCluster (${EVENTS.toLocaleString('en')} events, parallelism ${PARALLELISM}) against DuckDB SQL`, () => {
  let reference: DuckDbReference;
  let result: JobExecutionResult;

  beforeAll(async () => {
    const names = Object.keys(NEXMARK_QUERIES).join(',');
    const [db, run] = await Promise.all([
      DuckDbReference.load(generatedEvents()),
      runJob(JOB, {
        parallelism: PARALLELISM,
        args: ['--query', names, '--events', String(EVENTS), '--seed', String(SEED), '--rate', String(RATE), '--sink', 'collect'],
      }),
    ]);
    reference = db;
    result = run.result!;
  }, 120_000);

  afterAll(() => reference?.close());

  it.each(Object.keys(NEXMARK_QUERIES))('%s returns exactly the rows of its reference SQL', async (name) => {
    const expected = await reference.rows(name);
    const actual = finalRows(name, result.getCollected<readonly unknown[]>(name));
    expect(expected.length, 'the reference result is not empty').toBeGreaterThan(0);
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
  });
});

describe(`Nexmark plain-JS baselines over the same ${EVENTS.toLocaleString('en')} events against DuckDB SQL`, () => {
  let reference: DuckDbReference;

  beforeAll(async () => {
    reference = await DuckDbReference.load(generatedEvents());
  });

  afterAll(() => reference?.close());

  it.each(Object.keys(NEXMARK_QUERIES))('the %s baseline returns exactly the rows of the reference SQL', async (name) => {
    const query = NEXMARK_QUERIES[name]!;
    const key = query.upsertKey;
    const rows: (readonly unknown[])[] = [];
    const count = runBaseline(name, SPLITS, (r) => rows.push(key ? [key(r), ...query.row(r)] : query.row(r)));
    expect(count).toBe(rows.length);
    const expected = await reference.rows(name);
    expect(finalRows(name, rows)).toEqual(expected);
  });
});
