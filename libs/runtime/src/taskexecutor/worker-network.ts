import type { MessagePort } from 'node:worker_threads';
import type { StreamRecord, Watermark, WatermarkStatus } from '@riffle/core';
import {
  networkChannelId,
  NetworkEnvironment,
  type CheckpointBarrier,
  type CheckpointBarrierHandler,
  type RecordWriter,
  type StreamNetworkInput,
} from '../network/index.js';
import type { InputGateDeploymentDescriptor } from '../rpc/messages.js';
import type { TaskInput, TaskInputSink, TaskNetworkFactory, TaskOutputWriter } from '../tasks/task-io.js';

/**
 * The network stack of one slot's worker thread, seen from the tasks: turns the deployment
 * descriptors the JobMaster made into result partitions and input gates of the thread's
 * {@link NetworkEnvironment}. Threads are named by their slot's allocation id.
 */
export class WorkerNetwork implements TaskNetworkFactory {
  readonly environment: NetworkEnvironment;

  constructor(readonly threadId: string) {
    this.environment = new NetworkEnvironment(threadId);
  }

  private readonly ports: MessagePort[] = [];

  addPeer(peerThreadId: string, port: MessagePort): void {
    this.ports.push(port);
    this.environment.addPeer(peerThreadId, port);
  }

  createWriter(args: Parameters<TaskNetworkFactory['createWriter']>[0]): TaskOutputWriter {
    const { descriptor, producerIndex } = args;
    const scope = channelScope(args.executionId);
    const writer = this.environment.createRecordWriter(
      {
        partitionId: `${scope}|${descriptor.jobEdgeId}|${producerIndex}`,
        subpartitions: descriptor.consumers.map((c) => ({
          channelId: networkChannelId(scope, descriptor.jobEdgeId, producerIndex, c.subtaskIndex),
          consumerThreadId: c.location.allocationId,
        })),
      },
      {
        serializer: args.serializer,
        partitioner: args.partitioner,
        maxParallelism: args.maxParallelism,
        producerSubtask: producerIndex,
        operatorName: args.operatorName,
      },
    );
    return new WriterAdapter(writer);
  }

  createInput(args: Parameters<TaskNetworkFactory['createInput']>[0]): TaskInput {
    const scope = channelScope(args.executionId);
    const input = this.environment.createNetworkInput(
      args.gates.map((g: InputGateDeploymentDescriptor) => ({
        gateId: `${scope}|${g.jobEdgeId}|in${args.subtaskIndex}`,
        channels: g.producers.map((p) => ({
          channelId: networkChannelId(scope, g.jobEdgeId, p.subtaskIndex, args.subtaskIndex),
          producerThreadId: p.location.allocationId,
        })),
      })),
      args.serializer,
    );
    return new InputAdapter(input, args.sink);
  }

  /** Releases everything and closes the ports to the peers, so the thread can exit. */
  close(): void {
    this.environment.close();
    for (const p of this.ports) p.close();
  }
}

/**
 * Channel ids are scoped by job and attempt, so that late messages of a cancelled attempt never
 * reach the next one. Execution ids are `<vertex>_<subtask>_<attempt>`; the job id is implied by
 * the thread, which serves one job.
 */
function channelScope(executionId: string): string {
  const attempt = executionId.slice(executionId.lastIndexOf('_') + 1);
  return `a${attempt}`;
}

class WriterAdapter implements TaskOutputWriter {
  constructor(private readonly writer: RecordWriter<unknown>) {}
  emit(record: StreamRecord<unknown>): void {
    this.writer.emit(record);
  }
  emitWatermark(mark: Watermark): void {
    this.writer.emitWatermark(mark);
  }
  emitWatermarkStatus(status: WatermarkStatus): void {
    this.writer.emitWatermarkStatus(status);
  }
  flushAll(): void {
    this.writer.flushAll();
  }
  isAvailable(): boolean {
    return this.writer.isAvailable();
  }
  available(): Promise<void> {
    return this.writer.available();
  }
  broadcastBarrier(barrier: CheckpointBarrier): void {
    this.writer.broadcastBarrier(barrier);
  }
  broadcastCancel(checkpointId: number): void {
    this.writer.broadcastCancel(checkpointId);
  }
  emitEndOfPartition(): void {
    this.writer.emitEndOfPartition();
  }
  release(discard: boolean): void {
    this.writer.close();
    if (discard) this.writer.partition.release();
  }
}

class InputAdapter implements TaskInput {
  constructor(
    private readonly input: StreamNetworkInput<unknown>,
    private readonly output: TaskInputSink,
  ) {}
  processAvailable(budget: number) {
    return this.input.processAvailable(this.output, budget);
  }
  available(): Promise<void> {
    return this.input.available();
  }
  setBarrierHandler(handler: CheckpointBarrierHandler): void {
    this.input.setBarrierHandler(handler);
  }
  release(): void {
    this.input.release();
  }
}
