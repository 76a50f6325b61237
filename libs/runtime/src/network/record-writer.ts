import { NO_TIMESTAMP, OutputShapeTable } from '@riffle/core';
import type { StreamRecord, TypeSerializer, Watermark, WatermarkStatus } from '@riffle/core';
import type { AvailabilityProvider } from './availability.js';
import type { ChannelSelector } from './channel-selector.js';
import type { CheckpointBarrier } from './checkpoint-barrier.js';
import { RECORD_HEADER, RECORD_WITH_TIMESTAMP_HEADER, TAG_RECORD, TAG_RECORD_WITH_TIMESTAMP } from './element-framing.js';
import { FrameWriter } from './frame-writer.js';
import type { ResultPartition } from './result-partition.js';
import type { ResultSubpartition } from './result-subpartition.js';

/**
 * Serializes a task's output records into a {@link ResultPartition} (Flink's `RecordWriter`).
 * Owned by one task and called only on its thread, from the task's mailbox.
 *
 * Nothing here blocks or returns a promise per record. `emit` never fails for lack of buffers;
 * instead `isAvailable()` turns false once the partition's pool is exhausted, and the task must
 * check it (or await `available()`) before starting its next unit of work (reading the next input
 * element batch, polling the source). Within one unit of work the writer draws on a bounded
 * overdraft; a task that ignores availability still works but loses the memory bound.
 *
 * Partly filled buffers leave only when full, on `flushAll()`, or with end of partition: the task
 * calls `flushAll()` when it goes idle and on its buffer-timeout timer, including while it waits
 * for `available()` (a consumer may be waiting for exactly that partial buffer).
 *
 * Errors thrown by the serializer or the channel selector (e.g. a key selector returning
 * undefined) propagate out of `emit`; the record is not written and the task should fail.
 *
 * Each channel has its own {@link OutputShapeTable} (a broadcast writer one for all, as every
 * channel gets the same frames), handed to the serializer through the frame writer, so that
 * repeated object key lists cross the channel once (see `@riffle/core`'s `object-shapes.ts`).
 */
export class RecordWriter<T> implements AvailabilityProvider {
  private readonly writer = new FrameWriter();
  private readonly subs: readonly ResultSubpartition[];
  private readonly bufferSize: number;
  private readonly broadcast: boolean;
  /** Shape table per channel; a broadcast writer uses entry 0 for all of them. */
  private readonly shapes: OutputShapeTable[];
  private closed = false;

  constructor(
    readonly partition: ResultPartition,
    private readonly serializer: TypeSerializer<T>,
    private readonly selector: ChannelSelector<T>,
  ) {
    this.subs = partition.subpartitions;
    this.bufferSize = partition.config.bufferSize;
    this.broadcast = selector.isBroadcast;
    this.shapes = Array.from({ length: this.broadcast ? 1 : this.subs.length }, () => new OutputShapeTable());
  }

  /** Serializes `record` (value and timestamp) into the channel the selector picks, or all for broadcast. */
  emit(record: StreamRecord<T>): void {
    if (this.closed) this.throwClosed();
    if (this.broadcast) {
      this.broadcastRecord(record);
    } else {
      const channel = this.selector.selectChannel(record.value);
      this.writeRecord(this.subs[channel]!, this.shapes[channel]!, record);
    }
    this.partition.recordsOut++;
  }

  private writeRecord(sub: ResultSubpartition, shapes: OutputShapeTable, record: StreamRecord<T>): void {
    if (sub.current === null) sub.newBuffer();
    const w = this.writer;
    const cur = sub.current!;
    w.begin(cur, sub.view, sub.pos, cur.byteLength);
    this.writeHeader(w, record.timestamp);
    this.serialize(record.value, w, shapes);
    const payload = w.pos - w.frameStart - w.headerSize;
    w.view.setUint32(w.frameStart + 1, payload, true);
    if (!w.spilled) {
      sub.pos = w.pos;
      return;
    }
    this.placeFrame(sub, w.buf, w.pos);
  }

  /**
   * Serializes into the current frame with `shapes` as the channel's table. A record that fails
   * half way is not sent, so the shapes it defined are forgotten again (the reader never saw them).
   */
  private serialize(value: T, w: FrameWriter, shapes: OutputShapeTable): void {
    w.shapes = shapes;
    const mark = shapes.size;
    try {
      this.serializer.serialize(value, w);
    } catch (e) {
      shapes.truncate(mark);
      throw e;
    }
  }

  private writeHeader(w: FrameWriter, timestamp: number): void {
    if (timestamp === NO_TIMESTAMP) {
      w.headerSize = RECORD_HEADER;
      w.ensure(RECORD_HEADER);
      w.buf[w.pos] = TAG_RECORD;
      w.pos += RECORD_HEADER;
    } else {
      w.headerSize = RECORD_WITH_TIMESTAMP_HEADER;
      w.ensure(RECORD_WITH_TIMESTAMP_HEADER);
      w.buf[w.pos] = TAG_RECORD_WITH_TIMESTAMP;
      w.view.setFloat64(w.pos + 5, timestamp, true);
      w.pos += RECORD_WITH_TIMESTAMP_HEADER;
    }
  }

  /** Copies the frame `frame[0, len)` into `sub`, in a fresh buffer or a dedicated oversized one. */
  private placeFrame(sub: ResultSubpartition, frame: Uint8Array, len: number): void {
    if (len <= this.bufferSize) {
      sub.reserve(len);
      sub.current!.set(frame.subarray(0, len), sub.pos);
      sub.pos += len;
      return;
    }
    sub.finishCurrent(); // keep order: what was written before goes first
    const big = this.partition.pool.requestOversized(len);
    big.set(frame.subarray(0, len), 0);
    sub.enqueueOversized(big, len);
  }

  private broadcastRecord(record: StreamRecord<T>): void {
    const w = this.writer;
    w.beginScratch();
    this.writeHeader(w, record.timestamp);
    this.serialize(record.value, w, this.shapes[0]!);
    w.view.setUint32(1, w.pos - w.headerSize, true);
    for (const sub of this.subs) this.placeFrame(sub, w.buf, w.pos);
  }

  /** Writes a watermark to every channel. */
  emitWatermark(mark: Watermark): void {
    if (this.closed) this.throwClosed();
    this.partition.emitWatermark(mark);
  }

  /** Writes a watermark status change (ACTIVE/IDLE) to every channel. */
  emitWatermarkStatus(status: WatermarkStatus): void {
    if (this.closed) this.throwClosed();
    this.partition.emitWatermarkStatus(status);
  }

  /**
   * Writes `barrier` to every channel, after every record emitted before (it never overtakes and
   * is never dropped), and flushes all channels so the barrier is not held back by a partly
   * filled buffer. Called by the task after it snapshotted its state for the checkpoint (Flink:
   * `broadcastEvent(barrier)` in `SubtaskCheckpointCoordinator.checkpointState`). Never blocks;
   * a barrier is written even when the writer is unavailable (it counts against the overdraft).
   */
  broadcastBarrier(barrier: CheckpointBarrier): void {
    if (this.closed) this.throwClosed();
    this.partition.emitCheckpointBarrier(barrier);
  }

  /** Writes a cancel-checkpoint marker for `checkpointId` to every channel, in order with records, and flushes. */
  broadcastCancel(checkpointId: number): void {
    if (this.closed) this.throwClosed();
    this.partition.emitCancelCheckpoint(checkpointId);
  }

  /** Writes end of partition to every channel and sends everything; the writer accepts nothing afterwards. */
  emitEndOfPartition(): void {
    if (this.closed) this.throwClosed();
    this.partition.emitEndOfPartition();
  }

  /** Sends partly filled buffers (now where credit allows, else as soon as it arrives). */
  flushAll(): void {
    if (!this.partition.isFinished()) this.partition.flushAll();
  }

  isAvailable(): boolean {
    return this.partition.isAvailable();
  }

  available(): Promise<void> {
    return this.partition.available();
  }

  onAvailable(callback: () => void): () => void {
    return this.partition.onAvailable(callback);
  }

  /**
   * Flushes and closes the writer; later `emit*` calls throw. Data already written is still
   * delivered. Does not release the partition: call `partition.release()` on failure or cancel.
   */
  close(): void {
    if (this.closed) return;
    this.flushAll();
    this.closed = true;
  }

  private throwClosed(): never {
    throw new Error(`RecordWriter of ${this.partition.partitionId} is closed`);
  }
}
