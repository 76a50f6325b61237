import { describe, expect, it } from 'vitest';
import { KafkaCommittableSerializer, KafkaWriterStateSerializer } from './kafka-committable.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Kafka sink committable and writer-state serializers', () => {
  it('writes version 1 committables in the golden layout and reads them back', () => {
    const s = new KafkaCommittableSerializer();
    const c = { transactionalId: 'tx-1-7', producerId: 300, epoch: 2 };
    expect(s.getVersion()).toBe(1);
    // "tx-1-7" (len 6), producer id 300 (varuint ac02), epoch 2
    const golden = '06' + '74782d312d37' + 'ac02' + '02';
    expect(hex(s.serialize(c))).toBe(golden);
    expect(s.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(c);
  });

  it('writes version 1 writer state in the golden layout and reads it back', () => {
    const s = new KafkaWriterStateSerializer();
    const state = { transactionalIdPrefix: 'job', subtaskId: 3, transactionIndex: 129 };
    const golden = '03' + '6a6f62' + '03' + '8101';
    expect(hex(s.serialize(state))).toBe(golden);
    expect(s.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(state);
  });

  it('rejects unknown versions naming the serializer', () => {
    expect(() => new KafkaCommittableSerializer().deserialize(2, new Uint8Array())).toThrow(/KafkaCommittableSerializer: unknown version 2/);
    expect(() => new KafkaWriterStateSerializer().deserialize(0, new Uint8Array())).toThrow(/KafkaWriterStateSerializer: unknown version 0/);
  });
});
