import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_METADATA_SERIALIZER, type CheckpointMetadata } from './checkpoint-metadata.js';
import { CheckpointIntegrityError } from './checkpoint-integrity-error.js';
import { isCode, sha256Hex } from './durable-file.js';

/** Name of the metadata file inside a checkpoint folder; its presence makes a checkpoint complete. */
export const METADATA_FILE_NAME = '_metadata';

const HEADER = 8;
const TRAILER = 32;

/**
 * Encodes the `_metadata` file: `u32 LE serializer version, u32 LE payload length, payload
 * (CheckpointMetadataSerializer), 32 bytes SHA-256 over everything before it`.
 */
export function encodeMetadataFile(metadata: CheckpointMetadata): Uint8Array {
  const payload = CHECKPOINT_METADATA_SERIALIZER.serialize(metadata);
  const out = Buffer.alloc(HEADER + payload.length + TRAILER);
  out.writeUInt32LE(CHECKPOINT_METADATA_SERIALIZER.getVersion(), 0);
  out.writeUInt32LE(payload.length, 4);
  out.set(payload, HEADER);
  out.set(Buffer.from(sha256Hex(out.subarray(0, HEADER + payload.length)), 'hex'), HEADER + payload.length);
  return out;
}

/** Decodes a `_metadata` file, throwing {@link CheckpointIntegrityError} naming `file` when it is damaged. */
export function decodeMetadataFile(file: string, bytes: Uint8Array): CheckpointMetadata {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER + TRAILER) throw new CheckpointIntegrityError(file, `metadata file is truncated (${buf.length} bytes)`);
  const version = buf.readUInt32LE(0);
  const length = buf.readUInt32LE(4);
  if (HEADER + length + TRAILER !== buf.length) {
    throw new CheckpointIntegrityError(file, `metadata file length ${buf.length} does not match its header (payload ${length} bytes)`);
  }
  const expected = buf.subarray(HEADER + length).toString('hex');
  const actual = sha256Hex(buf.subarray(0, HEADER + length));
  if (expected !== actual) throw new CheckpointIntegrityError(file, `metadata checksum mismatch (stored ${expected}, computed ${actual})`);
  try {
    return CHECKPOINT_METADATA_SERIALIZER.deserialize(version, buf.subarray(HEADER, HEADER + length));
  } catch (e) {
    throw new CheckpointIntegrityError(file, `unreadable metadata: ${(e as Error).message}`);
  }
}

/** Reads and verifies `<dir>/_metadata`; a missing file is a {@link CheckpointIntegrityError}. */
export async function readMetadataFile(dir: string): Promise<CheckpointMetadata> {
  const file = join(dir, METADATA_FILE_NAME);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    if (isCode(e, 'ENOENT')) throw new CheckpointIntegrityError(file, 'metadata file is missing');
    throw e;
  }
  return decodeMetadataFile(file, bytes);
}
