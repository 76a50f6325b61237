import { describe, expect, it } from 'vitest';
import { KafkaPartitionSplitSerializer, KafkaSourceEnumStateSerializer, NO_STOPPING_OFFSET, kafkaPartitionSplit } from './kafka-split.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Kafka split and enumerator-state serializers', () => {
  const splits = new KafkaPartitionSplitSerializer();
  const states = new KafkaSourceEnumStateSerializer();

  it('writes version 1 splits in the golden layout and reads them back', () => {
    const bounded = kafkaPartitionSplit('orders', 3, 300, 1000);
    const unbounded = kafkaPartitionSplit('orders', 0, 0);
    expect(splits.getVersion()).toBe(1);
    // topic "orders", partition 3, start 300 (varuint ac02), stop+1 = 1001 (e907)
    expect(hex(splits.serialize(bounded))).toBe('066f7264657273' + '03' + 'ac02' + 'e907');
    expect(hex(splits.serialize(unbounded))).toBe('066f7264657273' + '00' + '00' + '00');
    expect(splits.deserialize(1, Buffer.from('066f726465727303ac02e907', 'hex'))).toEqual(bounded);
    const back = splits.deserialize(1, splits.serialize(unbounded));
    expect(back).toEqual(unbounded);
    expect(back.stoppingOffset).toBe(NO_STOPPING_OFFSET);
    expect(back.splitId).toBe('orders-0');
  });

  it('writes version 1 enumerator state in the golden layout and reads it back', () => {
    const state = {
      assignedPartitions: [{ topic: 'a', partition: 1 }],
      pendingSplits: [kafkaPartitionSplit('b', 2, 5, 9)],
      initialDiscoveryFinished: true,
    };
    const golden = '01' + '0161' + '01' + '01' + '0162' + '02' + '05' + '0a' + '01';
    expect(hex(states.serialize(state))).toBe(golden);
    expect(states.deserialize(1, Buffer.from(golden, 'hex'))).toEqual(state);
  });

  it('rejects unknown versions naming the serializer', () => {
    expect(() => splits.deserialize(2, new Uint8Array())).toThrow(/KafkaPartitionSplitSerializer: unknown version 2/);
    expect(() => states.deserialize(7, new Uint8Array())).toThrow(/KafkaSourceEnumStateSerializer: unknown version 7/);
  });
});
