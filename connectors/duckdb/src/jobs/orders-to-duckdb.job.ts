// Test and benchmark job: `--records` generated orders into the DuckDB table `orders` of `--database`.
import { DeliveryGuarantee } from '@riffle/core';
// Test/bench only (a devDependency): runs the sink in real jobs; library code imports only @riffle/core.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { DiscardingSink, defineJob } from '@riffle/datastream';
import { DuckDbSink } from '../duckdb-sink.js';
import type { DuckDbWriteMode } from '../duckdb-sink-options.js';

/** One generated order. */
export interface Order {
  id: number;
  customer: string;
  amount: number;
}

/** Writes orders 0 .. records-1 (id = n % `--keys` when given) into `orders` (`--guarantee`, `--mode`, `--batch-size`). */
export default defineJob((env, params) => {
  const records = params.getNumber('records', 1000);
  const keys = params.getNumber('keys', 0);
  const sink = DuckDbSink.builder<Order>()
    .setDatabase(params.getRequired('database'))
    .setTable('orders')
    .setColumns([
      { name: 'id', type: 'BIGINT' },
      { name: 'customer', type: 'VARCHAR' },
      { name: 'amount', type: 'DOUBLE' },
    ])
    .setPrimaryKey(['id'])
    .setWriteMode(params.get('mode', 'append') as DuckDbWriteMode)
    .setDeliveryGuarantee(params.get('guarantee', DeliveryGuarantee.EXACTLY_ONCE) as DeliveryGuarantee)
    .setBatchSize(params.getNumber('batch-size', 10_000))
    .build();
  const orders = env
    .fromSequence(0, records - 1)
    .map((n): Order => ({ id: keys > 0 ? n % keys : n, customer: `c${n % 97}`, amount: n / 4 }))
    .name('Orders');
  // `--sink discard` measures the pipeline without DuckDB (benchmark baseline).
  if (params.get('sink') === 'discard') orders.sinkTo(new DiscardingSink<Order>()).name('Discard');
  else orders.sinkTo(sink).name('DuckDB');
});
