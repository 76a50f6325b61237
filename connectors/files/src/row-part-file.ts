import { close, closeSync, fdatasync, open, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FileSinkCommittable, InProgressFileState } from './committable.js';
import type { Encoder, RecordOutputStream } from './encoder.js';
import type { InProgressPartFile, PartFileFactory } from './part-file.js';

const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);
const openAsync = promisify(open);

/** Bytes buffered in memory per part file before one synchronous write to disk. */
const BATCH_BYTES = 64 * 1024;

/** Strings up to this length are tried as ASCII in a plain loop first. */
const SHORT_STRING = 256;

/**
 * The open (in-progress) part file of one bucket of a row-format sink.
 *
 * Records are encoded into an in-memory batch; a full batch is written with one positional
 * `writeSync` (bounded blocking, like Flink's blocking output stream, and natural backpressure
 * instead of an unbounded write queue). Durability (`fdatasync`) and closing happen on the async
 * edges: {@link persist} at checkpoints and {@link closeForCommit} after a roll. A rolled file is
 * {@link seal}ed at once, so rolled files waiting for the next checkpoint hold no descriptors.
 */
export class RowPartFile<T> implements InProgressPartFile<T>, RecordOutputStream {
  readonly resumable = true;
  lastUpdateTime: number;
  private batch = Buffer.allocUnsafe(BATCH_BYTES);
  private pos = 0;
  /** Bytes already written to the file. */
  private written: number;
  private fd: number | undefined;

  private constructor(
    readonly bucketId: string,
    readonly inProgressPath: string,
    readonly finalPath: string,
    readonly creationTime: number,
    private readonly encoder: Encoder<T>,
    fd: number,
    written: number,
  ) {
    this.lastUpdateTime = creationTime;
    this.fd = fd;
    this.written = written;
  }

  /** Creates a new, empty in-progress file; fails if the name exists. */
  static create<T>(bucketId: string, inProgressPath: string, finalPath: string, now: number, encoder: Encoder<T>): RowPartFile<T> {
    return new RowPartFile(bucketId, inProgressPath, finalPath, now, encoder, openSync(inProgressPath, 'wx'), 0);
  }

  /**
   * Reopens a checkpointed in-progress file, cutting it back to the checkpointed length (bytes
   * written after the checkpoint belong to records that will be replayed).
   */
  static resume<T>(bucketId: string, state: InProgressFileState, now: number, encoder: Encoder<T>): RowPartFile<T> {
    const actual = statSync(state.inProgressPath).size;
    if (actual < state.validLength) {
      throw new Error(`FileSink: in-progress file '${state.inProgressPath}' has ${actual} bytes, fewer than the ${state.validLength} recorded at the checkpoint; data was lost outside the sink`);
    }
    truncateSync(state.inProgressPath, state.validLength);
    const file = new RowPartFile(bucketId, state.inProgressPath, state.finalPath, state.creationTime, encoder, openSync(state.inProgressPath, 'r+'), state.validLength);
    file.lastUpdateTime = now;
    return file;
  }

  /** Bytes in the file including the in-memory batch. */
  get size(): number {
    return this.written + this.pos;
  }

  /** Encodes one record. Synchronous; writes to disk only when the batch is full. */
  append(element: T, now: number): void {
    this.encoder.encode(element, this);
    this.lastUpdateTime = now;
  }

  writeString(s: string): void {
    // A UTF-16 code unit becomes at most 3 UTF-8 bytes.
    if (this.pos + s.length * 3 > BATCH_BYTES) {
      this.writeBatch();
      if (s.length * 3 > BATCH_BYTES) {
        this.writeDirect(Buffer.from(s, 'utf8'));
        return;
      }
    }
    const n = s.length;
    if (n <= SHORT_STRING) {
      // Short ASCII strings: a plain loop beats Buffer#write's native call.
      const batch = this.batch;
      let p = this.pos;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        batch[p++] = c;
      }
      if (i === n) {
        this.pos = p;
        return;
      }
    }
    this.pos += this.batch.write(s, this.pos, 'utf8');
  }

  write(bytes: Uint8Array): void {
    if (this.pos + bytes.length > BATCH_BYTES) {
      this.writeBatch();
      if (bytes.length > BATCH_BYTES) {
        this.writeDirect(bytes);
        return;
      }
    }
    this.batch.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes the in-memory batch to the file (synchronously). */
  writeBatch(): void {
    if (this.pos === 0) return;
    this.writeDirect(this.batch.subarray(0, this.pos));
    this.pos = 0;
  }

  private writeDirect(bytes: Uint8Array): void {
    const fd = this.openFd();
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, this.written + off);
    this.written += bytes.length;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`FileSink: part file '${this.inProgressPath}' was already closed`);
    return this.fd;
  }

  /** Makes everything written so far durable and returns the state to resume from. */
  async persist(): Promise<InProgressFileState> {
    this.writeBatch();
    await fdatasyncAsync(this.openFd());
    return this.snapshot();
  }

  /** The resumable state as of now, writing the batch first (synchronous). */
  snapshot(): InProgressFileState {
    this.writeBatch();
    return { inProgressPath: this.inProgressPath, finalPath: this.finalPath, validLength: this.written, creationTime: this.creationTime };
  }

  /** Stops taking records: writes the batch and closes the descriptor, synchronously. */
  seal(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    this.writeBatch();
    this.batch = EMPTY;
    this.fd = undefined;
    closeSync(fd);
  }

  /** Seals the file if needed, makes it durable, and returns its committable. */
  async closeForCommit(): Promise<FileSinkCommittable> {
    this.seal();
    // fsync through a fresh descriptor flushes the file's data written through the old one.
    const fd = await openAsync(this.inProgressPath, 'r');
    try {
      await fdatasyncAsync(fd);
    } finally {
      await closeAsync(fd);
    }
    return { bucketId: this.bucketId, inProgressPath: this.inProgressPath, finalPath: this.finalPath, size: this.written };
  }

  async abandon(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return;
    this.writeBatch();
    this.fd = undefined;
    await closeAsync(fd);
  }
}

/** Creates and resumes {@link RowPartFile}s writing with `encoder`. */
export class RowPartFileFactory<T> implements PartFileFactory<T> {
  constructor(readonly encoder: Encoder<T>) {}

  create(bucketId: string, inProgressPath: string, finalPath: string, now: number): RowPartFile<T> {
    return RowPartFile.create(bucketId, inProgressPath, finalPath, now, this.encoder);
  }

  readonly resume = (bucketId: string, state: InProgressFileState, now: number): RowPartFile<T> => RowPartFile.resume(bucketId, state, now, this.encoder);
}

const EMPTY = Buffer.alloc(0);
