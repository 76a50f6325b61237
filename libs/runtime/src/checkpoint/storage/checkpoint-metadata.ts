import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';

/**
 * What a state file holds: keyed state (a `KeyedStateSnapshot`), operator state (an
 * `OperatorStateSnapshot`), timers, a source reader's splits, or in-flight channel data.
 * The storage never looks inside; the kind tells the restoring task which deserializer to use.
 */
export type StateFileKind = 'keyed' | 'operator' | 'timers' | 'source' | 'channel';

/** All state file kinds, in their stable wire order (the code of a kind is its index + 1). */
export const STATE_FILE_KINDS: readonly StateFileKind[] = ['keyed', 'operator', 'timers', 'source', 'channel'];

/**
 * A durable state file of one subtask of one operator inside a checkpoint folder. Returned by
 * `CheckpointWriter.writeStateFile` once the file is complete and fsync'ed; plain data, so it
 * may be sent from a worker to the coordinator.
 */
export interface StateFileHandle {
  readonly operatorUid: string;
  readonly subtaskIndex: number;
  readonly kind: StateFileKind;
  /** Path relative to the checkpoint folder (no `..`, `/`-separated), so folders can be moved. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** Lowercase hex SHA-256 of the file's bytes (64 characters). */
  readonly checksum: string;
}

/** The state of one operator (identified by its uid) in a checkpoint. */
export interface OperatorCheckpointMetadata {
  readonly operatorUid: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /**
   * `subtaskStates[i]` lists the state files of subtask `i`; exactly `parallelism` entries
   * (an empty list for a subtask without state). Each handle's `operatorUid` and
   * `subtaskIndex` must match its place.
   */
  readonly subtaskStates: readonly (readonly StateFileHandle[])[];
}

/**
 * The `_metadata` of a completed checkpoint or savepoint: the single file that makes a
 * checkpoint exist. Written last, after every state file it references is durable.
 */
export interface CheckpointMetadata {
  readonly checkpointId: number;
  /** When the checkpoint was triggered, ms since the epoch. */
  readonly timestamp: number;
  readonly jobId: string;
  readonly isSavepoint: boolean;
  /** One entry per operator uid (no duplicates). */
  readonly operators: readonly OperatorCheckpointMetadata[];
  /** Opaque coordinator-side state by operator uid, e.g. a source enumerator's checkpoint. */
  readonly coordinatorState: ReadonlyMap<string, Uint8Array>;
}

/** Magic of a serialized {@link CheckpointMetadata}: `RCKM`. */
export const CHECKPOINT_METADATA_MAGIC = 'RCKM';
/** Current version of the serialized {@link CheckpointMetadata} format. */
export const CHECKPOINT_METADATA_VERSION = 1;

const HEX = /^[0-9a-f]{64}$/;

/**
 * Versioned serializer of {@link CheckpointMetadata}. Version 1 layout (little-endian, varuint =
 * LEB128, strings and byte arrays varuint-length-prefixed):
 *
 *     'RCKM' u8 version=1
 *     varuint checkpointId, f64 timestamp, string jobId, u8 isSavepoint
 *     varuint operatorCount, per operator:
 *       string uid, varuint parallelism, varuint maxParallelism,
 *       per subtask (parallelism times): varuint fileCount, per file:
 *         u8 kind (1 keyed, 2 operator, 3 timers, 4 source, 5 channel), string path,
 *         varuint size, 32 raw bytes SHA-256
 *     varuint coordinatorStateCount, per entry (sorted by uid): string uid, bytes state
 *
 * `serialize` validates the metadata (shape, handle placement, checksum format) and throws
 * naming the offending operator or file; `deserialize` rejects unknown versions, bad magic
 * and trailing bytes.
 */
export class CheckpointMetadataSerializer implements SimpleVersionedSerializer<CheckpointMetadata> {
  getVersion(): number {
    return CHECKPOINT_METADATA_VERSION;
  }

  serialize(m: CheckpointMetadata): Uint8Array {
    const out = new DataOutputSerializer(512);
    for (let i = 0; i < 4; i++) out.writeUint8(CHECKPOINT_METADATA_MAGIC.charCodeAt(i));
    out.writeUint8(CHECKPOINT_METADATA_VERSION);
    checkCount(m.checkpointId, 'checkpointId');
    out.writeVarUint(m.checkpointId);
    out.writeFloat64(m.timestamp);
    out.writeString(m.jobId);
    out.writeUint8(m.isSavepoint ? 1 : 0);
    out.writeVarUint(m.operators.length);
    const seen = new Set<string>();
    for (const op of m.operators) {
      if (seen.has(op.operatorUid)) throw new Error(`checkpoint metadata: operator '${op.operatorUid}' appears twice`);
      seen.add(op.operatorUid);
      checkCount(op.parallelism, `parallelism of operator '${op.operatorUid}'`);
      checkCount(op.maxParallelism, `max parallelism of operator '${op.operatorUid}'`);
      if (op.subtaskStates.length !== op.parallelism) {
        throw new Error(
          `checkpoint metadata: operator '${op.operatorUid}' has parallelism ${op.parallelism} but ${op.subtaskStates.length} subtask state lists`,
        );
      }
      out.writeString(op.operatorUid);
      out.writeVarUint(op.parallelism);
      out.writeVarUint(op.maxParallelism);
      op.subtaskStates.forEach((files, subtask) => {
        out.writeVarUint(files.length);
        for (const f of files) {
          if (f.operatorUid !== op.operatorUid || f.subtaskIndex !== subtask) {
            throw new Error(
              `checkpoint metadata: file '${f.path}' of operator '${f.operatorUid}' subtask ${f.subtaskIndex} listed under operator '${op.operatorUid}' subtask ${subtask}`,
            );
          }
          const code = STATE_FILE_KINDS.indexOf(f.kind) + 1;
          if (code === 0) throw new Error(`checkpoint metadata: file '${f.path}' has unknown kind '${String(f.kind)}'`);
          if (!HEX.test(f.checksum)) throw new Error(`checkpoint metadata: file '${f.path}' has a malformed checksum '${f.checksum}'`);
          checkCount(f.size, `size of file '${f.path}'`);
          out.writeUint8(code);
          out.writeString(f.path);
          out.writeVarUint(f.size);
          out.writeRaw(Buffer.from(f.checksum, 'hex'));
        }
      });
    }
    const entries = [...m.coordinatorState.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.writeVarUint(entries.length);
    for (const [uid, bytes] of entries) {
      out.writeString(uid);
      out.writeBytes(bytes);
    }
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): CheckpointMetadata {
    if (version !== 1) throw new Error(`unsupported checkpoint metadata version ${version} (this build reads version 1)`);
    // A plain Uint8Array view, so byte arrays read back are Uint8Arrays even when given a Buffer.
    const input = new DataInputDeserializer(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    let magic = '';
    for (let i = 0; i < 4; i++) magic += String.fromCharCode(input.readUint8());
    if (magic !== CHECKPOINT_METADATA_MAGIC) throw new Error(`checkpoint metadata: bad magic '${magic}' (expected '${CHECKPOINT_METADATA_MAGIC}')`);
    const stored = input.readUint8();
    if (stored !== 1) throw new Error(`unsupported checkpoint metadata version ${stored} in the header (this build reads version 1)`);
    const checkpointId = input.readVarUint();
    const timestamp = input.readFloat64();
    const jobId = input.readString();
    const isSavepoint = input.readUint8() === 1;
    const operatorCount = input.readVarUint();
    const operators: OperatorCheckpointMetadata[] = [];
    for (let o = 0; o < operatorCount; o++) {
      const operatorUid = input.readString();
      const parallelism = input.readVarUint();
      const maxParallelism = input.readVarUint();
      const subtaskStates: StateFileHandle[][] = [];
      for (let s = 0; s < parallelism; s++) {
        const n = input.readVarUint();
        const files: StateFileHandle[] = [];
        for (let i = 0; i < n; i++) {
          const code = input.readUint8();
          const kind = STATE_FILE_KINDS[code - 1];
          if (kind === undefined) throw new Error(`checkpoint metadata: unknown state file kind code ${code}`);
          const path = input.readString();
          const size = input.readVarUint();
          const checksum = Buffer.from(input.readRaw(32)).toString('hex');
          files.push({ operatorUid, subtaskIndex: s, kind, path, size, checksum });
        }
        subtaskStates.push(files);
      }
      operators.push({ operatorUid, parallelism, maxParallelism, subtaskStates });
    }
    const coordinatorState = new Map<string, Uint8Array>();
    const entryCount = input.readVarUint();
    for (let i = 0; i < entryCount; i++) {
      const uid = input.readString();
      coordinatorState.set(uid, input.readBytes());
    }
    if (input.remaining() !== 0) throw new Error(`checkpoint metadata: ${input.remaining()} trailing bytes`);
    return { checkpointId, timestamp, jobId, isSavepoint, operators, coordinatorState };
  }
}

function checkCount(v: number, what: string): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`checkpoint metadata: ${what} must be a non-negative integer, got ${v}`);
}

/** The shared {@link CheckpointMetadataSerializer} (stateless). */
export const CHECKPOINT_METADATA_SERIALIZER = new CheckpointMetadataSerializer();
