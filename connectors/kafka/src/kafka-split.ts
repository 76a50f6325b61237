import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer, type SourceSplit } from '@riffle/core';
import { partitionKey, type TopicPartition } from './kafka-client.js';

/** The stopping offset of a split of an unbounded source. */
export const NO_STOPPING_OFFSET = -1;

/**
 * A topic-partition with the next offset to read and, for bounded sources, the offset to stop
 * at (exclusive: the record at `stoppingOffset` is not read). `splitId` is `topic-partition`.
 * A reader's snapshot has `startingOffset` advanced to the next record it will emit.
 */
export interface KafkaPartitionSplit extends SourceSplit, TopicPartition {
  readonly startingOffset: number;
  /** {@link NO_STOPPING_OFFSET} when unbounded. */
  readonly stoppingOffset: number;
}

/** Builds a split with its id. */
export function kafkaPartitionSplit(topic: string, partition: number, startingOffset: number, stoppingOffset: number = NO_STOPPING_OFFSET): KafkaPartitionSplit {
  return { splitId: partitionKey(topic, partition), topic, partition, startingOffset, stoppingOffset };
}

/**
 * Version 1 of a {@link KafkaPartitionSplit}: topic (string), partition (varuint), startingOffset
 * (varuint), stoppingOffset + 1 (varuint; 0 = unbounded). Persisted in checkpoints: never change
 * a version's layout, add one.
 */
export class KafkaPartitionSplitSerializer implements SimpleVersionedSerializer<KafkaPartitionSplit> {
  static readonly VERSION = 1;

  getVersion(): number {
    return KafkaPartitionSplitSerializer.VERSION;
  }

  serialize(split: KafkaPartitionSplit): Uint8Array {
    const out = new DataOutputSerializer(32 + split.topic.length);
    writeSplit(out, split);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): KafkaPartitionSplit {
    checkVersion('KafkaPartitionSplitSerializer', version);
    return readSplit(new DataInputDeserializer(bytes));
  }
}

function writeSplit(out: DataOutputSerializer, split: KafkaPartitionSplit): void {
  out.writeString(split.topic);
  out.writeVarUint(split.partition);
  out.writeVarUint(split.startingOffset);
  out.writeVarUint(split.stoppingOffset + 1);
}

function readSplit(input: DataInputDeserializer): KafkaPartitionSplit {
  const topic = input.readString();
  const partition = input.readVarUint();
  const startingOffset = input.readVarUint();
  const stoppingOffset = input.readVarUint() - 1;
  return kafkaPartitionSplit(topic, partition, startingOffset, stoppingOffset);
}

function checkVersion(who: string, version: number): void {
  if (version !== 1) throw new Error(`${who}: unknown version ${version} (this build reads version 1)`);
}

/**
 * The enumerator's checkpoint: the partitions already assigned to readers (their progress lives
 * in the readers' state), the splits discovered but not yet assigned, and whether the first
 * discovery finished.
 */
export interface KafkaSourceEnumState {
  readonly assignedPartitions: readonly TopicPartition[];
  readonly pendingSplits: readonly KafkaPartitionSplit[];
  readonly initialDiscoveryFinished: boolean;
}

/**
 * Version 1 of a {@link KafkaSourceEnumState}: count (varuint) then per assigned partition topic
 * (string) and partition (varuint); count then the pending splits in the split layout; a uint8 flag.
 */
export class KafkaSourceEnumStateSerializer implements SimpleVersionedSerializer<KafkaSourceEnumState> {
  static readonly VERSION = 1;

  getVersion(): number {
    return KafkaSourceEnumStateSerializer.VERSION;
  }

  serialize(state: KafkaSourceEnumState): Uint8Array {
    const out = new DataOutputSerializer(64);
    out.writeVarUint(state.assignedPartitions.length);
    for (const p of state.assignedPartitions) {
      out.writeString(p.topic);
      out.writeVarUint(p.partition);
    }
    out.writeVarUint(state.pendingSplits.length);
    for (const s of state.pendingSplits) writeSplit(out, s);
    out.writeUint8(state.initialDiscoveryFinished ? 1 : 0);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): KafkaSourceEnumState {
    checkVersion('KafkaSourceEnumStateSerializer', version);
    const input = new DataInputDeserializer(bytes);
    const assignedPartitions: TopicPartition[] = [];
    for (let n = input.readVarUint(); n > 0; n--) assignedPartitions.push({ topic: input.readString(), partition: input.readVarUint() });
    const pendingSplits: KafkaPartitionSplit[] = [];
    for (let n = input.readVarUint(); n > 0; n--) pendingSplits.push(readSplit(input));
    const flag = input.readUint8();
    if (flag > 1) throw new Error(`KafkaSourceEnumStateSerializer: corrupt state (flag ${flag})`);
    return { assignedPartitions, pendingSplits, initialDiscoveryFinished: flag === 1 };
  }
}
