import type { StreamRecord, Watermark, WatermarkStatus } from '@riffle/core';

/**
 * What a task needs of its network outputs and inputs. The network stack provides them; the
 * task's mailbox loop only ever calls these methods, from the task's thread.
 */
export interface TaskOutputWriter {
  emit(record: StreamRecord<unknown>): void;
  emitWatermark(mark: Watermark): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
  /** Sends partly filled buffers. */
  flushAll(): void;
  /** False while the writer's buffer pool is exhausted (backpressure). */
  isAvailable(): boolean;
  /** Resolves when `isAvailable()` may be true again. */
  available(): Promise<void>;
  /** Writes a checkpoint barrier to every channel, after everything emitted before, and flushes. */
  broadcastBarrier(barrier: import('../network/checkpoint-barrier.js').CheckpointBarrier): void;
  /** Tells every consumer that checkpoint `checkpointId` was abandoned here. */
  broadcastCancel(checkpointId: number): void;
  /** Emits end-of-partition on every channel and flushes. */
  emitEndOfPartition(): void;
  /**
   * Ends the writer. After a normal finish (`discard` false) written data is still delivered;
   * after a failure or cancellation (`discard` true) the partition and its buffers are freed.
   * Safe to call more than once.
   */
  release(discard: boolean): void;
}

/** Receives what a network input delivers; `inputIndex` tells which operator input it feeds. */
export interface TaskInputSink {
  emitRecord(record: StreamRecord<unknown>): void;
  emitWatermark(mark: Watermark): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
}

export type TaskInputStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT';

export interface TaskInput {
  /** Processes up to about `budget` elements into the sink. */
  processAvailable(budget: number): TaskInputStatus;
  /** Resolves when `processAvailable` may make progress again. */
  available(): Promise<void>;
  /** Routes the input's checkpoint barriers to the task's one handler (before the first read). */
  setBarrierHandler(handler: import('../network/checkpoint-barrier-handler.js').CheckpointBarrierHandler): void;
  release(): void;
}

/** Creates a task's network writers and inputs from its deployment descriptor (the network stack implements it). */
export interface TaskNetworkFactory {
  createWriter(args: {
    readonly descriptor: import('../rpc/messages.js').ResultPartitionDeploymentDescriptor;
    readonly partitioner: import('../graph/stream-graph.js').PartitionerSpec;
    readonly serializer: import('@riffle/core').TypeSerializer<unknown>;
    readonly producerIndex: number;
    readonly maxParallelism: number;
    readonly operatorName: string;
    readonly executionId: string;
  }): TaskOutputWriter;
  /** One input per operator input index; several gates (a union) feed one input. */
  createInput(args: {
    readonly gates: ReadonlyArray<import('../rpc/messages.js').InputGateDeploymentDescriptor>;
    readonly serializer: import('@riffle/core').TypeSerializer<unknown>;
    readonly sink: TaskInputSink;
    readonly subtaskIndex: number;
    readonly executionId: string;
  }): TaskInput;
}
