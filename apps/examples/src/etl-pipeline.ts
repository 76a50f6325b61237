import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { DuckDbSink, queryDuckDb } from '@riffle/connector-duckdb';
import { FileSink, JsonLinesEncoder, OutputFileConfig, type BucketAssigner } from '@riffle/connector-files';
import { ParquetWriters } from '@riffle/connector-parquet';
import { DeliveryGuarantee, Time, WatermarkStrategy, type Collector } from '@riffle/core';
import {
  ProcessWindowFunction,
  TumblingEventTimeWindows,
  type DataStream,
  type ProcessWindowContext,
  type StreamExecutionEnvironment,
  type TimeWindow,
} from '@riffle/datastream';
import type { JobClient } from '@riffle/runtime';
import { DEAD_LETTERS, ParseBid, hourPartition, type DeadLetter, type EnrichedBid } from './etl-bids.js';

/** One row of the warehouse table `bid_stats`: bids per channel group and 10 s window. */
export interface BidStats {
  readonly window_start: Date;
  readonly channel_group: string;
  readonly bids: number;
  readonly volume: number;
  readonly max_price: number;
}

export const WAREHOUSE_FILE = 'warehouse.duckdb';
export const BIDS_DIR = 'bids';

/** Buckets bids by the hour of their event time: `dt=YYYY-MM-DD/hour=HH`. */
const byEventHour: BucketAssigner<EnrichedBid> = { getBucketId: (b) => hourPartition(b.ts) };

class Summarize extends ProcessWindowFunction<EnrichedBid, BidStats, string, TimeWindow> {
  process(group: string, ctx: ProcessWindowContext<TimeWindow>, bids: Iterable<EnrichedBid>, out: Collector<BidStats>): void {
    let n = 0;
    let volume = 0;
    let max = 0;
    for (const b of bids) {
      n++;
      volume += b.price;
      if (b.price > max) max = b.price;
    }
    out.collect({ window_start: new Date(ctx.window().start), channel_group: group, bids: n, volume: Math.round(volume * 100) / 100, max_price: max });
  }
}

/**
 * Checkpoints every second, and the output of an earlier run removed (on the client only: a
 * worker rebuilding the graph must not touch anything).
 */
export function prepareOutput(env: StreamExecutionEnvironment, out: string): void {
  env.enableCheckpointing(1000);
  env.getCheckpointConfig().setCheckpointStorage(join(out, 'checkpoints'));
  if (!isMainThread) return;
  for (const name of [WAREHOUSE_FILE, `${WAREHOUSE_FILE}.wal`, `${WAREHOUSE_FILE}.riffle-staging`, BIDS_DIR, 'dead-letters', 'checkpoints']) {
    rmSync(join(out, name), { recursive: true, force: true });
  }
}

/**
 * The pipeline after the raw lines: parse → enrich → Parquet (hourly) and 10 s windows → DuckDB;
 * dead letters go to JSON lines in `<out>/dead-letters`.
 */
export function buildWarehousePipeline(lines: DataStream<string>, out: string): void {
  const parsed = lines.process(new ParseBid()).name('Parse + Enrich').uid('parse');
  const bids = parsed.assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<EnrichedBid>(4000).withTimestampAssigner((b) => b.ts));
  bids
    .sinkTo(
      FileSink.forBulkFormat(
        join(out, BIDS_DIR),
        ParquetWriters.forRows<EnrichedBid>({
          auction: 'int64',
          bidder: 'int64',
          price: 'double',
          channel: 'string',
          channelGroup: 'string',
          ts: 'timestamp-millis',
        }),
      )
        .withBucketAssigner(byEventHour)
        .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix('.parquet').build())
        .build(),
    )
    .name('Parquet Files')
    .uid('parquet');
  bids
    .keyBy((b) => b.channelGroup)
    .window(TumblingEventTimeWindows.of(Time.seconds(10)))
    .process(new Summarize())
    .name('10 s Stats')
    .uid('stats')
    .sinkTo(
      DuckDbSink.builder<BidStats>()
        .setDatabase(join(out, WAREHOUSE_FILE))
        .setTable('bid_stats')
        .setColumns([
          { name: 'window_start', type: 'TIMESTAMP' },
          { name: 'channel_group', type: 'VARCHAR' },
          { name: 'bids', type: 'BIGINT' },
          { name: 'volume', type: 'DOUBLE' },
          { name: 'max_price', type: 'DOUBLE' },
        ])
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .build(),
    )
    .name('Warehouse')
    .uid('warehouse');
  parsed
    .getSideOutput(DEAD_LETTERS)
    .sinkTo(FileSink.forRowFormat<DeadLetter>(join(out, 'dead-letters'), new JsonLinesEncoder<DeadLetter>()).build())
    .name('Dead Letters')
    .uid('dead-letters');
}

/** Finished Parquet files under `<out>/bids` (hidden in-progress files excluded). */
export function parquetFiles(out: string): string[] {
  const dir = join(out, BIDS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.parquet') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name));
}

/** Prints a progress line every second until the returned function is called. */
export function watchProgress(client: JobClient, out: string, started: number): () => void {
  const timer = setInterval(() => {
    void client.getCheckpointStats().then((stats) => {
      const done = stats.filter((s) => s.status === 'COMPLETED');
      const last = done.at(-1);
      process.stderr.write(
        `  ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s  checkpoints completed: ${done.length}` +
          (last ? ` (last: ${(last.sizeBytes / 1024).toFixed(0)} KiB in ${last.durationMs} ms)` : '') +
          `  Parquet files finished: ${parquetFiles(out).length}\n`,
      );
    });
  }, 1000);
  return () => clearInterval(timer);
}

/** Prints what the job wrote and a sample query on the warehouse. */
export async function reportResults(out: string, started: number): Promise<void> {
  const db = join(out, WAREHOUSE_FILE);
  const files = parquetFiles(out);
  const [stats] = await queryDuckDb(db, 'SELECT count(*) AS n, sum(bids) AS bids FROM bid_stats');
  const [bids] = await queryDuckDb(db, `SELECT count(*) AS n FROM read_parquet('${join(out, BIDS_DIR).replaceAll("'", "''")}/**/*.parquet')`);
  const top = await queryDuckDb(
    db,
    `SELECT channel_group, sum(bids) AS bids, round(sum(volume), 2) AS volume, max(max_price) AS max_price
     FROM bid_stats GROUP BY channel_group ORDER BY volume DESC`,
  );
  const w = (s: string) => process.stdout.write(`${s}\n`);
  w('');
  w(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Output in ${out}`);
  w(`  warehouse ${db}: table bid_stats, ${stats!.n} rows (windows) covering ${stats!.bids} bids`);
  w(`  Parquet: ${files.length} files under ${join(out, BIDS_DIR)}, ${bids!.n} bids (read back with DuckDB's read_parquet)`);
  w('');
  w('SELECT channel_group, sum(bids), round(sum(volume), 2), max(max_price) FROM bid_stats GROUP BY 1 ORDER BY 3 DESC:');
  for (const r of top) w(`  ${String(r.channel_group).padEnd(10)} ${String(r.bids).padStart(9)} bids  $${String(r.volume).padStart(16)}  max $${r.max_price}`);
}

/** Submits the job, prints progress every second while it runs, then the results. */
export async function runWithProgress(env: StreamExecutionEnvironment, out: string, jobName: string): Promise<void> {
  const started = Date.now();
  const client = await env.executeAsync(jobName);
  const stop = watchProgress(client, out, started);
  try {
    await client.getJobExecutionResult();
  } finally {
    stop();
  }
  await reportResults(out, started);
}
