import { OutputTag, type SourceOutput } from '@riffle/core';

/**
 * What a {@link FileSource} with a dead-letter output emits there instead of failing the job:
 * the unreadable file and block (Parquet row group), the reader position where reading failed,
 * how many records were skipped because of it (-1 when the format cannot tell), and the error.
 */
export interface FileDeadLetter {
  readonly path: string;
  readonly block: number;
  /** Records of the block emitted before the failure. */
  readonly position: number;
  /** Records skipped: the rest of the block, or -1 when its size is unknown. */
  readonly skippedRecords: number;
  readonly error: string;
}

/** The conventional tag of a file source's dead letters; any `OutputTag<FileDeadLetter>` works. */
export const FILE_DEAD_LETTER_TAG = new OutputTag<FileDeadLetter>('file-dead-letters');

/**
 * A reader output that can emit side outputs. The FLIP-27 `ReaderOutput` of `@riffle/core` has
 * no side outputs yet; a runtime that supports dead letters from sources implements this method
 * on the output it passes to `pollNext` (the tag's records then appear as the source stream's
 * side output `tag`).
 */
export interface SideOutputReaderOutput {
  collectSide<X>(tag: OutputTag<X>, value: X, timestamp?: number): void;
}

/** Whether `output` can emit side outputs. */
export function hasSideOutputs(output: SourceOutput<unknown>): output is SourceOutput<unknown> & SideOutputReaderOutput {
  return typeof (output as Partial<SideOutputReaderOutput>).collectSide === 'function';
}
