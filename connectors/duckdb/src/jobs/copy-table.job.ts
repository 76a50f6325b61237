// Test job: reads table `events` of `--source` with DuckDbSource and writes every row into table
// `events_copy` of `--target` with DuckDbSink (AT_LEAST_ONCE), at the job's parallelism.
import { WatermarkStrategy } from '@riffle/core';
// Test/bench only (a devDependency): runs the sink in real jobs; library code imports only @riffle/core.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { defineJob } from '@riffle/datastream';
import { DuckDbSink } from '../duckdb-sink.js';
import { DuckDbSource } from '../duckdb-source.js';

/** One row of the test table. */
export interface Event {
  id: bigint;
  kind: string | null;
  value: number;
  at: Date;
}

export default defineJob((env, params) => {
  const source = DuckDbSource.builder<Event>()
    .setDatabase(params.getRequired('source'))
    .setTable('events')
    .setNumSplits(params.getNumber('splits', 6))
    .build();
  const sink = DuckDbSink.builder<Event>()
    .setDatabase(params.getRequired('target'))
    .setTable('events_copy')
    .setColumns([
      { name: 'id', type: 'BIGINT' },
      { name: 'kind', type: 'VARCHAR' },
      { name: 'value', type: 'DOUBLE' },
      { name: 'at', type: 'TIMESTAMP' },
    ])
    .build();
  // Event time from the row (the runtime rejects records without a timestamp under noWatermarks()).
  const strategy = WatermarkStrategy.noWatermarks<Event>().withTimestampAssigner((e) => e.at.getTime());
  env.fromSource(source, strategy, 'DuckDB events').sinkTo(sink).name('DuckDB copy');
});
