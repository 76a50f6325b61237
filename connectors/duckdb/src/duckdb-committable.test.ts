import { describe, expect, it } from 'vitest';
import { DuckDbCommittableSerializer, DuckDbWriterStateSerializer } from './duckdb-committable.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const str = (s: string) => Buffer.from([s.length]).toString('hex') + Buffer.from(s).toString('hex');

describe('DuckDB committable and writer-state serializers', () => {
  it('writes version 1 committables in the golden layout and reads them back', () => {
    const s = new DuckDbCommittableSerializer();
    const c = { transactionId: 'tx', jobId: 'job', subtaskId: 2, sequence: 300, stagingPath: '/s/a.duckdb', rowCount: 5, rejectedCount: 1 };
    const golden = str('tx') + str('job') + '02' + 'ac02' + str('/s/a.duckdb') + '05' + '01';
    expect(s.getVersion()).toBe(1);
    expect(hex(s.serialize(c))).toBe(golden);
    expect(s.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(c);
  });

  it('writes version 1 writer states in the golden layout and reads them back', () => {
    const s = new DuckDbWriterStateSerializer();
    expect(hex(s.serialize({ subtaskId: 3, nextSequence: 128 }))).toBe('03' + '8001');
    expect(s.deserialize(1, Buffer.from('038001', 'hex'))).toEqual({ subtaskId: 3, nextSequence: 128 });
  });

  it('rejects unknown versions naming the serializer', () => {
    expect(() => new DuckDbCommittableSerializer().deserialize(2, new Uint8Array())).toThrow(/DuckDbCommittableSerializer: unknown version 2/);
    expect(() => new DuckDbWriterStateSerializer().deserialize(9, new Uint8Array())).toThrow(/DuckDbWriterStateSerializer: unknown version 9/);
  });
});
