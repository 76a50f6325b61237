import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';

/**
 * One checkpoint's rows of one writer, staged durably and waiting for its commit (EXACTLY_ONCE).
 * The rows live in the DuckDB file `stagingPath` (table `rows`); the committer moves them into the
 * sink's table in one transaction with a marker row keyed by `transactionId`, then deletes the file.
 */
export interface DuckDbCommittable {
  /** Unique per staged transaction; the commit marker's key, so a replayed commit is a no-op. */
  readonly transactionId: string;
  readonly jobId: string;
  /** The subtask that wrote the rows (informational after rescaling: any subtask may commit it). */
  readonly subtaskId: number;
  /** The writer's transaction sequence: the n-th checkpoint this writer pre-committed. */
  readonly sequence: number;
  readonly stagingPath: string;
  readonly rowCount: number;
  /** Records of this transaction routed to the dead-letter table. */
  readonly rejectedCount: number;
}

/** A writer's checkpointed state: its identity and the next transaction sequence. */
export interface DuckDbWriterState {
  readonly subtaskId: number;
  readonly nextSequence: number;
}

function checkVersion(who: string, version: number): void {
  if (version !== 1) throw new Error(`${who}: unknown version ${version} (this build reads version 1)`);
}

/**
 * Version 1 of a {@link DuckDbCommittable}: transactionId, jobId (strings), subtaskId, sequence
 * (varuint), stagingPath (string), rowCount, rejectedCount (varuint). Persisted in checkpoints: never change a
 * version's layout, add one.
 */
export class DuckDbCommittableSerializer implements SimpleVersionedSerializer<DuckDbCommittable> {
  static readonly VERSION = 1;

  getVersion(): number {
    return DuckDbCommittableSerializer.VERSION;
  }

  serialize(c: DuckDbCommittable): Uint8Array {
    const out = new DataOutputSerializer(96 + c.stagingPath.length);
    out.writeString(c.transactionId);
    out.writeString(c.jobId);
    out.writeVarUint(c.subtaskId);
    out.writeVarUint(c.sequence);
    out.writeString(c.stagingPath);
    out.writeVarUint(c.rowCount);
    out.writeVarUint(c.rejectedCount);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): DuckDbCommittable {
    checkVersion('DuckDbCommittableSerializer', version);
    const input = new DataInputDeserializer(bytes);
    return {
      transactionId: input.readString(),
      jobId: input.readString(),
      subtaskId: input.readVarUint(),
      sequence: input.readVarUint(),
      stagingPath: input.readString(),
      rowCount: input.readVarUint(),
      rejectedCount: input.readVarUint(),
    };
  }
}

/** Version 1 of a {@link DuckDbWriterState}: subtaskId, nextSequence (varuint). */
export class DuckDbWriterStateSerializer implements SimpleVersionedSerializer<DuckDbWriterState> {
  static readonly VERSION = 1;

  getVersion(): number {
    return DuckDbWriterStateSerializer.VERSION;
  }

  serialize(s: DuckDbWriterState): Uint8Array {
    const out = new DataOutputSerializer(16);
    out.writeVarUint(s.subtaskId);
    out.writeVarUint(s.nextSequence);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): DuckDbWriterState {
    checkVersion('DuckDbWriterStateSerializer', version);
    const input = new DataInputDeserializer(bytes);
    return { subtaskId: input.readVarUint(), nextSequence: input.readVarUint() };
  }
}
