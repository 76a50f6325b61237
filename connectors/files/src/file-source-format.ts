/**
 * The reading side of a file format for {@link FileSource} (Flink's `BulkFormat` and
 * `StreamFormat`, reduced to what a Node reader needs).
 *
 * A file is divided into blocks: units that can be read independently, each of which becomes
 * one split (Parquet: row groups; a text file: the whole file). The enumerator asks the format
 * for a file's blocks once, when it first sees the file; readers open one block at a time and
 * read it in batches. Everything here is async and runs off the per-record path: the source
 * reader emits a batch's records synchronously from memory.
 */

/** One independently readable part of a file. */
export interface FileBlock {
  /** Number of records in the block, or -1 when the format does not know it without reading it. */
  readonly records: number;
}

/**
 * Reads the records of one block, in order. `readBatch` resolves with the next non-empty batch,
 * or `undefined` once the block is exhausted; it is never called again before the previous call
 * settled. A rejection means the block is unreadable (corrupt, or not in the format): the error
 * message should say what was wrong; the source adds the file, block and position.
 */
export interface FileBlockReader<T> {
  readBatch(): Promise<readonly T[] | undefined>;
  close(): Promise<void>;
}

/**
 * A format whose files split into blocks of records read in batches (Parquet).
 *
 * `listBlocks` runs on the enumerator (JobMaster side) and must only read the file's
 * metadata; a rejection there is not fatal by itself: the file becomes a single split whose
 * reader then reports the failure (so that the error policy of the reader, failing or
 * dead-lettering, applies to it). `createReader` runs in the source subtask.
 */
export interface BulkFormat<T> {
  listBlocks(path: string): Promise<readonly FileBlock[]>;
  /** Opens block `block` of `path`, positioned after its first `skip` records. */
  createReader(path: string, block: number, skip: number): Promise<FileBlockReader<T>>;
}

/**
 * A format read as one stream of records per file (Flink's `StreamFormat`), such as text lines.
 * The file is one split; the reader position is the number of records already emitted.
 */
export interface StreamFormat<T> {
  /** The records of the file, in order. The iterator is returned (closed) early when reading stops. */
  read(path: string): AsyncIterable<T>;
}
