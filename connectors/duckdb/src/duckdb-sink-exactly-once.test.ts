import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryGuarantee } from '@riffle/core';
import { DuckDbSink } from './duckdb-sink.js';
import type { DuckDbCommittable, DuckDbWriterState } from './duckdb-committable.js';
import { NO_CONTEXT, TestingCommitRequest, initContext, query, tempDir } from './test-support.js';

interface Row {
  id: number;
  name: string;
  amount: number;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup(mode: 'append' | 'upsert' = 'append') {
  const t = tempDir('riffle-duckdb-eo-');
  cleanups.push(t.cleanup);
  const database = join(t.dir, 'warehouse.duckdb');
  const sink = DuckDbSink.builder<Row>()
    .setDatabase(database)
    .setTable('orders')
    .setColumns([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DOUBLE' },
    ])
    .setPrimaryKey(['id'])
    .setWriteMode(mode)
    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
    .build();
  return { database, sink, staging: `${database}.riffle-staging` };
}

const row = (id: number): Row => ({ id, name: `n${id}`, amount: id * 1.5 });

/** Serializes through the sink's serializers, as a checkpoint would. */
function roundTrip(sink: DuckDbSink<Row>, committables: DuckDbCommittable[], states: DuckDbWriterState[]) {
  const cs = sink.getCommittableSerializer();
  const ss = sink.getWriterStateSerializer();
  return {
    committables: committables.map((c) => cs.deserialize(cs.getVersion(), cs.serialize(c))),
    states: states.map((s) => ss.deserialize(ss.getVersion(), ss.serialize(s))),
  };
}

async function commit(sink: DuckDbSink<Row>, committables: DuckDbCommittable[]) {
  const committer = sink.createCommitter();
  const requests = committables.map((c) => new TestingCommitRequest(c));
  try {
    await committer.commit(requests);
  } finally {
    await committer.close();
  }
  for (const r of requests) if (r.outcome === 'unknown-failure') throw r.error;
  return requests.map((r) => r.outcome);
}

describe('DuckDbSink EXACTLY_ONCE through the Sink V2 contract', () => {
  it('makes a checkpoint visible only at commit, and a replayed commit after restart adds no duplicates', async () => {
    const { database, sink, staging } = setup();
    const writer = await sink.createWriter(initContext(0, 1));
    for (let i = 0; i < 1000; i++) writer.write(row(i), NO_CONTEXT);
    await writer.flush(false);
    const prepared = await writer.prepareCommit();
    const states = writer.snapshotState(1);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.rowCount).toBe(1000);
    // Staged durably, nothing visible yet.
    expect(existsSync(prepared[0]!.stagingPath)).toBe(true);
    expect(existsSync(database)).toBe(false);

    // Rows after the checkpoint belong to the next one; the writer "crashes" before it.
    for (let i = 1000; i < 1100; i++) writer.write(row(i), NO_CONTEXT);
    await writer.close();

    const checkpoint = roundTrip(sink, prepared, states);
    expect(await commit(sink, checkpoint.committables)).toEqual(['committed']);
    expect(readdirSync(staging)).toEqual([]);

    // Restart from the checkpoint: the runtime replays the commit.
    const restored = await sink.restoreWriter(initContext(0, 1), checkpoint.states);
    expect(await commit(sink, checkpoint.committables)).toEqual(['already-committed']);
    for (let i = 1000; i < 1100; i++) restored.write(row(i), NO_CONTEXT);
    await restored.flush(true);
    const last = await restored.prepareCommit();
    expect(last[0]!.sequence).toBe(1);
    await commit(sink, last);
    await restored.close();

    const [stats] = await query(database, 'SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS d, sum(amount) AS s FROM orders');
    expect(stats).toEqual({ n: 1100, d: 1100, s: (1.5 * 1099 * 1100) / 2 });
    const markers = await query(database, 'SELECT job_id, subtask_id, checkpoint_sequence, row_count FROM _riffle_sink_commits ORDER BY checkpoint_sequence');
    expect(markers).toEqual([
      { job_id: 'job-1', subtask_id: 0, checkpoint_sequence: 0n, row_count: 1000n },
      { job_id: 'job-1', subtask_id: 0, checkpoint_sequence: 1n, row_count: 100n },
    ]);
  });

  it('close() during a pre-commit or a commit waits for it: the checkpoint stays whole and committable (closing mid-query deadlocks DuckDB)', async () => {
    const { database, sink } = setup();
    const writer = await sink.createWriter(initContext(0, 1));
    for (let i = 0; i < 5000; i++) writer.write(row(i), NO_CONTEXT);
    const order: string[] = [];
    // Not awaited: the task is cancelled while the checkpoint is being staged.
    const staged = writer.prepareCommit().then((c) => (order.push('prepareCommit'), c));
    await writer.close().then(() => order.push('close'));
    expect(order).toEqual(['prepareCommit', 'close']);
    const committables = await staged;
    expect(committables.map((c) => c.rowCount)).toEqual([5000]);

    const committer = sink.createCommitter();
    const request = new TestingCommitRequest(committables[0]!);
    const committing = committer.commit([request]).then(() => order.push('commit'));
    await committer.close().then(() => order.push('committer closed'));
    await committing;
    expect(order.slice(2)).toEqual(['commit', 'committer closed']);
    expect(request.outcome).toBe('committed');
    expect(await query(database, 'SELECT count(*)::INTEGER AS n FROM orders')).toEqual([{ n: 5000 }]);
  });

  it('commits the checkpoints of three subtasks from one restored subtask after rescaling to one', async () => {
    const { database, sink } = setup();
    const committables: DuckDbCommittable[] = [];
    const states: DuckDbWriterState[] = [];
    for (let s = 0; s < 3; s++) {
      const w = await sink.createWriter(initContext(s, 3));
      for (let i = s; i < 3000; i += 3) w.write(row(i), NO_CONTEXT);
      await w.flush(false);
      committables.push(...(await w.prepareCommit()));
      states.push(...w.snapshotState(7));
      await w.close();
    }
    const checkpoint = roundTrip(sink, committables, states);
    // The checkpoint completed and subtask 1 committed its own before the failure.
    await commit(sink, [checkpoint.committables[1]!]);

    // Restored at parallelism 1: the one subtask gets all states and re-commits all committables.
    const w = await sink.restoreWriter(initContext(0, 1), checkpoint.states);
    expect(await commit(sink, checkpoint.committables)).toEqual(['committed', 'already-committed', 'committed']);
    for (let i = 3000; i < 3010; i++) w.write(row(i), NO_CONTEXT);
    await w.flush(true);
    await commit(sink, await w.prepareCommit());
    await w.close();

    const [stats] = await query(database, 'SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS d, min(id)::INT AS lo, max(id)::INT AS hi FROM orders');
    expect(stats).toEqual({ n: 3010, d: 3010, lo: 0, hi: 3009 });
  });

  it('fails a commit whose staging file vanished without a commit marker, naming the file', async () => {
    const { sink } = setup();
    const w = await sink.createWriter(initContext(0, 1));
    w.write(row(1), NO_CONTEXT);
    await w.flush(false);
    const [c] = await w.prepareCommit();
    await w.close();
    const committer = sink.createCommitter();
    const request = new TestingCommitRequest({ ...c!, stagingPath: `${c!.stagingPath}.gone` });
    await committer.commit([request]);
    await committer.close();
    expect(request.outcome).toBe('unknown-failure');
    expect(request.error?.message).toMatch(/staging file .*\.gone .* is missing and was never committed/);
  });

  it('upserts: the table holds the last value per key across checkpoints and within one', async () => {
    const { database, sink } = setup('upsert');
    const w = await sink.createWriter(initContext(0, 1));
    const expected = new Map<number, Row>();
    let n = 0;
    for (let cp = 0; cp < 3; cp++) {
      for (let i = 0; i < 2000; i++) {
        const r = { id: (i * 7 + cp) % 500, name: `v${n}`, amount: n++ };
        w.write(r, NO_CONTEXT);
        expected.set(r.id, r);
      }
      await w.flush(cp === 2);
      await commit(sink, await w.prepareCommit());
    }
    await w.close();
    const rows = await query(database, 'SELECT id::INT AS id, name, amount FROM orders ORDER BY id');
    expect(rows).toEqual([...expected.values()].sort((a, b) => a.id - b.id));
  });
});
