import type { FileSinkCommittable, InProgressFileState } from './committable.js';
import type { Encoder, RecordOutputStream } from './encoder.js';
import type { InProgressPartFile, PartFileFactory } from './part-file.js';
import { RowPartFile } from './row-part-file.js';

/**
 * The byte stream a {@link BulkWriter} writes a part file into. `write`/`writeString` are
 * synchronous and buffered (a full 64 KiB batch is written to disk at once); `position` is the
 * number of bytes written so far.
 */
export interface BulkOutputStream extends RecordOutputStream {
  readonly position: number;
}

/**
 * Writes one part file of a bulk format (Flink's `BulkWriter`): a format that encodes many
 * records together (Parquet row groups, compressed blocks) and ends the file with a footer.
 *
 * `addElement` is called per record on the task thread and must be synchronous (buffer in
 * memory; write to the stream when a block is full). `finish` is called once, when the part
 * file rolls: it writes what is buffered and any footer to the stream, and may be async. The
 * sink closes the stream itself afterwards.
 */
export interface BulkWriter<T> {
  addElement(element: T): void;
  finish(): void | Promise<void>;
}

/** Creates the {@link BulkWriter} of each new part file (Flink's `BulkWriter.Factory`). */
export interface BulkWriterFactory<T> {
  create(out: BulkOutputStream): BulkWriter<T>;
}

const NO_ENCODER: Encoder<never> = {
  encode(): void {
    throw new Error('FileSink: a bulk part file takes records through its BulkWriter');
  },
};

/**
 * A part file of a bulk format. Bulk files cannot be resumed after a failure (their encoder
 * state is not in the file until `finish`), so the sink rolls every one of them at each
 * checkpoint, whatever the rolling policy says; the policy can still roll earlier by size or time.
 * Its size is what the bulk writer has written so far, which lags behind what it buffers.
 */
class BulkPartFile<T> implements InProgressPartFile<T> {
  readonly resumable = false;
  lastUpdateTime: number;
  private readonly writer: BulkWriter<T>;
  private sealed = false;

  constructor(
    private readonly file: RowPartFile<never>,
    factory: BulkWriterFactory<T>,
  ) {
    this.lastUpdateTime = file.creationTime;
    const stream: BulkOutputStream = {
      writeString: (s) => file.writeString(s),
      write: (b) => file.write(b),
      get position() {
        return file.size;
      },
    };
    this.writer = factory.create(stream);
  }

  get bucketId(): string {
    return this.file.bucketId;
  }
  get inProgressPath(): string {
    return this.file.inProgressPath;
  }
  get finalPath(): string {
    return this.file.finalPath;
  }
  get creationTime(): number {
    return this.file.creationTime;
  }
  get size(): number {
    return this.file.size;
  }

  append(element: T, now: number): void {
    if (this.sealed) throw new Error(`FileSink: part file '${this.inProgressPath}' was already rolled`);
    this.writer.addElement(element);
    this.lastUpdateTime = now;
  }

  persist(): Promise<InProgressFileState> {
    return Promise.reject(this.notResumable());
  }

  snapshot(): InProgressFileState {
    throw this.notResumable();
  }

  seal(): void {
    this.sealed = true;
  }

  async closeForCommit(): Promise<FileSinkCommittable> {
    this.sealed = true;
    await this.writer.finish();
    return this.file.closeForCommit();
  }

  abandon(): Promise<void> {
    return this.file.abandon();
  }

  private notResumable(): Error {
    return new Error(`FileSink: bulk part file '${this.inProgressPath}' cannot be persisted for resuming; bulk formats roll at every checkpoint`);
  }
}

/** Creates bulk part files with a {@link BulkWriterFactory}; they cannot be resumed. */
export class BulkPartFileFactory<T> implements PartFileFactory<T> {
  readonly resume = undefined;

  constructor(readonly writerFactory: BulkWriterFactory<T>) {}

  create(bucketId: string, inProgressPath: string, finalPath: string, now: number): InProgressPartFile<T> {
    return new BulkPartFile(RowPartFile.create(bucketId, inProgressPath, finalPath, now, NO_ENCODER), this.writerFactory);
  }
}
