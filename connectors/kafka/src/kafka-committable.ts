import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import type { TransactionHandle } from './kafka-producer-client.js';

/**
 * A pre-committed Kafka transaction: what the committer needs to commit it from any process
 * (transactional id, producer id and epoch). Handed from the writer's `prepareCommit` to the
 * committer and stored in the checkpoint.
 */
export type KafkaCommittable = TransactionHandle;

/**
 * The writer's checkpointed state: the transactional-id prefix, the subtask that wrote it and the
 * index of the first transaction it opened after the checkpoint (indices are consecutive per
 * subtask). On restore, the ids from that index on are initialised until one was never used,
 * which aborts whatever a previous attempt left open.
 */
export interface KafkaWriterState {
  readonly transactionalIdPrefix: string;
  readonly subtaskId: number;
  readonly transactionIndex: number;
}

function checkVersion(who: string, version: number): void {
  if (version !== 1) throw new Error(`${who}: unknown version ${version} (this build reads version 1)`);
}

/** Version 1: transactional id (string), producer id (varuint), epoch (varuint). */
export class KafkaCommittableSerializer implements SimpleVersionedSerializer<KafkaCommittable> {
  static readonly VERSION = 1;

  getVersion(): number {
    return KafkaCommittableSerializer.VERSION;
  }

  serialize(c: KafkaCommittable): Uint8Array {
    const out = new DataOutputSerializer(32);
    out.writeString(c.transactionalId);
    out.writeVarUint(c.producerId);
    out.writeVarUint(c.epoch);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): KafkaCommittable {
    checkVersion('KafkaCommittableSerializer', version);
    const input = new DataInputDeserializer(bytes);
    return { transactionalId: input.readString(), producerId: input.readVarUint(), epoch: input.readVarUint() };
  }
}

/** Version 1: prefix (string), subtask (varuint), transaction index (varuint). */
export class KafkaWriterStateSerializer implements SimpleVersionedSerializer<KafkaWriterState> {
  static readonly VERSION = 1;

  getVersion(): number {
    return KafkaWriterStateSerializer.VERSION;
  }

  serialize(s: KafkaWriterState): Uint8Array {
    const out = new DataOutputSerializer(32);
    out.writeString(s.transactionalIdPrefix);
    out.writeVarUint(s.subtaskId);
    out.writeVarUint(s.transactionIndex);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): KafkaWriterState {
    checkVersion('KafkaWriterStateSerializer', version);
    const input = new DataInputDeserializer(bytes);
    return { transactionalIdPrefix: input.readString(), subtaskId: input.readVarUint(), transactionIndex: input.readVarUint() };
  }
}

/** The transactional id of a subtask's `index`-th transaction: `prefix-subtask-index`. */
export function transactionalId(prefix: string, subtaskId: number, index: number): string {
  return `${prefix}-${subtaskId}-${index}`;
}
