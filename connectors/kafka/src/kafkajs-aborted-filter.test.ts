import { describe, expect, it } from 'vitest';
import { abortedFilterInstalled, filterAbortedMessages } from './kafkajs-aborted-filter.js';
import './kafkajs-client.js';

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
const rec = (offset: number, producerId: string, inTransaction = true) => ({ offset: String(offset), key: null, batchContext: { producerId, inTransaction } });
const marker = (offset: number, producerId: string, key: Buffer) => ({ offset: String(offset), key, batchContext: { producerId, inTransaction: true, isControlBatch: true } });

describe('read_committed filter for kafkajs', () => {
  it('drops every aborted transaction, even when several begin before a record and the broker lists them unsorted', () => {
    // Producers 7 and 8 write interleaved; both abort; producer 9 commits. The broker's list is not in offset order.
    const messages = [rec(0, '7'), rec(1, '8'), rec(2, '9'), rec(3, '7'), rec(4, '8'), marker(5, '7', ABORT), marker(6, '8', ABORT), rec(7, '9'), marker(8, '9', COMMIT), rec(9, '7'), rec(10, '5', false)];
    const kept = filterAbortedMessages({ messages, abortedTransactions: [{ producerId: '8', firstOffset: '1' }, { producerId: '7', firstOffset: '0' }] });
    expect(kept.filter((m) => !m.batchContext.isControlBatch).map((m) => Number(m.offset))).toEqual([2, 7, 9, 10]);
  });

  it('is the filter kafkajs uses', () => {
    expect(abortedFilterInstalled()).toBe(true);
  });
});
