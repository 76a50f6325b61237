import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DateTimeBucketAssigner, FileSink, OutputFileConfig, type FileSinkCommittable } from '@riffle/connector-files';
import { ParquetWriters } from './parquet-writers.js';
import { filesUnder, initContext, isHidden, query, removeTempDirs, tempDir, TestingCommitRequest, TestingWriterContext } from './test-support.js';

afterAll(removeTempDirs);

interface Event {
  id: number;
  small: number;
  amount: number;
  name: string | null;
  ok: boolean;
  ts: number;
  tags: { k: string; v: number } | null;
  scores: number[];
}

const SCHEMA = {
  id: 'int64',
  small: 'int32',
  amount: 'double',
  name: { type: 'string', nullable: true },
  ok: 'boolean',
  ts: 'timestamp-millis',
  tags: { type: 'struct', nullable: true, fields: { k: 'string', v: 'int64' } },
  scores: { type: 'list', element: 'int32' },
} as const;

const BASE = Date.UTC(2024, 2, 10, 22, 0, 0);
/** Event `i`: timestamps spread over four hours, every 7th name and 5th tag null. */
function event(i: number): Event {
  return {
    id: i,
    small: (i % 1000) - 500,
    amount: i * 0.25,
    name: i % 7 === 0 ? null : `user-${i % 97}`,
    ok: i % 2 === 0,
    ts: BASE + i * 1000,
    tags: i % 5 === 0 ? null : { k: `k${i % 3}`, v: i * 10 },
    scores: [i % 4, i % 9],
  };
}

async function commit(sink: FileSink<Event>, committables: FileSinkCommittable[]): Promise<TestingCommitRequest<FileSinkCommittable>[]> {
  const requests = committables.map((c) => new TestingCommitRequest(c));
  await sink.createCommitter().commit(requests);
  return requests;
}

function hourlySink(dir: string, codec: 'SNAPPY' | 'GZIP' = 'SNAPPY'): FileSink<Event> {
  return FileSink.forBulkFormat<Event>(dir, ParquetWriters.forRows<Event>(SCHEMA).withCompression(codec).withRowGroupSize(2000))
    .withBucketAssigner(new DateTimeBucketAssigner<Event>("'dt='yyyy-MM-dd'/hour='HH"))
    .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix('part').withPartSuffix('.parquet').build())
    .build();
}

describe('Parquet FileSink', () => {
  it('writes hourly-partitioned Parquet files, one per bucket and checkpoint, that DuckDB reads with the right rows, types and values', async () => {
    const dir = tempDir();
    const sink = hourlySink(dir);
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    const N = 12_000;
    let committed = 0;
    for (let cp = 1; cp <= 3; cp++) {
      for (let i = ((cp - 1) * N) / 3; i < (cp * N) / 3; i++) {
        const e = event(i);
        ctx.ts = e.ts;
        writer.write(e, ctx);
      }
      await writer.flush(cp === 3);
      const committables = await writer.prepareCommit();
      expect(writer.snapshotState(cp).filter((s) => s.inProgress)).toEqual([]);
      // Nothing is visible before the checkpoint completes.
      expect(filesUnder(dir).filter((f) => !isHidden(f))).toHaveLength(committed);
      const requests = await commit(sink, committables);
      expect(requests.every((r) => r.outcome === 'committed')).toBe(true);
      committed += committables.length;
      // A replayed commit (after recovery) is a no-op.
      expect((await commit(sink, committables)).every((r) => r.outcome === 'already-committed')).toBe(true);
    }
    await writer.close();

    const files = filesUnder(dir);
    expect(files.filter(isHidden)).toEqual([]);
    expect(new Set(files.map((f) => f.slice(0, f.lastIndexOf('/'))))).toEqual(
      new Set(['dt=2024-03-10/hour=22', 'dt=2024-03-10/hour=23', 'dt=2024-03-11/hour=00', 'dt=2024-03-11/hour=01']),
    );
    for (const f of files) expect(f).toMatch(/\/part-[0-9a-f-]{36}-0-\d+\.parquet$/);

    const glob = `${dir}/**/*.parquet`;
    expect(await query(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS d FROM read_parquet('${glob}')`)).toEqual([{ n: N, d: N }]);
    const types = await query(`DESCRIBE SELECT * FROM read_parquet('${glob}', hive_partitioning = false)`);
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      id: 'BIGINT',
      small: 'INTEGER',
      amount: 'DOUBLE',
      name: 'VARCHAR',
      ok: 'BOOLEAN',
      ts: 'TIMESTAMP',
      tags: 'STRUCT(k VARCHAR, v BIGINT)',
      scores: 'INTEGER[]',
    });
    const rows = await query(
      `SELECT id::DOUBLE AS id, small, amount, name, ok, epoch_ms(ts)::DOUBLE AS ts, tags.k AS k, tags.v::DOUBLE AS v, tags IS NULL AS tags_null, scores FROM read_parquet('${glob}') ORDER BY id`,
    );
    expect(rows).toHaveLength(N);
    for (let i = 0; i < N; i += 37) {
      const e = event(i);
      expect(rows[i]).toEqual({
        id: e.id,
        small: e.small,
        amount: e.amount,
        name: e.name,
        ok: e.ok,
        ts: e.ts,
        k: e.tags?.k ?? null,
        v: e.tags?.v ?? null,
        tags_null: e.tags === null,
        scores: e.scores,
      });
    }
    // Each hour's rows are in that hour's directory (the bucket is the event hour).
    const misplaced = await query(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${glob}', hive_partitioning = true) WHERE strftime(ts, '%Y-%m-%d') <> dt::VARCHAR OR hour(ts) <> hour::INTEGER`,
    );
    expect(misplaced).toEqual([{ n: 0 }]);
  });

  it('compresses pages with snappy or gzip, as DuckDB reports', async () => {
    for (const codec of ['SNAPPY', 'GZIP'] as const) {
      const dir = tempDir();
      const sink = hourlySink(dir, codec);
      const writer = sink.createWriter(initContext());
      const ctx = new TestingWriterContext();
      for (let i = 0; i < 500; i++) {
        ctx.ts = BASE;
        writer.write(event(i), ctx);
      }
      await writer.flush(true);
      await commit(sink, await writer.prepareCommit());
      const glob = `${dir}/**/*.parquet`;
      const codecs = await query(`SELECT DISTINCT compression FROM parquet_metadata('${glob}')`);
      expect(codecs).toEqual([{ compression: codec }]);
      expect(await query(`SELECT sum(id)::DOUBLE AS s FROM read_parquet('${glob}')`)).toEqual([{ s: (499 * 500) / 2 }]);
    }
  });

  it('after a crash, recommits the restored checkpoint once, deletes the in-progress file of the failed attempt and, with the replayed input, loses and doubles no record', async () => {
    const dir = tempDir();
    const sink = hourlySink(dir);
    const ctx = new TestingWriterContext();
    const write = (w: { write(e: Event, c: TestingWriterContext): void }, from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const e = event(i);
        ctx.ts = e.ts;
        w.write(e, ctx);
      }
    };
    // Two subtasks; checkpoint 1 completes, checkpoint 2 is taken but the job dies before it completes.
    const writers = [sink.createWriter(initContext(0, 2)), sink.createWriter(initContext(1, 2))];
    write(writers[0], 0, 1000);
    write(writers[1], 1000, 2000);
    const cp1 = (await Promise.all(writers.map(async (w) => (await w.flush(false), await w.prepareCommit())))).flat();
    await commit(sink, cp1);
    write(writers[0], 2000, 3000);
    write(writers[1], 3000, 4000);
    const cp2 = (await Promise.all(writers.map(async (w) => (await w.flush(false), await w.prepareCommit())))).flat();
    const states = writers.flatMap((w, i) => w.snapshotState(2 + i * 0));
    // Records after checkpoint 2 are written to in-progress files that are lost with the crash.
    write(writers[0], 4000, 4300);

    // Recovery at parallelism 3: checkpoint 2's committables are re-committed by one committer,
    // the sources replay from checkpoint 2's positions (4000 onwards).
    const restored = [0, 1, 2].map((s) => sink.restoreWriter(initContext(s, 3), s === 0 ? states : []));
    const again = await commit(sink, cp2);
    expect(again.every((r) => r.outcome === 'committed')).toBe(true);
    write(restored[0], 4000, 4500);
    write(restored[2], 4500, 5000);
    const cp3 = (await Promise.all(restored.map(async (w) => (await w.flush(true), await w.prepareCommit())))).flat();
    await commit(sink, cp3);
    // Committing checkpoint 2 once more (another replay) changes nothing.
    expect((await commit(sink, cp2)).every((r) => r.outcome === 'already-committed')).toBe(true);

    await Promise.all([...writers, ...restored].map((w) => w.close()));
    // The in-progress file the crashed writer opened after checkpoint 2 was deleted on restore.
    expect(filesUnder(dir).filter(isHidden)).toEqual([]);
    const glob = `${dir}/**/*.parquet`;
    expect(await query(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS d, min(id)::INTEGER AS lo, max(id)::INTEGER AS hi FROM read_parquet('${glob}')`)).toEqual([
      { n: 5000, d: 5000, lo: 0, hi: 4999 },
    ]);
  });

  it('writes every row of every row group intact, in files of many row groups and a partial last one, one file after another', async () => {
    const dir = tempDir();
    const sink = FileSink.forBulkFormat<Event>(dir, ParquetWriters.forRows<Event>(SCHEMA).withRowGroupSize(100))
      .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix('.parquet').build())
      .build();
    const writer = sink.createWriter(initContext());
    const ctx = new TestingWriterContext();
    // Part file 0: rows 0..1049 (11 row groups); part file 1, after a checkpoint: rows 1050..1199 (2 groups).
    const parts = [
      [0, 1050, 11],
      [1050, 1200, 2],
    ] as const;
    for (const [from, to] of parts) {
      for (let i = from; i < to; i++) writer.write(event(i), ctx);
      await writer.flush(false);
      await commit(sink, await writer.prepareCommit());
    }
    await writer.close();
    const files = filesUnder(dir);
    expect(files).toHaveLength(2);
    for (const [from, to, groups] of parts) {
      const file = join(dir, files.find((f) => f.endsWith(`-${from === 0 ? 0 : 1}.parquet`))!);
      expect(await query(`SELECT count(DISTINCT row_group_id)::INTEGER AS groups FROM parquet_metadata('${file}')`)).toEqual([{ groups }]);
      const rows = await query(
        `SELECT id::DOUBLE AS id, small, amount, name, ok, epoch_ms(ts)::DOUBLE AS ts, tags.k AS k, tags.v::DOUBLE AS v, scores FROM read_parquet('${file}')`,
      );
      // In file order: row group g holds the next 100 rows, none from another group or file.
      expect(rows).toEqual(
        Array.from({ length: to - from }, (_, j) => {
          const e = event(from + j);
          return { id: e.id, small: e.small, amount: e.amount, name: e.name, ok: e.ok, ts: e.ts, k: e.tags?.k ?? null, v: e.tags?.v ?? null, scores: e.scores };
        }),
      );
    }
  });

  it('rejects a bad schema or option when the job is built, naming it', () => {
    expect(() => ParquetWriters.forRows({ a: 'int128' as 'int64' })).toThrow(/column 'a' has unknown type 'int128'/);
    expect(() => ParquetWriters.forRows({ s: { type: 'struct', fields: {} } })).toThrow(/struct column 's' must have fields/);
    expect(() => ParquetWriters.forRows({ a: 'int32' }).withCompression('LZ4' as 'GZIP')).toThrow(/'compression'/);
    expect(() => ParquetWriters.forRows({ a: 'int32' }).withRowGroupSize(0)).toThrow(/'rowGroupSize'/);
  });

  it('fails naming the column when a required column gets a null', async () => {
    const dir = tempDir();
    type R = { a: number | null; s: string | null };
    const sink = FileSink.forBulkFormat<R>(join(dir, 'x'), ParquetWriters.forRows<R>({ a: 'int32', s: 'string' }).withRowGroupSize(2)).build();
    const writer = sink.createWriter(initContext());
    writer.write({ a: 1, s: 'x' }, new TestingWriterContext());
    expect(() => writer.write({ a: null, s: 'y' }, new TestingWriterContext())).toThrow("column 'a' is not nullable but the record has no value for it");
    // Columns without a typed buffer are checked when their row group is encoded.
    expect(() => writer.write({ a: 2, s: null }, new TestingWriterContext())).toThrow(/could not encode a row group of 2 rows/);
  });
});
