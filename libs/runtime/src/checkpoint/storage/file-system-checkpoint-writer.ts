import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { getLogger } from '@riffle/core';
import { assertTransition, type TransitionTable } from '../../lifecycle/state-machine.js';
import { STATE_FILE_KINDS, type CheckpointMetadata, type StateFileHandle, type StateFileKind } from './checkpoint-metadata.js';
import type { CheckpointWriter, CompletedCheckpointHandle } from './checkpoint-storage.js';
import { CheckpointIntegrityError } from './checkpoint-integrity-error.js';
import { fsyncDirectory, isCode, sha256Hex, writeFileAtomically } from './durable-file.js';
import { encodeMetadataFile, METADATA_FILE_NAME } from './metadata-file.js';
import { resolveStateFilePath } from './state-file-reader.js';

/** Lifecycle of a {@link FileSystemCheckpointWriter}. */
export type CheckpointWriterState = 'writing' | 'committing' | 'committed' | 'failed' | 'aborted';

const TRANSITIONS: TransitionTable<CheckpointWriterState> = {
  writing: ['committing', 'aborted'],
  committing: ['committed', 'failed'],
  failed: ['aborted'],
  committed: [],
  aborted: [],
};

/**
 * The file name of a state file: `<uid, sanitised>-<8 hex of sha256(uid)>.<subtask>.<kind>`.
 * The hash keeps distinct uids distinct after sanitising; names never collide with `_metadata`.
 */
export function stateFileName(operatorUid: string, subtaskIndex: number, kind: StateFileKind): string {
  const safe = operatorUid.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `${safe}-${sha256Hex(Buffer.from(operatorUid, 'utf8')).slice(0, 8)}.${subtaskIndex}.${kind}`;
}

/** Options of a {@link FileSystemCheckpointWriter}; created by `FileSystemCheckpointStorage`. */
export interface FileSystemCheckpointWriterOptions {
  readonly checkpointId: number;
  readonly jobId: string;
  /** The checkpoint folder; must already exist. */
  readonly directory: string;
  readonly isSavepoint: boolean;
  /** Runs after `_metadata` is durable (retention); a rejection is logged, not propagated. */
  readonly afterCommit?: (handle: CompletedCheckpointHandle) => Promise<void>;
}

/** {@link CheckpointWriter} over one folder of the local file system. */
export class FileSystemCheckpointWriter implements CheckpointWriter {
  readonly checkpointId: number;
  readonly directory: string;
  readonly isSavepoint: boolean;
  private state: CheckpointWriterState = 'writing';
  private readonly names = new Set<string>();
  private readonly inFlight = new Set<Promise<StateFileHandle>>();

  constructor(private readonly options: FileSystemCheckpointWriterOptions) {
    this.checkpointId = options.checkpointId;
    this.directory = options.directory;
    this.isSavepoint = options.isSavepoint;
  }

  /** Where the writer is in its lifecycle. */
  get lifecycleState(): CheckpointWriterState {
    return this.state;
  }

  /** `bytes` must not be modified until the returned promise settles. */
  writeStateFile(operatorUid: string, subtaskIndex: number, kind: StateFileKind, bytes: Uint8Array): Promise<StateFileHandle> {
    if (this.state !== 'writing') {
      return Promise.reject(new Error(`checkpoint ${this.checkpointId}: cannot write a state file after the writer is ${this.state}`));
    }
    if (typeof operatorUid !== 'string' || operatorUid === '') return Promise.reject(new Error('writeStateFile: operatorUid must be a non-empty string'));
    if (!Number.isSafeInteger(subtaskIndex) || subtaskIndex < 0) {
      return Promise.reject(new Error(`writeStateFile: subtaskIndex must be a non-negative integer, got ${subtaskIndex}`));
    }
    if (!STATE_FILE_KINDS.includes(kind)) return Promise.reject(new Error(`writeStateFile: unknown state file kind '${String(kind)}'`));
    const name = stateFileName(operatorUid, subtaskIndex, kind);
    if (this.names.has(name)) {
      return Promise.reject(
        new Error(`checkpoint ${this.checkpointId}: ${kind} state of operator '${operatorUid}' subtask ${subtaskIndex} was already written`),
      );
    }
    this.names.add(name);
    const handle: StateFileHandle = { operatorUid, subtaskIndex, kind, path: name, size: bytes.length, checksum: sha256Hex(bytes) };
    const write = writeFileAtomically(join(this.directory, name), bytes).then(() => handle);
    this.inFlight.add(write);
    const done = (): void => void this.inFlight.delete(write);
    write.then(done, done);
    return write;
  }

  async commit(metadata: CheckpointMetadata): Promise<CompletedCheckpointHandle> {
    assertTransition(TRANSITIONS, 'checkpoint writer', String(this.checkpointId), this.state, 'committing');
    this.state = 'committing';
    try {
      if (metadata.checkpointId !== this.checkpointId) {
        throw new Error(`checkpoint ${this.checkpointId}: metadata is for checkpoint ${metadata.checkpointId}`);
      }
      if (metadata.isSavepoint !== this.isSavepoint) {
        throw new Error(`checkpoint ${this.checkpointId}: metadata says isSavepoint=${metadata.isSavepoint}, the writer was created for ${this.isSavepoint ? 'a savepoint' : 'a checkpoint'}`);
      }
      if (metadata.jobId !== this.options.jobId) {
        throw new Error(`checkpoint ${this.checkpointId}: metadata is for job '${metadata.jobId}', the writer belongs to job '${this.options.jobId}'`);
      }
      const results = await Promise.allSettled([...this.inFlight]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw new Error(`checkpoint ${this.checkpointId}: a state file write failed: ${String((failed.reason as Error)?.message ?? failed.reason)}`);
      await this.checkReferencedFiles(metadata);
      await fsyncDirectory(this.directory);
      const bytes = encodeMetadataFile(metadata);
      await writeFileAtomically(join(this.directory, METADATA_FILE_NAME), bytes);
      await fsyncDirectory(this.directory);
    } catch (e) {
      this.state = 'failed';
      throw e;
    }
    this.state = 'committed';
    const handle: CompletedCheckpointHandle = { checkpointId: this.checkpointId, directory: this.directory, isSavepoint: this.isSavepoint };
    if (this.options.afterCommit) {
      try {
        await this.options.afterCommit(handle);
      } catch (e) {
        getLogger('CheckpointStorage').warn(`Cleanup after checkpoint ${this.checkpointId} failed: ${(e as Error).message}`);
      }
    }
    return handle;
  }

  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    assertTransition(TRANSITIONS, 'checkpoint writer', String(this.checkpointId), this.state, 'aborted');
    this.state = 'aborted';
    await Promise.allSettled([...this.inFlight]);
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Every referenced file must exist with its recorded size (written by this or another writer). */
  private async checkReferencedFiles(metadata: CheckpointMetadata): Promise<void> {
    const checks: Promise<void>[] = [];
    for (const op of metadata.operators) {
      for (const files of op.subtaskStates) {
        for (const f of files) {
          const file = resolveStateFilePath(this.directory, f.path);
          checks.push(
            stat(file).then(
              (s) => {
                if (s.size !== f.size) throw new CheckpointIntegrityError(file, `state file has ${s.size} bytes, the metadata says ${f.size}`);
              },
              (e: unknown) => {
                if (isCode(e, 'ENOENT')) throw new CheckpointIntegrityError(file, 'state file referenced by the metadata does not exist');
                throw e;
              },
            ),
          );
        }
      }
    }
    const results = await Promise.allSettled(checks);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
