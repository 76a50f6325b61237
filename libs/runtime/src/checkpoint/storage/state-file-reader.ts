import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { StateFileHandle } from './checkpoint-metadata.js';
import type { CheckpointStateReader, CompletedCheckpointHandle, LoadedCheckpoint } from './checkpoint-storage.js';
import { CheckpointIntegrityError } from './checkpoint-integrity-error.js';
import { isCode, sha256Hex } from './durable-file.js';
import { readMetadataFile } from './metadata-file.js';

/**
 * Resolves a state file's relative path inside a checkpoint folder, refusing absolute paths
 * and `..` so that a damaged or hostile `_metadata` cannot point outside the folder.
 */
export function resolveStateFilePath(directory: string, relativePath: string): string {
  const parts = relativePath.split('/');
  if (relativePath === '' || isAbsolute(relativePath) || relativePath.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new CheckpointIntegrityError(join(directory, relativePath), `illegal state file path '${relativePath}'`);
  }
  return join(directory, ...parts);
}

/** Reads state files of one checkpoint folder, verifying size and SHA-256 of each. */
export class VerifyingStateFileReader implements CheckpointStateReader {
  constructor(readonly directory: string) {}

  async readStateFile(handle: StateFileHandle): Promise<Uint8Array> {
    const file = resolveStateFilePath(this.directory, handle.path);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      if (isCode(e, 'ENOENT')) throw new CheckpointIntegrityError(file, `${describe(handle)} is missing`);
      throw e;
    }
    if (bytes.length !== handle.size) {
      throw new CheckpointIntegrityError(file, `${describe(handle)} has ${bytes.length} bytes, expected ${handle.size}`);
    }
    const actual = sha256Hex(bytes);
    if (actual !== handle.checksum) {
      throw new CheckpointIntegrityError(file, `${describe(handle)} fails its checksum (stored ${handle.checksum}, computed ${actual})`);
    }
    // A plain Uint8Array (not a Buffer), as callers compare and slice it like any other bytes.
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

function describe(h: StateFileHandle): string {
  return `${h.kind} state file of operator '${h.operatorUid}' subtask ${h.subtaskIndex}`;
}

/**
 * Loads the checkpoint or savepoint in `directory` (e.g. a savepoint path given by a user):
 * reads and verifies `_metadata`; state files are verified as they are read. Throws
 * `CheckpointIntegrityError` when the metadata is missing or damaged.
 */
export async function loadCheckpointFromDirectory(directory: string): Promise<LoadedCheckpoint> {
  const dir = resolve(directory);
  const metadata = await readMetadataFile(dir);
  const handle: CompletedCheckpointHandle = { checkpointId: metadata.checkpointId, directory: dir, isSavepoint: metadata.isSavepoint };
  return { handle, metadata, reader: new VerifyingStateFileReader(dir) };
}

/**
 * Reads every state file a loaded checkpoint references, one at a time, and throws the first
 * `CheckpointIntegrityError`. Resolves when the whole checkpoint is restorable.
 */
export async function verifyCheckpoint(loaded: LoadedCheckpoint): Promise<void> {
  for (const op of loaded.metadata.operators) {
    for (const files of op.subtaskStates) {
      for (const f of files) await loaded.reader.readStateFile(f);
    }
  }
}
