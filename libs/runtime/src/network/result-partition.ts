import type { Watermark, WatermarkStatus } from '@riffle/core';
import { resolvedAvailability, type AvailabilityProvider } from './availability.js';
import { BufferPool } from './buffer-pool.js';
import {
  END_OF_PARTITION_FRAME,
  WATERMARK_FRAME,
  WATERMARK_STATUS_FRAME,
  writeEndOfPartitionFrame,
  writeWatermarkFrame,
  writeWatermarkStatusFrame,
} from './element-framing.js';
import { CANCEL_CHECKPOINT_FRAME, CHECKPOINT_BARRIER_FRAME, writeCancelCheckpointFrame, writeCheckpointBarrierFrame, type CheckpointBarrier } from './checkpoint-barrier.js';
import { partitionPoolSize, type NetworkConfig } from './network-config.js';
import type { NetworkCounters } from './network-stats.js';
import { ResultSubpartition, type SubpartitionOwner } from './result-subpartition.js';

/** Record and buffer counts of one result partition (for metrics). */
export interface ResultPartitionStats {
  readonly recordsOut: number;
  readonly buffersOut: number;
  /** Bytes of frames in the buffers sent (not buffer capacity). */
  readonly bytesOut: number;
  readonly buffersInUse: number;
}

/**
 * The output of one producer subtask on one job edge (Flink's `ResultPartition`): one
 * subpartition per connected consumer subtask and one bounded buffer pool. Created by
 * `NetworkEnvironment.createResultPartition`; written through a `RecordWriter`; used only on the
 * thread that created it.
 *
 * Lifecycle: write… → `emitEndOfPartition()` → the partition stays registered until every
 * consumer has consumed its data, then frees itself (`whenFullyConsumed()` resolves). `release()`
 * at any time (failure, cancel) drops everything and tells consumers the producer is gone.
 */
export class ResultPartition implements AvailabilityProvider, SubpartitionOwner {
  /** @internal */
  readonly subpartitions: ResultSubpartition[];
  /** @internal */
  readonly pool: BufferPool;
  /** @internal */
  recordsOut = 0;
  private buffersOut = 0;
  private bytesOut = 0;
  private finished = false;
  private released = false;
  private doneCount = 0;
  private consumedPromise: Promise<void> | null = null;
  private resolveConsumed: (() => void) | null = null;
  private consumed = false;

  /** @internal Created by the NetworkEnvironment. */
  constructor(
    readonly partitionId: string,
    channelIds: readonly string[],
    readonly config: NetworkConfig,
    counters: NetworkCounters,
    private readonly onDispose: (partition: ResultPartition) => void,
  ) {
    if (channelIds.length < 1) throw new Error(`result partition ${partitionId} needs at least one subpartition`);
    this.pool = new BufferPool(
      config.bufferSize,
      partitionPoolSize(config, channelIds.length),
      config.overdraftBuffersPerPartition,
      counters,
      `ResultPartition ${partitionId}`,
    );
    this.subpartitions = channelIds.map((id, i) => new ResultSubpartition(i, id, this.pool, counters, this));
  }

  /** Number of subpartitions (channels). */
  get numSubpartitions(): number {
    return this.subpartitions.length;
  }

  /** True while the pool has a free buffer: the task may start its next unit of work. */
  isAvailable(): boolean {
    return this.pool.isAvailable() || this.released;
  }

  available(): Promise<void> {
    return this.isAvailable() ? resolvedAvailability() : this.pool.notifier.next();
  }

  onAvailable(callback: () => void): () => void {
    return this.pool.notifier.add(callback);
  }

  /** Writes a watermark to every subpartition (not flushed: it leaves with the next buffer). */
  emitWatermark(mark: Watermark): void {
    this.checkWritable();
    for (const sub of this.subpartitions) {
      sub.reserve(WATERMARK_FRAME);
      sub.pos = writeWatermarkFrame(sub.current!, sub.view, sub.pos, mark.timestamp);
    }
  }

  /** Writes a watermark status change to every subpartition. */
  emitWatermarkStatus(status: WatermarkStatus): void {
    this.checkWritable();
    const idle = status === 'IDLE';
    for (const sub of this.subpartitions) {
      sub.reserve(WATERMARK_STATUS_FRAME);
      sub.pos = writeWatermarkStatusFrame(sub.current!, sub.pos, idle);
    }
  }

  /**
   * Writes a checkpoint barrier to every subpartition after everything written so far, then
   * flushes (the barrier leaves now where credit allows, else as soon as credit arrives).
   */
  emitCheckpointBarrier(barrier: CheckpointBarrier): void {
    this.checkWritable();
    for (const sub of this.subpartitions) {
      sub.reserve(CHECKPOINT_BARRIER_FRAME);
      sub.pos = writeCheckpointBarrierFrame(sub.current!, sub.view, sub.pos, barrier);
    }
    this.flushAll();
  }

  /** Writes a cancel-checkpoint marker to every subpartition after everything written so far, then flushes. */
  emitCancelCheckpoint(checkpointId: number): void {
    this.checkWritable();
    for (const sub of this.subpartitions) {
      sub.reserve(CANCEL_CHECKPOINT_FRAME);
      sub.pos = writeCancelCheckpointFrame(sub.current!, sub.view, sub.pos, checkpointId);
    }
    this.flushAll();
  }

  /** Writes end of partition to every subpartition and sends everything (as credit allows). No writes afterwards. */
  emitEndOfPartition(): void {
    this.checkWritable();
    this.finished = true;
    for (const sub of this.subpartitions) {
      sub.reserve(END_OF_PARTITION_FRAME);
      sub.pos = writeEndOfPartitionFrame(sub.current!, sub.pos);
      sub.markFinished();
      sub.finishCurrent();
    }
    this.maybeComplete();
  }

  /** Sends every partly filled buffer now, or as soon as its channel has credit. */
  flushAll(): void {
    for (const sub of this.subpartitions) sub.flush();
  }

  /** True after {@link emitEndOfPartition}. */
  isFinished(): boolean {
    return this.finished;
  }

  /** True after {@link release}. */
  isReleased(): boolean {
    return this.released;
  }

  /**
   * Resolves once end of partition has been emitted and every consumer consumed all data (or
   * left); rejects never. A producer thread that is about to exit waits for this so no data is
   * lost. Never resolves after {@link release}.
   */
  whenFullyConsumed(): Promise<void> {
    if (this.consumed) return resolvedAvailability();
    if (this.consumedPromise === null) {
      this.consumedPromise = new Promise<void>((resolve) => {
        this.resolveConsumed = resolve;
      });
    }
    return this.consumedPromise;
  }

  /**
   * Drops all buffers and unregisters the partition (task failed or cancelled). Consumers that
   * did not yet receive end of partition are told the producer is gone. Idempotent; late
   * messages for this partition are ignored.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const sub of this.subpartitions) sub.release();
    this.pool.release();
    this.onDispose(this);
  }

  stats(): ResultPartitionStats {
    return { recordsOut: this.recordsOut, buffersOut: this.buffersOut, bytesOut: this.bytesOut, buffersInUse: this.pool.buffersInUse() };
  }

  /** @internal */
  bufferFinished(size: number): void {
    this.buffersOut++;
    this.bytesOut += size;
  }

  /** @internal */
  subpartitionDone(_sub: ResultSubpartition): void {
    this.doneCount++;
    this.maybeComplete();
  }

  private maybeComplete(): void {
    if (this.doneCount === this.subpartitions.length && this.finished && !this.released) {
      this.consumed = true;
      this.released = true;
      this.pool.release();
      this.onDispose(this);
      const resolve = this.resolveConsumed;
      this.resolveConsumed = null;
      if (resolve !== null) resolve();
    }
  }

  private checkWritable(): void {
    if (this.finished) throw new Error(`result partition ${this.partitionId}: write after end of partition`);
  }
}
