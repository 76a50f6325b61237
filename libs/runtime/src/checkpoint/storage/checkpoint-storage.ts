import type { CheckpointMetadata, StateFileHandle, StateFileKind } from './checkpoint-metadata.js';

/** A completed (metadata written) checkpoint or savepoint: plain data. */
export interface CompletedCheckpointHandle {
  readonly checkpointId: number;
  /** Absolute path of the checkpoint folder (holds `_metadata` and the state files). */
  readonly directory: string;
  readonly isSavepoint: boolean;
}

/**
 * Writes one checkpoint (or savepoint) folder.
 *
 * Call order: any number of {@link writeStateFile} calls (concurrently, from many tasks), then
 * exactly one of {@link commit} (by the coordinator, once every task acknowledged) or
 * {@link abort}. Tasks in other processes write into the same folder through their own writer
 * for the same checkpoint id and send the returned handles to the coordinator.
 */
export interface CheckpointWriter {
  readonly checkpointId: number;
  /** Absolute path of the checkpoint folder being written. */
  readonly directory: string;
  readonly isSavepoint: boolean;
  /**
   * Writes the state file of one kind of one subtask of an operator: to a temporary name,
   * fsync, rename. Resolves once the file is complete and durable; the handle records its
   * relative path, size and checksum. At most one file per (operator uid, subtask, kind) per
   * writer; throws after {@link commit} or {@link abort} started.
   */
  writeStateFile(operatorUid: string, subtaskIndex: number, kind: StateFileKind, bytes: Uint8Array): Promise<StateFileHandle>;
  /**
   * Completes the checkpoint: waits for this writer's in-flight writes, checks that every file
   * `metadata` references exists with its recorded size, fsyncs the folder, and only then
   * writes `_metadata` (atomically). `metadata.checkpointId` and `isSavepoint` must match the
   * writer. A rejection means the checkpoint does not exist (the folder is left for
   * {@link abort}). For checkpoints (not savepoints) retention runs afterwards; a retention
   * failure is logged, never a commit failure.
   */
  commit(metadata: CheckpointMetadata): Promise<CompletedCheckpointHandle>;
  /** Discards the checkpoint: waits for in-flight writes and removes the folder. Idempotent. */
  abort(): Promise<void>;
}

/** Verified access to the state files of a loaded checkpoint. */
export interface CheckpointStateReader {
  /**
   * Returns the bytes of a state file after checking its size and checksum against the
   * handle; throws `CheckpointIntegrityError` naming the file when it is missing or corrupt.
   */
  readStateFile(handle: StateFileHandle): Promise<Uint8Array>;
}

/** A checkpoint whose `_metadata` was read and verified, with a reader for its state files. */
export interface LoadedCheckpoint {
  readonly handle: CompletedCheckpointHandle;
  readonly metadata: CheckpointMetadata;
  readonly reader: CheckpointStateReader;
}

/**
 * Durable storage of a job's checkpoints (Flink's `CheckpointStorage` +
 * `CompletedCheckpointStore`). Writers may run concurrently with readers; retention never
 * removes the newest retained checkpoints, so a reader of the latest one is never disturbed.
 */
export interface CheckpointStorage {
  /** Starts checkpoint `checkpointId` of the job; rejects when it already completed. */
  createCheckpointWriter(checkpointId: number): Promise<CheckpointWriter>;
  /**
   * Starts a savepoint: a self-contained, relocatable folder created inside `targetDir`
   * (`savepoint-<id>-<random>`), never deleted by retention.
   */
  createSavepointWriter(checkpointId: number, targetDir: string): Promise<CheckpointWriter>;
  /** Completed checkpoints (folders with `_metadata`), newest first; not verified. */
  listCompletedCheckpoints(): Promise<CompletedCheckpointHandle[]>;
  /** Reads and verifies `_metadata`; state files are verified lazily, as they are read. */
  loadCheckpoint(handle: CompletedCheckpointHandle): Promise<LoadedCheckpoint>;
  /**
   * The newest checkpoint whose metadata and every referenced state file exist and pass their
   * checksums. A failing checkpoint is skipped with a warning naming it and the reason.
   * Undefined when there is none.
   */
  findLatestRestorable(): Promise<LoadedCheckpoint | undefined>;
}
