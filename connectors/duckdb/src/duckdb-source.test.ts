import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ReaderOutput, SourceOutput, SourceReaderContext } from '@riffle/core';
// Test/bench only (a devDependency): runs the sink in real jobs; library code imports only @riffle/core.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { runJob } from '@riffle/datastream';
import { DuckDbSource } from './duckdb-source.js';
import { DuckDbEnumStateSerializer, DuckDbSplitSerializer, type DuckDbSplit } from './duckdb-split.js';
import { computeSplits } from './split-queries.js';
import { query, tempDir } from './test-support.js';

const JOB = new URL('./jobs/copy-table.job.ts', import.meta.url);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const ROWS = 5000;

async function eventsDatabase(): Promise<string> {
  const t = tempDir('riffle-duckdb-source-');
  cleanups.push(t.cleanup);
  const database = join(t.dir, 'events.duckdb');
  const db = await DuckDBInstance.create(database);
  const conn = await db.connect();
  await conn.run(
    `CREATE TABLE events AS SELECT i::BIGINT AS id, CASE WHEN i % 10 = 0 THEN NULL ELSE 'k' || (i % 7) END AS kind, i / 8 AS value,
       TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND AS at FROM range(${ROWS}) t(i)`,
  );
  conn.closeSync();
  db.closeSync();
  return database;
}

/** Collects what a reader emits, per split. */
class CollectingOutput<T> implements ReaderOutput<T> {
  readonly records: T[] = [];
  readonly released: string[] = [];
  collect(value: T): void {
    this.records.push(value);
  }
  emitWatermark(): void {}
  markIdle(): void {}
  markActive(): void {}
  createOutputForSplit(): SourceOutput<T> {
    return this;
  }
  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
}

const readerContext = (requests: { n: number }): SourceReaderContext => ({
  getIndexOfSubtask: () => 0,
  currentParallelism: () => 1,
  sendSplitRequest: () => void requests.n++,
  sendSourceEventToCoordinator: () => undefined,
});

describe('DuckDbSource', () => {
  it('writes version 1 splits and enumerator state in the golden layout and reads them back', () => {
    const splits = new DuckDbSplitSerializer();
    const states = new DuckDbEnumStateSerializer();
    const split: DuckDbSplit = { splitId: 'r', lower: 1, upper: null, upperInclusive: false, offset: 130 };
    // "r"; flags 1 (lower only); 1.0 as float64 LE; offset 130 = 8201
    const golden = '0172' + '01' + '000000000000f03f' + '8201';
    expect(hex(splits.serialize(split))).toBe(golden);
    expect(splits.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(split);
    const open: DuckDbSplit = { splitId: 'a', lower: null, upper: 2.5, upperInclusive: true, offset: 0 };
    expect(hex(splits.serialize(open))).toBe('0161' + '06' + '0000000000000440' + '00');
    const state = { pendingSplits: [open], splitsComputed: true };
    expect(hex(states.serialize(state))).toBe('01' + '0161060000000000000440' + '00' + '01');
    expect(states.deserialize(1, states.serialize(state))).toEqual(state);
    expect(() => splits.deserialize(2, new Uint8Array())).toThrow(/DuckDbSplitSerializer: unknown version 2/);
    expect(() => states.deserialize(3, new Uint8Array())).toThrow(/DuckDbEnumStateSerializer: unknown version 3/);
  });

  it('cuts the split column into ranges that cover every row once, NULLs included', async () => {
    const database = await eventsDatabase();
    const source = DuckDbSource.builder().setDatabase(database).setQuery('SELECT * FROM events').setSplitColumn('value').build();
    const splits = await computeSplits(source.options, 4);
    expect(splits.map((s) => [s.lower, s.upper])).toEqual([
      [null, 156.21875],
      [156.21875, 312.4375],
      [312.4375, 468.65625],
      [468.65625, null],
    ]);
    const byRowid = DuckDbSource.builder().setDatabase(database).setTable('events').build();
    expect(await computeSplits(byRowid.options, 3)).toEqual([
      { splitId: 'range-0', lower: null, upper: 1667, upperInclusive: false, offset: 0 },
      { splitId: 'range-1', lower: 1667, upper: 3334, upperInclusive: false, offset: 0 },
      { splitId: 'range-2', lower: 3334, upper: null, upperInclusive: false, offset: 0 },
    ]);
  });

  it('resumes a split from its snapshot offset without repeating or skipping rows', async () => {
    const database = await eventsDatabase();
    const source = DuckDbSource.builder<{ id: bigint }>().setDatabase(database).setTable('events').setPollBatchSize(300).build();
    const [split] = await computeSplits(source.options, 1);
    const requests = { n: 0 };
    const first = source.createReader(readerContext(requests));
    first.start();
    first.addSplits([split!]);
    const out1 = new CollectingOutput<{ id: bigint }>();
    while (out1.records.length < 2100) {
      if (first.pollNext(out1) === 'NOTHING_AVAILABLE') await first.isAvailable();
    }
    const snapshot = first.snapshotState(1);
    await first.close();
    expect(snapshot).toEqual([{ ...split, offset: out1.records.length }]);

    const serializer = source.getSplitSerializer();
    const restoredSplits = snapshot.map((s) => serializer.deserialize(1, serializer.serialize(s)));
    const second = source.createReader(readerContext(requests));
    second.start();
    second.addSplits(restoredSplits);
    second.notifyNoMoreSplits();
    const out2 = new CollectingOutput<{ id: bigint }>();
    for (;;) {
      const status = second.pollNext(out2);
      if (status === 'END_OF_INPUT') break;
      if (status === 'NOTHING_AVAILABLE') await second.isAvailable();
    }
    await second.close();
    const ids = [...out1.records, ...out2.records].map((r) => Number(r.id));
    expect(ids).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    expect(out2.released).toEqual([split!.splitId]);
  });

  for (const parallelism of [1, 3]) {
    it(`reads the same multiset of rows at parallelism ${parallelism}`, async () => {
      const database = await eventsDatabase();
      const out = tempDir('riffle-duckdb-copy-');
      cleanups.push(out.cleanup);
      const target = join(out.dir, 'copy.duckdb');
      await runJob(JOB, { parallelism, args: ['--source', database, '--target', target] });
      // The copy equals the source row for row (EXCEPT ALL compares multisets, both ways).
      const instance = await DuckDBInstance.create(target);
      const conn = await instance.connect();
      await conn.run(`ATTACH '${database}' AS src (READ_ONLY)`);
      const diff = await conn.runAndReadAll(
        `SELECT (SELECT count(*) FROM (FROM events_copy EXCEPT ALL FROM src.events))::INT, (SELECT count(*) FROM (FROM src.events EXCEPT ALL FROM events_copy))::INT, (SELECT count(*) FROM events_copy)::INT`,
      );
      conn.closeSync();
      instance.closeSync();
      expect(diff.getRows()[0]).toEqual([0, 0, ROWS]);
      const [nulls] = await query(target, 'SELECT count(*)::INT AS n FROM events_copy WHERE kind IS NULL');
      expect(nulls!.n).toBe(ROWS / 10);
    });
  }
});
