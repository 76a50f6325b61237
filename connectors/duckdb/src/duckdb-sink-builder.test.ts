import { describe, expect, it } from 'vitest';
import { DeliveryGuarantee } from '@riffle/core';
import { DuckDbSink } from './duckdb-sink.js';
import type { DuckDbColumnType } from './column-types.js';

const base = () => DuckDbSink.builder<{ id: number }>().setDatabase('/tmp/x.duckdb').setTable('t');

describe('DuckDbSink.builder validation', () => {
  it('applies defaults', () => {
    const o = base().build().options;
    expect(o).toMatchObject({ writeMode: 'append', deliveryGuarantee: DeliveryGuarantee.AT_LEAST_ONCE, batchSize: 10_000, stagingDirectory: '/tmp/x.duckdb.riffle-staging', primaryKey: [] });
    expect(o.columns).toBeUndefined();
  });

  it('names the bad option', () => {
    expect(() => DuckDbSink.builder().setTable('t').build()).toThrow(/invalid option database/);
    expect(() => DuckDbSink.builder().setDatabase(':memory:').setTable('t').build()).toThrow(/invalid option database: an in-memory/);
    expect(() => DuckDbSink.builder().setDatabase('/x').build()).toThrow(/invalid option table/);
    expect(() => base().setTable('a.b.c').build()).toThrow(/invalid option table/);
    expect(() => base().setBatchSize(0).build()).toThrow(/invalid option batchSize: expected a positive integer, got 0/);
    expect(() => base().setBatchSize(1.5).build()).toThrow(/invalid option batchSize/);
    expect(() => base().setWriteMode('merge' as 'append').build()).toThrow(/invalid option writeMode/);
    expect(() => base().setWriteMode('upsert').build()).toThrow(/invalid option primaryKey: upsert mode needs a primary key/);
    expect(() => base().setDeliveryGuarantee('ONCE' as DeliveryGuarantee).build()).toThrow(/invalid option deliveryGuarantee/);
    expect(() => base().setColumns([]).build()).toThrow(/invalid option columns/);
    expect(() => base().setColumns([{ name: 'id', type: 'INT128' as DuckDbColumnType }]).build()).toThrow(/invalid option columns: column "id" has type INT128/);
    expect(() =>
      base()
        .setColumns([
          { name: 'id', type: 'BIGINT' },
          { name: 'id', type: 'DOUBLE' },
        ])
        .build(),
    ).toThrow(/column "id" appears twice/);
    expect(() => base().setColumns([{ name: 'id', type: 'BIGINT' }]).setPrimaryKey(['key']).build()).toThrow(/invalid option primaryKey: "key" is not one of the columns/);
  });
});
