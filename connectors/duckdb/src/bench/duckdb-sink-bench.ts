// `npx tsx connectors/duckdb/src/bench/duckdb-sink-bench.ts [--records N] [--runs R]`
//
// Writes the same N orders (default 3,000,000; id BIGINT PRIMARY KEY, customer VARCHAR, amount
// DOUBLE) into a fresh DuckDB file and prints rows/s: a bare @duckdb/node-api appender loop with
// one append call per value (the baseline the issue names), a bare loop appending whole data
// chunks (the fastest raw path, which the sink's writer uses), and a
// bounded Riffle job `fromSequence → map → DuckDbSink` at parallelism 1 on the local MiniCluster,
// with AT_LEAST_ONCE and EXACTLY_ONCE; plus the same job into a DiscardingSink for the pipeline's
// own cost. Job timings include the MiniCluster's start. Besides rows per wall-clock second it
// prints rows per CPU-second of the whole process (all threads, DuckDB's included), which is
// steadier than wall time on a shared machine. Prints figures; gates nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBInstance, VARCHAR } from '@duckdb/node-api';
// Test/bench only (a devDependency): runs the sink in real jobs; library code imports only @riffle/core.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { runJob } from '@riffle/datastream';

const argv = process.argv.slice(2);
const opt = (key: string, def: string) => {
  const i = argv.indexOf(key);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const records = Number(opt('--records', '3000000'));
const runs = Number(opt('--runs', '2'));
const JOB = new URL('../jobs/orders-to-duckdb.job.ts', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'riffle-duckdb-bench-'));

async function count(database: string): Promise<number> {
  const db = await DuckDBInstance.create(database);
  const conn = await db.connect();
  const n = Number((await conn.runAndReadAll('SELECT count(*) FROM orders')).getRows()[0]![0]);
  conn.closeSync();
  db.closeSync();
  return n;
}

async function bareAppender(database: string): Promise<void> {
  const db = await DuckDBInstance.create(database);
  const conn = await db.connect();
  await conn.run('CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR, amount DOUBLE)');
  const appender = await conn.createAppender('orders');
  for (let n = 0; n < records; n++) {
    const o = { id: n, customer: `c${n % 97}`, amount: n / 4 };
    appender.appendBigInt(BigInt(o.id));
    appender.appendVarchar(o.customer);
    appender.appendDouble(o.amount);
    appender.endRow();
  }
  appender.closeSync();
  conn.closeSync();
  db.closeSync();
}

/** The fastest bare client path: fill data-chunk vectors, append whole chunks (what the sink does). */
async function bareChunkAppender(database: string): Promise<void> {
  const db = await DuckDBInstance.create(database);
  const conn = await db.connect();
  await conn.run('CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR, amount DOUBLE)');
  const appender = await conn.createAppender('orders');
  const size = 2048;
  const chunk = DuckDBDataChunk.create([BIGINT, VARCHAR, DOUBLE], size);
  const [ids, customers, amounts] = [0, 1, 2].map((i) => chunk.getColumnVector(i));
  let k = 0;
  for (let n = 0; n < records; n++) {
    const o = { id: n, customer: `c${n % 97}`, amount: n / 4 };
    ids!.setItem(k, BigInt(o.id));
    customers!.setItem(k, o.customer);
    amounts!.setItem(k, o.amount);
    if (++k === size) {
      ids!.flush();
      customers!.flush();
      amounts!.flush();
      appender.appendDataChunk(chunk);
      k = 0;
    }
  }
  if (k > 0) {
    chunk.rowCount = k;
    ids!.flush();
    customers!.flush();
    amounts!.flush();
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  conn.closeSync();
  db.closeSync();
}

async function job(database: string, args: string[]): Promise<void> {
  await runJob(JOB, { parallelism: 1, args: ['--database', database, '--records', String(records), ...args] });
}

const variants: { name: string; run: (db: string) => Promise<void>; writes: boolean }[] = [
  { name: 'bare appender loop', run: bareAppender, writes: true },
  { name: 'bare appender, data chunks', run: bareChunkAppender, writes: true },
  { name: 'job → DiscardingSink', run: (db) => job(db, ['--sink', 'discard']), writes: false },
  { name: 'job → DuckDbSink AT_LEAST_ONCE', run: (db) => job(db, ['--guarantee', 'AT_LEAST_ONCE']), writes: true },
  { name: 'job → DuckDbSink EXACTLY_ONCE', run: (db) => job(db, ['--guarantee', 'EXACTLY_ONCE']), writes: true },
];

const best = new Map<string, number>();
const bestCpu = new Map<string, number>();
try {
  for (let r = 0; r < runs; r++) {
    for (const v of variants) {
      const database = join(dir, `${r}-${v.name.replace(/\W+/g, '_')}.duckdb`);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await v.run(database);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (v.writes) {
        const n = await count(database);
        if (n !== records) throw new Error(`${v.name}: ${n} rows in the table, expected ${records}`);
      }
      const rate = records / seconds;
      best.set(v.name, Math.max(best.get(v.name) ?? 0, rate));
      bestCpu.set(v.name, Math.max(bestCpu.get(v.name) ?? 0, records / cpuSeconds));
      process.stderr.write(`run ${r + 1} ${v.name}: ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} CPU s), ${Math.round(rate).toLocaleString('en-US')} rows/s\n`);
    }
  }
  const bare = best.get('bare appender loop')!;
  const bareCpu = bestCpu.get('bare appender loop')!;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(0).padStart(4)}%`;
  process.stdout.write(`DuckDB sink benchmark, ${records.toLocaleString('en-US')} rows, best of ${runs}\n`);
  process.stdout.write(`  ${'variant'.padEnd(34)} ${'rows/s'.padStart(12)} ${'of bare'.padStart(8)} ${'rows/CPU-s'.padStart(12)} ${'of bare'.padStart(8)}\n`);
  for (const [name, rate] of best) {
    const perCpu = bestCpu.get(name)!;
    process.stdout.write(`  ${name.padEnd(34)} ${fmt(rate)} ${pct(rate, bare).padStart(8)} ${fmt(perCpu)} ${pct(perCpu, bareCpu).padStart(8)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
