import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DeliveryGuarantee } from '@riffle/core';
import { DuckDbSink } from './duckdb-sink.js';
import { NO_CONTEXT, TestingCommitRequest, initContext, query, tempDir } from './test-support.js';

interface Row {
  id: unknown;
  name: unknown;
  amount: unknown;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function sink(guarantee: DeliveryGuarantee, deadLetter?: string) {
  const t = tempDir('riffle-duckdb-bad-');
  cleanups.push(t.cleanup);
  const database = join(t.dir, 'w.duckdb');
  let b = DuckDbSink.builder<Row>()
    .setDatabase(database)
    .setTable('orders')
    .setColumns([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DOUBLE' },
    ])
    .setPrimaryKey(['id'])
    .setDeliveryGuarantee(guarantee);
  if (deadLetter) b = b.setDeadLetterTable(deadLetter);
  return { database, sink: b.build() };
}

describe('DuckDbSink with records that do not fit the columns', () => {
  it('fails by default, naming table, subtask, field, value and the problem', async () => {
    const { sink: s } = sink(DeliveryGuarantee.AT_LEAST_ONCE);
    const w = await s.createWriter(initContext(1, 2));
    w.write({ id: 1, name: 'a', amount: 2 }, NO_CONTEXT);
    expect(() => w.write({ id: 2, name: 'b', amount: 'abc' }, NO_CONTEXT)).toThrow(
      'DuckDbSink (table "orders", subtask 1): bad record: field "amount" = "abc" (string) does not fit column type DOUBLE',
    );
    expect(() => w.write({ id: 2.5, name: 'b', amount: 1 }, NO_CONTEXT)).toThrow(/field "id" = 2.5 \(number\) does not fit column type BIGINT/);
    expect(() => w.write({ id: null, name: 'b', amount: 1 }, NO_CONTEXT)).toThrow(/field "id" = null \(null\) is null but part of the primary key/);
    expect(() => w.write({ id: 3, name: { nested: true }, amount: 1 }, NO_CONTEXT)).toThrow(/field "name" = \[object Object\] \(object\) does not fit column type VARCHAR/);
    await w.close();
  });

  for (const guarantee of [DeliveryGuarantee.EXACTLY_ONCE, DeliveryGuarantee.AT_LEAST_ONCE]) {
    it(`routes bad records to the dead-letter table with the error, and counts them (${guarantee})`, async () => {
      const { database, sink: s } = sink(guarantee, 'orders_rejected');
      const w = await s.createWriter(initContext(0, 1));
      for (let i = 0; i < 100; i++) {
        w.write(i % 25 === 3 ? { id: i, name: `n${i}`, amount: `bad-${i}` } : { id: i, name: `n${i}`, amount: i / 2 }, NO_CONTEXT);
      }
      w.write({ id: undefined, name: 'no key', amount: 1 }, NO_CONTEXT);
      await w.flush(true);
      const requests = (await w.prepareCommit()).map((c) => new TestingCommitRequest(c));
      const committer = s.createCommitter();
      await committer.commit(requests);
      await committer.close();
      expect(requests.map((r) => r.outcome)).toEqual(guarantee === DeliveryGuarantee.EXACTLY_ONCE ? ['committed'] : []);
      expect(w.rejectedRecords).toBe(5);
      await w.close();

      const [good] = await query(database, 'SELECT count(*)::INT AS n, count(*) FILTER (WHERE id % 25 = 3)::INT AS bad FROM orders');
      expect(good).toEqual({ n: 96, bad: 0 });
      const rejected = await query(database, 'SELECT table_name, subtask_id, field, error, record FROM orders_rejected ORDER BY record');
      expect(rejected).toHaveLength(5);
      expect(rejected[0]).toEqual({
        table_name: 'orders',
        subtask_id: 0,
        field: 'amount',
        error: 'field "amount" = "bad-28" (string) does not fit column type DOUBLE',
        record: '{"id":28,"name":"n28","amount":"bad-28"}',
      });
      expect(rejected.map((r) => r.field).sort()).toEqual(['amount', 'amount', 'amount', 'amount', 'id']);
      if (guarantee === DeliveryGuarantee.EXACTLY_ONCE) {
        const [marker] = await query(database, 'SELECT row_count::INT AS r, rejected_count::INT AS x FROM _riffle_sink_commits');
        expect(marker).toEqual({ r: 96, x: 5 });
      }
    });
  }
});
