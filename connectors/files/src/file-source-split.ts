import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer, type SourceSplit } from '@riffle/core';

/**
 * One block of one file (Flink's `FileSourceSplit`): a whole file for stream formats, one row
 * group for Parquet. `position` is the reader position, the number of the block's records
 * already emitted: a restored reader skips that many.
 */
export interface FileSourceSplit extends SourceSplit {
  /** Absolute path of the file. */
  readonly path: string;
  /** Index of the block within the file (0 for formats read whole). */
  readonly block: number;
  /** Records in the block, or -1 when unknown before reading. */
  readonly records: number;
  /** Records of the block already emitted. */
  readonly position: number;
}

/** A split for block `block` of `path`, at `position`. Its id is `<path>#<block>`. */
export function fileSourceSplit(path: string, block: number, records: number, position = 0): FileSourceSplit {
  return { splitId: `${path}#${block}`, path, block, records, position };
}

/** Writes a split in the version 1 layout into `out`. */
export function writeSplitV1(s: FileSourceSplit, out: DataOutputSerializer): void {
  out.writeString(s.path);
  out.writeVarUint(s.block);
  out.writeVarUint(s.records + 1);
  out.writeVarUint(s.position);
}

/** Reads a split of the version 1 layout. */
export function readSplitV1(input: DataInputDeserializer): FileSourceSplit {
  const path = input.readString();
  const block = input.readVarUint();
  const records = input.readVarUint() - 1;
  const position = input.readVarUint();
  return fileSourceSplit(path, block, records, position);
}

/**
 * Version 1 of a {@link FileSourceSplit}: path (string), block (varuint), records + 1 (varuint,
 * so that "unknown" is 0), position (varuint). The split id is derived, not stored. Persisted in
 * checkpoints: never change a version's layout, add one.
 */
export class FileSourceSplitSerializer implements SimpleVersionedSerializer<FileSourceSplit> {
  static readonly VERSION = 1;

  getVersion(): number {
    return FileSourceSplitSerializer.VERSION;
  }

  serialize(split: FileSourceSplit): Uint8Array {
    const out = new DataOutputSerializer(16 + 3 * split.path.length);
    writeSplitV1(split, out);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): FileSourceSplit {
    if (version !== 1) throw new Error(`FileSourceSplitSerializer: unknown version ${version} (this build reads version 1)`);
    return readSplitV1(new DataInputDeserializer(bytes));
  }
}
