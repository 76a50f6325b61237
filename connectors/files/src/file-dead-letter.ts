import { ProcessFunction, getLogger, OutputTag, type Collector, type Counter, type ProcessContext } from '@riffle/core';

const log = getLogger('FileDeadLetters');

/**
 * What a {@link FileSource} built with `setDeadLetterOutput(tag)` emits in place of a block it
 * cannot read, instead of failing the job: the file and block (Parquet row group), the reader
 * position where reading failed, how many records were skipped because of it (-1 when the format
 * cannot tell), and the error. Plain data with a `kind`, like the Kafka source's dead letters, so
 * it crosses threads and processes with the default serializer.
 */
export interface FileDeadLetter {
  readonly kind: 'file-dead-letter';
  readonly path: string;
  readonly block: number;
  /** Records of the block emitted before the failure. */
  readonly position: number;
  /** Records skipped: the rest of the block, or -1 when its size is unknown. */
  readonly skippedRecords: number;
  readonly error: string;
}

/** True when `value` is a {@link FileDeadLetter}. */
export function isFileDeadLetter(value: unknown): value is FileDeadLetter {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'file-dead-letter';
}

/** The conventional tag of a file source's dead letters; any `OutputTag<FileDeadLetter>` works. */
export const FILE_DEAD_LETTER_TAG = new OutputTag<FileDeadLetter>('file-dead-letters');

/**
 * Splits the output of a file source built with `setDeadLetterOutput(tag)`: records go on, dead
 * letters go to the side output `tag` (read it with `getSideOutput(tag)`), counted in
 * {@link numDeadLetters} / {@link numRecordsSkipped} and logged when the subtask closes. The
 * same shape as the Kafka source's `KafkaDeadLetterRouter`.
 *
 * ```ts
 * const rows = env.fromSource(source, wm, 'files').process(new FileDeadLetterRouter<Row>(tag));
 * const bad = rows.getSideOutput(tag);
 * ```
 */
export class FileDeadLetterRouter<T> extends ProcessFunction<T | FileDeadLetter, T> {
  /** Dead letters routed by this instance (one per subtask). */
  numDeadLetters = 0;
  /** Records skipped with them (unknown counts, -1, are not added). */
  numRecordsSkipped = 0;
  private deadLetters: Counter | undefined;
  private skipped: Counter | undefined;

  constructor(readonly tag: OutputTag<FileDeadLetter>) {
    super();
  }

  /** Registers the metrics `numDeadLetters` and `numRecordsSkipped` in the operator's metric group. */
  override open(): void {
    const group = this.getRuntimeContext().getMetricGroup();
    this.deadLetters = group.counter('numDeadLetters');
    this.skipped = group.counter('numRecordsSkipped');
  }

  processElement(value: T | FileDeadLetter, ctx: ProcessContext, out: Collector<T>): void {
    if (isFileDeadLetter(value)) {
      this.numDeadLetters++;
      this.deadLetters?.inc();
      if (value.skippedRecords > 0) {
        this.numRecordsSkipped += value.skippedRecords;
        this.skipped?.inc(value.skippedRecords);
      }
      ctx.output(this.tag, value);
    } else {
      out.collect(value);
    }
  }

  override close(): void {
    if (this.numDeadLetters > 0) {
      log.warn('file source: unreadable blocks routed to the dead-letter output', { tag: this.tag.id, deadLetters: this.numDeadLetters, skippedRecords: this.numRecordsSkipped });
    }
  }
}
