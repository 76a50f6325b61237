import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import { checkMagic, writeMagic } from '../snapshot/magic.js';

/**
 * How an operator state is redistributed when a job restores (Flink's
 * `OperatorStateHandle.Mode`): split evenly (`getListState`), given whole to every subtask
 * (`getUnionListState`), or broadcast (`getBroadcastState`; every subtask holds the same copy).
 */
export const OperatorStateDistributionMode = {
  SPLIT_DISTRIBUTE: 'SPLIT_DISTRIBUTE',
  UNION: 'UNION',
  BROADCAST: 'BROADCAST',
} as const;
/** See {@link OperatorStateDistributionMode}. */
export type OperatorStateDistributionMode = (typeof OperatorStateDistributionMode)[keyof typeof OperatorStateDistributionMode];

/**
 * An operator state backend's snapshot (one subtask): plain data, structured-cloneable. Each
 * list element (or broadcast entry) is serialized on its own, so redistribution can move
 * elements between subtasks without deserializing them.
 */
export interface OperatorStateSnapshot {
  readonly states: readonly OperatorStateEntrySnapshot[];
}

/** One operator state in a snapshot. */
export interface OperatorStateEntrySnapshot {
  readonly name: string;
  readonly mode: OperatorStateDistributionMode;
  /** List state: `[elementSerializerId]`; broadcast state: `[keySerializerId, valueSerializerId]`. */
  readonly serializerIds: readonly string[];
  /** List state: one per element, in list order; broadcast state: one per entry (key, then value). */
  readonly elements: readonly Uint8Array[];
}

/** Magic of a serialized {@link OperatorStateSnapshot}: `RSOP`. */
export const OPERATOR_STATE_SNAPSHOT_MAGIC = 'RSOP';
/** Current version of the serialized {@link OperatorStateSnapshot} format. */
export const OPERATOR_STATE_SNAPSHOT_VERSION = 1;

const MODE_CODES: Record<OperatorStateDistributionMode, number> = { SPLIT_DISTRIBUTE: 1, UNION: 2, BROADCAST: 3 };
const MODES_BY_CODE: readonly (OperatorStateDistributionMode | undefined)[] = [undefined, 'SPLIT_DISTRIBUTE', 'UNION', 'BROADCAST'];

/**
 * Serializer of {@link OperatorStateSnapshot}s, for checkpoint storage. Format, version 1:
 *
 *   'R' 'S' 'O' 'P'  u8 version  varuint stateCount
 *   per state: string name, u8 mode (1 split, 2 union, 3 broadcast),
 *              varuint idCount, idCount × string serializerId,
 *              varuint elementCount, elementCount × (varuint length, bytes)
 */
export class OperatorStateSnapshotSerializer implements SimpleVersionedSerializer<OperatorStateSnapshot> {
  getVersion(): number {
    return OPERATOR_STATE_SNAPSHOT_VERSION;
  }

  serialize(snapshot: OperatorStateSnapshot): Uint8Array {
    const out = new DataOutputSerializer(256);
    writeMagic(out, OPERATOR_STATE_SNAPSHOT_MAGIC);
    out.writeUint8(OPERATOR_STATE_SNAPSHOT_VERSION);
    out.writeVarUint(snapshot.states.length);
    for (const state of snapshot.states) {
      out.writeString(state.name);
      out.writeUint8(MODE_CODES[state.mode]);
      out.writeVarUint(state.serializerIds.length);
      for (const id of state.serializerIds) out.writeString(id);
      out.writeVarUint(state.elements.length);
      for (const element of state.elements) out.writeBytes(element);
    }
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): OperatorStateSnapshot {
    if (version !== 1) throw new Error(`unsupported operator state snapshot version ${version} (this build reads version 1)`);
    const input = new DataInputDeserializer(bytes);
    checkMagic(input, OPERATOR_STATE_SNAPSHOT_MAGIC, 'operator state snapshot');
    const stored = input.readUint8();
    if (stored !== 1) throw new Error(`unsupported operator state snapshot version ${stored} in the header (this build reads version 1)`);
    const states: OperatorStateEntrySnapshot[] = [];
    for (let n = input.readVarUint(); n > 0; n--) {
      const name = input.readString();
      const code = input.readUint8();
      const mode = MODES_BY_CODE[code];
      if (mode === undefined) throw new Error(`operator state snapshot: state '${name}' has unknown distribution mode ${code}`);
      const serializerIds: string[] = [];
      for (let i = input.readVarUint(); i > 0; i--) serializerIds.push(input.readString());
      const elements: Uint8Array[] = [];
      for (let i = input.readVarUint(); i > 0; i--) elements.push(input.readBytes());
      states.push({ name, mode, serializerIds, elements });
    }
    if (input.remaining() !== 0) throw new Error(`operator state snapshot: ${input.remaining()} trailing bytes`);
    return { states };
  }
}

/** The shared {@link OperatorStateSnapshotSerializer}. */
export const OPERATOR_STATE_SNAPSHOT_SERIALIZER: SimpleVersionedSerializer<OperatorStateSnapshot> = new OperatorStateSnapshotSerializer();
