/**
 * A pending part file: closed, durable, still under its hidden in-progress name, and waiting
 * for its checkpoint to complete. The committer publishes it by renaming `inProgressPath` to
 * `finalPath` (Flink's `FileSinkCommittable` with a pending file). Paths are absolute.
 */
export interface FileSinkCommittable {
  readonly bucketId: string;
  readonly inProgressPath: string;
  readonly finalPath: string;
  /** The file's exact length in bytes; the committer checks it before and after renaming. */
  readonly size: number;
}

/** The resumable in-progress part file of a bucket, as of a checkpoint. */
export interface InProgressFileState {
  readonly inProgressPath: string;
  readonly finalPath: string;
  /** Bytes durably written at the checkpoint; anything after is discarded on restore. */
  readonly validLength: number;
  /** Processing time (ms) the file was opened, so time-based rolling survives restore. */
  readonly creationTime: number;
}

/**
 * A writer's state for one bucket at a checkpoint (Flink's `FileWriterBucketState`): its id,
 * directory, and the in-progress file to truncate and resume after a restart. Pending files are
 * not part of it: they travel as committables, held until their checkpoint completes.
 */
export interface FileWriterBucketState {
  readonly bucketId: string;
  /** Absolute directory of the bucket. */
  readonly bucketPath: string;
  readonly inProgress: InProgressFileState | undefined;
  /**
   * The writer that took the snapshot (on every state it returns; a writer with no open file
   * returns one state with only this, `bucketId` '' and the base path). A restored writer deletes
   * that writer's hidden part files numbered from `nextPartCounter` on: they were opened after
   * the checkpoint, belong to no committable of it, and their records are replayed.
   */
  readonly writer?: FileWriterIdentity;
}

/** Who wrote a {@link FileWriterBucketState}: the writer's id (in its part file names) and its next part number. */
export interface FileWriterIdentity {
  readonly writerId: string;
  readonly nextPartCounter: number;
}
