/**
 * Real-time ETL into a warehouse, on embedded defaults (no servers): the README's first command.
 *
 *   seeded Nexmark bids, as JSON lines (what a Kafka topic would hold)
 *     → parse (bad lines to a dead-letter side output) → enrich (dollars, channel group)
 *     → hourly-partitioned Parquet files (`<out>/bids/dt=YYYY-MM-DD/hour=HH/*.parquet`)
 *     → 10 s event-time windows per channel group → a DuckDB table (`<out>/warehouse.duckdb`)
 *
 * Both sinks are exactly-once: checkpoints every second pre-commit at the barrier and commit when
 * the checkpoint completes. While it runs it prints progress (checkpoints, Parquet files); at the
 * end, the rows and files written and a SQL query on the warehouse, run through Riffle's own
 * DuckDB source. The same pipeline from a Kafka topic: `etl-kafka.job.ts`.
 *
 * Run it:
 *   npx riffle run apps/examples/src/etl.job.ts -p 2
 *   npx riffle run apps/examples/src/etl.job.ts -p 2 -- --events 5000000 --out /tmp/etl
 *
 * Parameters (after `--`):
 *   --events N           Nexmark events generated (default 1,000,000; about 92% are bids)
 *   --out DIR            output directory (default ./riffle-etl-out); the warehouse and Parquet
 *                        files of an earlier run there are replaced
 *   --malformed-every K  corrupt every K-th line, to show the dead-letter path (default 997; 0: none)
 */
import { resolve } from 'node:path';
import { NexmarkSource, type Bid, type NexmarkEvent } from '@riffle/connector-datagen';
import { defineJob, type DataStream } from '@riffle/datastream';
import { buildWarehousePipeline, prepareOutput, runWithProgress } from './etl-pipeline.js';
import { toBidLine } from './etl-bids.js';

export default defineJob(async (env, params) => {
  const events = params.getNumber('events', 1_000_000);
  const out = resolve(params.get('out', 'riffle-etl-out'));
  const every = params.getNumber('malformed-every', 997);
  prepareOutput(env, out);
  const source = new NexmarkSource({ generator: { maxEvents: events, seed: 42 } });
  const lines: DataStream<string> = env
    .fromSource(source, NexmarkSource.watermarkStrategy(), 'Nexmark Events')
    .uid('nexmark')
    .filter((e: NexmarkEvent) => e.kind === 'bid')
    .name('Bids')
    .map((e: NexmarkEvent) => {
      const line = toBidLine(e as Bid);
      // A few broken lines, as real producers write them, to show the dead-letter path.
      return every > 0 && (e as Bid).auction % every === 0 && (e as Bid).bidder % 7 === 0 ? line.slice(0, -9) : line;
    })
    .name('To JSON Lines');
  buildWarehousePipeline(lines, out);
  await runWithProgress(env, out, 'Riffle ETL demo');
});
