import type { FileSinkCommittable, InProgressFileState } from './committable.js';
import type { PartFileInfo } from './rolling-policy.js';

/**
 * The open part file of one bucket, whatever its format: the seam between the bucket logic of
 * {@link FileWriter} and a file format. Row formats ({@link RowPartFile}) append encoded records
 * and can be resumed at a byte offset; bulk formats (Parquet, via a future
 * `FileSink.forBulkFormat`) buffer and encode at close and cannot be resumed, so they must
 * roll at every checkpoint.
 *
 * Call order, on the task thread: `append`* (synchronous), `persist`/`snapshot` at checkpoints
 * (resumable formats only), then optionally `seal`, then exactly one of `closeForCommit` (the
 * file becomes pending) or `abandon` (the task stops; the hidden file stays for a possible restore).
 */
export interface InProgressPartFile<T> extends PartFileInfo {
  readonly inProgressPath: string;
  readonly finalPath: string;
  /**
   * Whether the file can be persisted at a checkpoint and resumed after a failure. A file that
   * cannot is rolled at every checkpoint whatever the rolling policy says.
   */
  readonly resumable: boolean;
  append(element: T, now: number): void;
  /** Writes what is buffered and makes it durable; returns the state to resume from. */
  persist(): Promise<InProgressFileState>;
  /** The state to resume from as of now; synchronous (writes buffered bytes first). */
  snapshot(): InProgressFileState;
  /**
   * Stops taking records, synchronously (called when the file rolls, possibly per record): a
   * format releases what it can now and finishes the rest in `closeForCommit`.
   */
  seal(): void;
  /** Finishes the file (sealing it if needed): durable, closed, returned as a committable. */
  closeForCommit(): Promise<FileSinkCommittable>;
  /** Writes buffered bytes and closes the descriptor without syncing or committing. */
  abandon(): Promise<void>;
}

/** Opens (and, for resumable formats, resumes) part files of one format. */
export interface PartFileFactory<T> {
  /** Creates an empty in-progress file at `inProgressPath`; fails if it exists. Synchronous. */
  create(bucketId: string, inProgressPath: string, finalPath: string, now: number): InProgressPartFile<T>;
  /**
   * Reopens a checkpointed in-progress file cut back to its checkpointed length, or
   * `undefined` when the format cannot resume files.
   */
  readonly resume: ((bucketId: string, state: InProgressFileState, now: number) => InProgressPartFile<T>) | undefined;
}
