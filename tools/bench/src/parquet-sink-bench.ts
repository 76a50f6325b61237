import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import parquetjs from 'parquetjs-lite';
import { ParquetSchema } from '@riffle/connector-parquet';
import { BENCH_SCHEMA, benchRow } from './jobs/parquet-rows.js';
import { formatTable, measureJob, type Measurement } from './measure.js';

/**
 * `npx tsx tools/bench/src/parquet-sink-bench.ts [--records N] [--parallelism 1] [--runs 2] [--lite-records 200000]`
 *
 * Writes N rows of six columns (int64, string, double, boolean, timestamp, nullable int32;
 * snappy, 65,536-row groups) twice: with the bare Parquet writer (hyparquet-writer, the library
 * the sink uses, fed column arrays row by row (typed arrays for the required numeric columns, as
 * the sink does) and writing each row group to a file), and with a
 * bounded Riffle job (fromSequence → map to rows → FileSink.forBulkFormat(ParquetWriters.forRows))
 * on a local MiniCluster. Both create the same row objects. Prints rows/s for both and the ratio;
 * checks the sink's output with DuckDB (row count, id sum). A third run of the same job into a
 * DiscardingSink shows the runtime's share (source, map, chaining, start-up). The bare
 * parquetjs-lite writer (the architecture page's first choice; `--lite-records 0` skips it) writes
 * fewer rows, since it is slow; rates are compared. Gates nothing.
 */
const argv = process.argv.slice(2);
const opt = (key: string, def: string): string => {
  const i = argv.indexOf(key);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const records = Number(opt('--records', '2000000'));
const parallelisms = opt('--parallelism', '1').split(',').map(Number);
const runs = Number(opt('--runs', '2'));
const ROW_GROUP = 64 * 1024;
/** parquetjs-lite (the architecture page's first choice) is slow: it writes fewer rows, and rows/s are compared. */
const liteRecords = Number(opt('--lite-records', '200000'));

/** The bare parquetjs-lite writer over the same rows (its API: one awaited appendRow per row). */
async function bareParquetjsLite(dir: string): Promise<Measurement> {
  const schema = new parquetjs.ParquetSchema({
    id: { type: 'INT64' },
    user: { type: 'UTF8' },
    amount: { type: 'DOUBLE' },
    ok: { type: 'BOOLEAN' },
    ts: { type: 'TIMESTAMP_MILLIS' },
    cnt: { type: 'INT32', optional: true },
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const writer = await parquetjs.ParquetWriter.openFile(schema, join(dir, 'lite.parquet'), { rowGroupSize: ROW_GROUP });
  for (let i = 0; i < liteRecords; i++) {
    const r = benchRow(i);
    await writer.appendRow({ id: r.id, user: r.user, amount: r.amount, ok: r.ok, ts: new Date(r.ts), cnt: r.cnt ?? undefined });
  }
  await writer.close();
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    name: 'bare parquetjs-lite',
    records: liteRecords,
    parallelism: 1,
    wallSeconds,
    cpuSeconds,
    coresUsed: cpuSeconds / wallSeconds,
    recordsPerSecond: liteRecords / wallSeconds,
    recordsPerCoreSecond: liteRecords / cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function bareWriter(dir: string): Measurement {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fd = openSync(join(dir, 'bare.parquet'), 'w');
  const bytes = new ByteWriter(1 << 16);
  (bytes as unknown as { flush(): void }).flush = function (this: ByteWriter) {
    writeSync(fd, this.getBytes());
    this.index = 0;
  };
  const writer = new ParquetWriter({ writer: bytes, schema: ParquetSchema.of(BENCH_SCHEMA).toSchemaElements(), codec: 'SNAPPY' });
  const names = Object.keys(BENCH_SCHEMA);
  // Typed arrays for the required numeric columns, plain arrays for the rest (what the sink does too).
  const newColumns = (): [BigInt64Array, string[], Float64Array, boolean[], Float64Array, (number | null)[]] => [
    new BigInt64Array(ROW_GROUP),
    new Array<string>(ROW_GROUP),
    new Float64Array(ROW_GROUP),
    new Array<boolean>(ROW_GROUP),
    new Float64Array(ROW_GROUP),
    new Array<number | null>(ROW_GROUP),
  ];
  let cols = newColumns();
  let n = 0;
  const flushGroup = (): void => {
    const data = cols.map((c) => (Array.isArray(c) ? ((c.length = n), c) : c.subarray(0, n)));
    writer.write({ columnData: names.map((name, c) => ({ name, data: data[c]! })), rowGroupSize: n });
    cols = newColumns();
    n = 0;
  };
  for (let i = 0; i < records; i++) {
    const r = benchRow(i);
    cols[0][n] = BigInt(r.id);
    cols[1][n] = r.user;
    cols[2][n] = r.amount;
    cols[3][n] = r.ok;
    cols[4][n] = r.ts;
    cols[5][n] = r.cnt;
    if (++n === ROW_GROUP) flushGroup();
  }
  if (n > 0) flushGroup();
  writer.finish();
  writeSync(fd, bytes.getBytes());
  closeSync(fd);
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    name: 'bare hyparquet-writer',
    records,
    parallelism: 1,
    wallSeconds,
    cpuSeconds,
    coresUsed: cpuSeconds / wallSeconds,
    recordsPerSecond: records / wallSeconds,
    recordsPerCoreSecond: records / cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

async function check(dir: string): Promise<void> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const hidden = files.filter((e) => e.name.startsWith('.'));
  if (hidden.length > 0) throw new Error(`hidden (in-progress/pending) files left: ${hidden.map((e) => e.name).join(', ')}`);
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const rows = (await db.runAndReadAll(`SELECT count(*)::DOUBLE AS n, sum(id)::DOUBLE AS s FROM read_parquet('${dir}/**/*.parquet')`)).getRowObjectsJson();
  const expected = { n: records, s: (records * (records - 1)) / 2 };
  if (rows[0]!.n !== expected.n || rows[0]!.s !== expected.s) throw new Error(`sink output ${JSON.stringify(rows[0])}, expected ${JSON.stringify(expected)}`);
  db.closeSync();
}

const rows: Measurement[] = [];
for (let run = 0; run < runs; run++) {
  const bareDir = mkdtempSync(join(tmpdir(), 'riffle-parquet-bare-'));
  try {
    rows.push(bareWriter(bareDir));
    if (liteRecords > 0) rows.push(await bareParquetjsLite(bareDir));
  } finally {
    rmSync(bareDir, { recursive: true, force: true });
  }
  for (const p of parallelisms) {
    const out = mkdtempSync(join(tmpdir(), 'riffle-parquet-sink-'));
    try {
      rows.push(await measureJob('riffle Parquet FileSink', new URL('./jobs/parquet-sink.job.ts', import.meta.url), records, p, ['--out', out]));
      await check(out);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    rows.push(await measureJob('same job, DiscardingSink', new URL('./jobs/parquet-sink.job.ts', import.meta.url), records, p, ['--discard']));
  }
}
const best = (name: string, key: 'recordsPerSecond' | 'recordsPerCoreSecond', p?: number): number =>
  Math.max(...rows.filter((r) => r.name === name && (p === undefined || r.parallelism === p)).map((r) => r[key]));
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
process.stdout.write(formatTable(rows) + '\n');
// Wall-clock rates depend on how much CPU the machine grants; the per-CPU-second rates do not
// (the job's include its MiniCluster start-up and JobManager side).
for (const p of parallelisms) {
  for (const key of ['recordsPerSecond', 'recordsPerCoreSecond'] as const) {
    const bare = best('bare hyparquet-writer', key);
    const sink = best('riffle Parquet FileSink', key, p);
    const unit = key === 'recordsPerSecond' ? 'rows/s' : 'rows per CPU second';
    process.stdout.write(`best of ${runs}, ${unit}: bare writer ${fmt(bare)}; FileSink p=${p} ${fmt(sink)} = ${((100 * sink) / bare).toFixed(0)}% of bare (targets: ≥300,000 rows/s, ≥80%)\n`);
    if (liteRecords > 0) {
      const lite = best('bare parquetjs-lite', key);
      process.stdout.write(`  against bare parquetjs-lite (${fmt(lite)}): ${((100 * sink) / lite).toFixed(0)}%\n`);
    }
  }
}
