import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputTag } from '@riffle/core';
import { FileSource, isFileDeadLetter, type FileDeadLetter, type FileSourceSplit } from '@riffle/connector-files';
import { SourceTestDriver } from '@riffle/connector-files/testing';
import { ParquetFormat } from './parquet-format.js';
import { ParquetFile } from './parquet-file.js';
import { query, removeTempDirs, run, tempDir } from './test-support.js';

afterAll(removeTempDirs);

type Row = Record<string, unknown>;

/** Every supported type, nulls in every nullable column; DuckDB rounds row groups to 2,048 rows. */
const SELECT_ALL_TYPES = `
  SELECT
    i::INTEGER AS i32,
    (i * 1000003)::BIGINT AS i64,
    CASE WHEN i % 11 = 0 THEN NULL ELSE i / 8.0 END::DOUBLE AS d,
    (i / 4.0)::FLOAT AS f,
    CASE WHEN i % 3 = 0 THEN NULL ELSE 'str-' || i END AS s,
    CASE WHEN i % 13 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
    CASE WHEN i % 17 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND END AS ts,
    make_timestamp_ms(1700000000000 + i)::TIMESTAMP_MS AS tsms,
    (DATE '2024-01-01' + (i % 400)::INTEGER) AS dt,
    CASE WHEN i % 5 = 0 THEN NULL ELSE {'k': 'k' || (i % 3), 'n': i::BIGINT} END AS st,
    [i % 3, i % 7] AS lst
  FROM range(4000) t(i)`;

/** DuckDB's own reading of the file, normalised to JSON-comparable values. */
async function duckRows(path: string): Promise<Row[]> {
  return query(`
    SELECT i32, i64::DOUBLE AS i64, d, f::DOUBLE AS f, s, b, epoch_ms(ts)::DOUBLE AS ts, epoch_ms(tsms)::DOUBLE AS tsms,
           epoch_ms(dt::TIMESTAMP)::DOUBLE AS dt, st.k AS st_k, st.n::DOUBLE AS st_n, st IS NULL AS st_null, lst::DOUBLE[] AS lst
    FROM read_parquet('${path}') ORDER BY i32`);
}

/** Our rows, normalised the same way. */
function normalise(r: Row): Row {
  const ms = (v: unknown): number | null => (v instanceof Date ? v.getTime() : (v as null));
  const st = r.st as { k: string; n: number } | null;
  return {
    i32: r.i32,
    i64: r.i64,
    d: r.d,
    f: r.f,
    s: r.s,
    b: r.b,
    ts: ms(r.ts),
    tsms: ms(r.tsms),
    dt: ms(r.dt),
    st_k: st?.k ?? null,
    st_n: st?.n ?? null,
    st_null: st === null,
    lst: r.lst,
  };
}

async function readAll(source: FileSource<Row>, parallelism: number): Promise<Row[]> {
  const driver = await new SourceTestDriver(source, parallelism).start();
  await driver.run();
  await driver.close();
  return driver.records();
}

const byI32 = (a: Row, b: Row): number => (a.i32 as number) - (b.i32 as number);

describe('Parquet FileSource', () => {
  it('reads a file DuckDB wrote, with every supported type, nulls and timestamps, yielding the values DuckDB reads', async () => {
    const dir = tempDir();
    const path = join(dir, 'all.parquet');
    await run(`COPY (${SELECT_ALL_TYPES}) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    const file = await ParquetFile.open(path);
    expect(file.rowGroupSizes()).toEqual([2048, 1952]);
    await file.close();

    const rows = await readAll(FileSource.forBulkFileFormat(ParquetFormat.forRows(), path).build(), 1);
    expect(rows).toHaveLength(4000);
    const sample = rows.find((r) => r.i32 === 7)!;
    expect(typeof sample.i64).toBe('number');
    expect(sample.ts).toBeInstanceOf(Date);
    expect(rows.sort(byI32).map(normalise)).toEqual(await duckRows(path));
  });

  it('reads the same multiset at parallelism 1 and 3, one split per row group', async () => {
    const dir = tempDir();
    for (let f = 0; f < 3; f++) {
      await run(`COPY (SELECT (i + ${f * 5000})::INTEGER AS i32, 'v' || (i % 10) AS s FROM range(${2000 + f * 700}) t(i)) TO '${join(dir, `f${f}.parquet`)}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    }
    const source = FileSource.forBulkFileFormat(ParquetFormat.forRows({ i32: 'int32', s: { type: 'string', nullable: true } }), dir).build();
    const one = (await readAll(source, 1)).sort(byI32);
    const three = (await readAll(source, 3)).sort(byI32);
    expect(one).toHaveLength(2000 + 2700 + 3400);
    expect(three).toEqual(one);
    const expected = await query(`SELECT i32, s FROM read_parquet('${dir}/*.parquet') ORDER BY i32`);
    expect(one).toEqual(expected);

    const driver = await new SourceTestDriver(source, 3).start();
    const splits = driver.enumerator.snapshotState(0).pendingSplits;
    const groups = await query(`SELECT DISTINCT file_name, row_group_id::INTEGER AS row_group_id, row_group_num_rows::INTEGER AS n FROM parquet_metadata('${dir}/*.parquet') ORDER BY file_name, row_group_id`);
    expect(groups.map((g) => g.n)).toEqual([2000, 2048, 652, 2048, 1352]);
    expect(splits.map((s) => [s.path, s.block, s.records])).toEqual(groups.map((g) => [g.file_name, g.row_group_id, g.n]));
    await driver.close();
  });

  it('reads only the projected columns', async () => {
    const dir = tempDir();
    const path = join(dir, 'p.parquet');
    await run(`COPY (${SELECT_ALL_TYPES}) TO '${path}' (FORMAT parquet)`);
    const rows = await readAll(FileSource.forBulkFileFormat(ParquetFormat.forRows().withProjection(['s', 'i32']), path).build(), 1);
    expect(rows).toHaveLength(4000);
    expect(Object.keys(rows[0]).sort()).toEqual(['i32', 's']);
    expect(() => ParquetFormat.forRows({ a: 'int32' }).withProjection(['b'])).toThrow(/projected column 'b' is not in the schema/);
  });

  it('resumes a row group at the checkpointed row offset without losing or repeating a row', async () => {
    const dir = tempDir();
    const path = join(dir, 'r.parquet');
    await run(`COPY (SELECT i::INTEGER AS i32 FROM range(10000) t(i)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`);
    const source = FileSource.forBulkFileFormat(ParquetFormat.forRows(), path).build();
    const first = await new SourceTestDriver(source, 1).start();
    await first.run(() => first.records().length >= 4096);
    const ser = source.getSplitSerializer();
    const splits: FileSourceSplit[] = first.snapshotReaders(1).get(0)!.map((s) => ser.deserialize(1, ser.serialize(s)));
    expect(splits[0].position).toBe(first.records().length);
    expect(splits[0].position).toBeLessThan(5000);
    const enumState = first.enumerator.snapshotState(1);
    const before = first.records();
    await first.close();

    const second = await new SourceTestDriver(source, 2, { enumeratorState: enumState, readerSplits: new Map([[1, splits]]) }).start();
    await second.run();
    const all = [...before, ...second.records()].map((r) => r.i32 as number).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10000 }, (_, i) => i));
  });

  it('fails on a schema mismatch, naming the column and both types', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.parquet');
    await run(`COPY (SELECT 1::INTEGER AS a) TO '${path}' (FORMAT parquet)`);
    const driver = await new SourceTestDriver(FileSource.forBulkFileFormat(ParquetFormat.forRows({ a: 'string' }), path).build(), 1).start();
    await expect(driver.run()).rejects.toThrow(`could not read file '${path}', block (row group) 0, at record 0: column 'a' is int32 in the file, the schema says string`);
  });
});

describe('Parquet FileSource with bad input', () => {
  /** A DuckDB file of 3 uncompressed row groups of 2,048 rows whose second row group's data bytes are overwritten. */
  async function corruptFile(dir: string): Promise<string> {
    const path = join(dir, 'corrupt.parquet');
    await run(`COPY (SELECT i::BIGINT AS id, 'row-' || i AS s FROM range(${3 * 2048}) t(i)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION uncompressed)`);
    const meta = await query(`SELECT row_group_id, min(coalesce(dictionary_page_offset, data_page_offset))::INTEGER AS start, sum(total_compressed_size)::INTEGER AS size FROM parquet_metadata('${path}') GROUP BY row_group_id ORDER BY row_group_id`);
    const bytes = readFileSync(path);
    const { start, size } = meta[1] as { start: number; size: number };
    bytes.fill(0xff, start, start + size);
    writeFileSync(path, bytes);
    return path;
  }

  it('fails the job naming the file that is not Parquet', async () => {
    const dir = tempDir();
    const path = join(dir, 'notes.parquet');
    writeFileSync(path, 'this is not a parquet file, just some text that is long enough');
    const driver = await new SourceTestDriver(FileSource.forBulkFileFormat(ParquetFormat.forRows(), dir).build(), 1).start();
    await expect(driver.run()).rejects.toThrow(new RegExp(`could not read file '${path}', block \\(row group\\) 0, at record 0: not a Parquet file`));
  });

  it('fails the job naming the file and the corrupt row group', async () => {
    const dir = tempDir();
    const path = await corruptFile(dir);
    const driver = await new SourceTestDriver(FileSource.forBulkFileFormat(ParquetFormat.forRows(), path).build(), 1).start();
    await expect(driver.run()).rejects.toThrow(`could not read file '${path}', block (row group) 1, at record 0:`);
  });

  it('with a dead-letter output, emits dead letters for the corrupt row group and the foreign file, counts the skipped rows and reads every good row', async () => {
    const dir = tempDir();
    const corrupt = await corruptFile(dir);
    const foreign = join(dir, 'x.parquet');
    writeFileSync(foreign, 'PAR1 but not really a parquet file at all PAR1');
    const tag = new OutputTag<FileDeadLetter>('bad-parquet');
    const source = FileSource.forBulkFileFormat(ParquetFormat.forRows(), dir).setDeadLetterOutput(tag).build();
    const driver = await new SourceTestDriver(source, 2).start();
    await driver.run();
    const rows = driver.records();
    const ids = rows.filter((r): r is Row => !isFileDeadLetter(r)).map((r) => r.id as number).sort((a, b) => a - b);
    expect(ids).toEqual([...Array.from({ length: 2048 }, (_, i) => i), ...Array.from({ length: 2048 }, (_, i) => 4096 + i)]);
    const dead = rows.filter(isFileDeadLetter).sort((a, b) => a.path.localeCompare(b.path));
    expect(dead.map(({ path, block, position, skippedRecords }) => ({ path, block, position, skippedRecords }))).toEqual([
      { path: corrupt, block: 1, position: 0, skippedRecords: 2048 },
      { path: foreign, block: 0, position: 0, skippedRecords: -1 },
    ]);
    expect(dead[1].error).toMatch(/not a Parquet file/);
    const skipped = [...driver.readers.values()].reduce((n, r) => n + (r as unknown as { skippedRecords: number }).skippedRecords, 0);
    expect(skipped).toBe(2048);
  });
});
