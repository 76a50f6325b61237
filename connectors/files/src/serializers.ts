import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import type { FileSinkCommittable, FileWriterBucketState } from './committable.js';

/**
 * Version 1 of a {@link FileSinkCommittable}: bucketId, inProgressPath, finalPath as strings,
 * then size as a varuint. Persisted in checkpoints: never change a version's layout, add one.
 */
export class FileSinkCommittableSerializer implements SimpleVersionedSerializer<FileSinkCommittable> {
  static readonly VERSION = 1;

  getVersion(): number {
    return FileSinkCommittableSerializer.VERSION;
  }

  serialize(c: FileSinkCommittable): Uint8Array {
    const out = new DataOutputSerializer(64 + 3 * c.finalPath.length);
    out.writeString(c.bucketId);
    out.writeString(c.inProgressPath);
    out.writeString(c.finalPath);
    out.writeVarUint(c.size);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): FileSinkCommittable {
    if (version !== 1) throw new Error(`FileSinkCommittableSerializer: unknown version ${version} (this build reads version 1)`);
    const input = new DataInputDeserializer(bytes);
    const bucketId = input.readString();
    const inProgressPath = input.readString();
    const finalPath = input.readString();
    const size = input.readVarUint();
    return { bucketId, inProgressPath, finalPath, size };
  }
}

/**
 * Version 2 of a {@link FileWriterBucketState}: bucketId, bucketPath, a uint8 flag, and when the
 * flag is 1 the in-progress file: inProgressPath, finalPath, validLength (varuint),
 * creationTime (float64); then a uint8 flag, and when it is 1 the writer: writerId (string),
 * nextPartCounter (varuint). Version 1 is the same without the writer part (still read).
 */
export class FileWriterBucketStateSerializer implements SimpleVersionedSerializer<FileWriterBucketState> {
  static readonly VERSION = 2;

  getVersion(): number {
    return FileWriterBucketStateSerializer.VERSION;
  }

  serialize(s: FileWriterBucketState): Uint8Array {
    const out = new DataOutputSerializer(128);
    out.writeString(s.bucketId);
    out.writeString(s.bucketPath);
    if (s.inProgress) {
      out.writeUint8(1);
      out.writeString(s.inProgress.inProgressPath);
      out.writeString(s.inProgress.finalPath);
      out.writeVarUint(s.inProgress.validLength);
      out.writeFloat64(s.inProgress.creationTime);
    } else {
      out.writeUint8(0);
    }
    if (s.writer) {
      out.writeUint8(1);
      out.writeString(s.writer.writerId);
      out.writeVarUint(s.writer.nextPartCounter);
    } else {
      out.writeUint8(0);
    }
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): FileWriterBucketState {
    if (version !== 1 && version !== 2) throw new Error(`FileWriterBucketStateSerializer: unknown version ${version} (this build reads versions 1 and 2)`);
    const input = new DataInputDeserializer(bytes);
    const bucketId = input.readString();
    const bucketPath = input.readString();
    const flag = input.readUint8();
    let inProgress: FileWriterBucketState['inProgress'];
    if (flag === 1) {
      const inProgressPath = input.readString();
      const finalPath = input.readString();
      const validLength = input.readVarUint();
      const creationTime = input.readFloat64();
      inProgress = { inProgressPath, finalPath, validLength, creationTime };
    } else if (flag !== 0) {
      throw new Error(`FileWriterBucketStateSerializer: corrupt state (in-progress flag ${flag})`);
    }
    if (version === 1) return { bucketId, bucketPath, inProgress };
    const writerFlag = input.readUint8();
    if (writerFlag === 0) return { bucketId, bucketPath, inProgress };
    if (writerFlag !== 1) throw new Error(`FileWriterBucketStateSerializer: corrupt state (writer flag ${writerFlag})`);
    const writerId = input.readString();
    const nextPartCounter = input.readVarUint();
    return { bucketId, bucketPath, inProgress, writer: { writerId, nextPartCounter } };
  }
}
