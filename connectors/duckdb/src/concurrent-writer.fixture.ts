// Test fixture run in a worker thread by database-lock.test.ts: one subtask of a sink writing
// through (AT_LEAST_ONCE) and one staging + committing (EXACTLY_ONCE) into the same database file.
import { parentPort, workerData } from 'node:worker_threads';
import { DeliveryGuarantee } from '@riffle/core';
import { DuckDbSink } from './duckdb-sink.js';
import { NO_CONTEXT, TestingCommitRequest, initContext } from './test-support.js';

const { database, subtask, parallelism, rows, batches } = workerData as { database: string; subtask: number; parallelism: number; rows: number; batches: number };
const columns = [
  { name: 'id', type: 'BIGINT' as const },
  { name: 'subtask', type: 'INTEGER' as const },
];
const direct = DuckDbSink.builder<{ id: number; subtask: number }>().setDatabase(database).setTable('direct').setColumns(columns).build();
const staged = DuckDbSink.builder<{ id: number; subtask: number }>()
  .setDatabase(database)
  .setTable('staged')
  .setColumns(columns)
  .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
  .build();

const a = await direct.createWriter(initContext(subtask, parallelism));
const b = await staged.createWriter(initContext(subtask, parallelism));
const committer = staged.createCommitter();
let id = subtask;
for (let batch = 0; batch < batches; batch++) {
  for (let i = 0; i < rows; i++, id += parallelism) {
    a.write({ id, subtask }, NO_CONTEXT);
    b.write({ id, subtask }, NO_CONTEXT);
  }
  const last = batch === batches - 1;
  await a.flush(last);
  await b.flush(last);
  const requests = (await b.prepareCommit()).map((c) => new TestingCommitRequest(c));
  await committer.commit(requests);
  for (const r of requests) if (r.outcome !== 'committed') throw r.error ?? new Error(r.outcome);
}
await a.close();
await b.close();
await committer.close();
parentPort!.postMessage('done');
