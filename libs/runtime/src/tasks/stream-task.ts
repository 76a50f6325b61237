import {
  getLogger,
  Watermark,
  type InputStatus,
  type OneInputStreamOperator,
  type SourceReader,
  type StreamRecord,
  type WatermarkStatus,
  type WatermarkStrategy,
  type SourceReaderContext,
  type SourceSplit,
  type StreamOperator,
  type TwoInputStreamOperator,
  SplitListSerializer,
  MetricRegistryGroup,
} from '@riffle/core';
import type { JobGraph, JobVertex } from '../graph/job-graph.js';
import { getJobEdge } from '../graph/job-graph.js';
import type { StreamGraph } from '../graph/stream-graph.js';
import type { CheckpointEvent, OperatorEvent, TaskEvent } from '../rpc/gateways.js';
import type { SerializedError, TaskDeploymentDescriptor } from '../rpc/messages.js';
import { serializeError } from '../rpc/messages.js';
import { ChainedOperatorTarget, ChainOutput, NetworkTarget, type OutputTarget } from './chain-outputs.js';
import { CHECKPOINTING_ENABLED, Mailbox, MAILBOX_EXECUTOR, yieldToEventLoop, type MailboxExecutor } from './mailbox.js';
import { MailboxProcessingTimeService, PROCESSING_TIME_SERVICE } from './processing-time-service.js';
import { tagOperatorError } from './operator-error.js';
import { StreamingRuntimeContext } from './runtime-context.js';
import { SourceDriver } from './source-driver.js';
import type { TaskInput, TaskNetworkFactory, TaskOutputWriter } from './task-io.js';
import { SubtaskCheckpointCoordinator } from './subtask-checkpoint-coordinator.js';
import { createCheckpointBarrierHandler } from '../network/create-barrier-handler.js';
import { restoreTaskState } from './task-state-restore.js';
import { encodeVersionedBlob, READER_STATE_MAGIC } from '../checkpoint/snapshot/versioned-blob.js';

const log = getLogger('StreamTask');

/** Time a task works before it yields to the event loop, ms. */
const YIELD_AFTER_MS = 4;
/** Elements a network input processes per step. */
const INPUT_BUDGET = 4096;

/** How a task reports to its TaskExecutor. */
export interface TaskReporter {
  state(state: 'INITIALIZING' | 'RUNNING' | 'FINISHED' | 'CANCELED' | 'FAILED', error?: SerializedError): void;
  event(event: TaskEvent): void;
}

interface ChainMember {
  readonly nodeId: number;
  readonly uid: string;
  readonly name: string;
  readonly operator: StreamOperator<unknown>;
}

/**
 * One subtask of a JobVertex: its operator chain, its network inputs and outputs, and the
 * mailbox loop that drives them (Flink's StreamTask). Runs in a slot's worker thread; several
 * tasks share the thread and interleave at their yields. Lifecycle: build chain → open
 * (tail first) → RUNNING → process input until it ends → finish (head first) → end-of-partition
 * → wait until consumers have the data → close → FINISHED. A failure closes what was opened and
 * reports FAILED with the error, tagged with the operator it came from.
 */
export class StreamTask {
  private readonly mailbox = new Mailbox();
  /** The metrics of every operator of the chain, each in its own group (named after the operator). */
  private readonly metrics = MetricRegistryGroup.root();
  private readonly chain: ChainMember[] = [];
  private readonly writers: TaskOutputWriter[] = [];
  private readonly inputs: TaskInput[] = [];
  private source?: SourceDriver<unknown>;
  private readonly time = new MailboxProcessingTimeService((mail) => this.mailbox.put(mail));
  /** Set while an operator holds the task's input back (see MailboxExecutor.holdInputUntil). */
  private inputHold: Promise<void> | undefined;
  private readonly mailboxExecutor: MailboxExecutor = {
    execute: (mail) => this.mailbox.put(mail),
    holdInputUntil: (until) => {
      const hold: Promise<void> = until.then(
        () => this.releaseHold(hold),
        () => this.releaseHold(hold),
      );
      this.inputHold = hold;
    },
  };
  private cancelled = false;
  private lastFlush = 0;
  private checkpoints?: SubtaskCheckpointCoordinator;
  /** Splits the reader gets back from the restored checkpoint, before it starts. */
  private restoredSplits: SourceSplit[] = [];

  constructor(
    private readonly tdd: TaskDeploymentDescriptor,
    private readonly vertex: JobVertex,
    private readonly jobGraph: JobGraph,
    private readonly streamGraph: StreamGraph,
    private readonly network: TaskNetworkFactory,
    private readonly services: ReadonlyMap<string, unknown>,
    private readonly reporter: TaskReporter,
  ) {}

  get executionId(): string {
    return this.tdd.executionId;
  }

  /** Asks the task to stop; it closes its operators and reports CANCELED. */
  cancel(): void {
    this.mailbox.put(() => {
      this.cancelled = true;
      this.checkpoints?.cancelFinalCheckpoint(new Error('the task was cancelled while waiting for its final checkpoint'));
    });
  }

  /** Delivers a checkpoint control message from the JobMaster as a mail. */
  deliverCheckpointEvent(event: CheckpointEvent): void {
    this.mailbox.put(() => this.checkpoints?.onEvent(event, this.source !== undefined));
  }

  /** Delivers an event from the JobMaster (split assignment) as a mail. */
  deliverOperatorEvent(event: OperatorEvent): void {
    this.mailbox.put(() => this.handleOperatorEvent(event));
  }

  async run(): Promise<void> {
    let opened = 0;
    try {
      this.reporter.state('INITIALIZING');
      this.build();
      const restored = await restoreTaskState({
        restore: this.tdd.restore,
        chain: this.chain,
        subtaskIndex: this.tdd.subtaskIndex,
        parallelism: this.tdd.parallelism,
        splitSerializer: this.source ? this.streamGraph.getNode(this.vertex.headNodeId).source!.getSplitSerializer() : undefined,
      });
      this.restoredSplits = restored.splits;
      this.setUpCheckpointing();
      // Open from the tail, so that downstream operators are ready before upstream ones emit.
      for (let i = this.chain.length - 1; i >= 0; i--) {
        const member = this.chain[i]!;
        try {
          await member.operator.open();
        } catch (e) {
          throw tagOperatorError(e, member.name);
        }
        opened++;
      }
      if (this.source) await this.startSource();
      this.reporter.state('RUNNING');
      const ended = await this.processUntilEnd();
      if (ended) this.checkpoints?.endOfInput();
      if (!ended) {
        await this.cleanUp(opened, true);
        this.reportEnd('CANCELED');
        return;
      }
      for (const member of this.chain) {
        try {
          await this.whileRunningMails(member.operator.finish());
        } catch (e) {
          throw tagOperatorError(e, member.name);
        }
      }
      // A two-phase committing sink commits its last committables with one more checkpoint
      // (Flink's final checkpoint), so that no later restore replays records it committed.
      if (this.checkpoints && this.chain.some((m) => m.operator.awaitsFinalCheckpoint?.() === true)) {
        await this.whileRunningMails(this.checkpoints.awaitFinalCheckpoint());
      }
      // The partitions stay registered in the thread until their consumers have read everything
      // (the job cannot finish before its consumers do), so the task may finish right away.
      for (const w of this.writers) w.emitEndOfPartition();
      await this.cleanUp(opened, false);
      this.reportEnd('FINISHED');
    } catch (e) {
      if (this.cancelled) {
        await this.cleanUp(opened, true);
        this.reportEnd('CANCELED');
        return;
      }
      log.debug(`task ${this.vertex.name} (${this.tdd.subtaskIndex + 1}) failed: ${String(e)}`);
      // Report before releasing the partitions, so that the JobMaster hears the cause before the
      // consumers' consequent failures.
      this.reportEnd('FAILED', serializeError(e, { subtaskIndex: this.tdd.subtaskIndex, taskName: this.vertex.name }));
      await this.cleanUp(opened, true);
    }
  }

  // --- construction ---

  /** Reports the task's metrics, then its terminal state (the JobMaster keeps the metrics of the last attempt). */
  private reportEnd(state: 'FINISHED' | 'CANCELED' | 'FAILED', error?: SerializedError): void {
    const values = this.metrics.snapshot();
    if (Object.keys(values).length > 0) this.reporter.event({ kind: 'metrics', values });
    this.reporter.state(state, error);
  }

  private build(): void {
    const byNode = new Map<number, OutputTarget[]>();
    const operators = new Map<number, StreamOperator<unknown>>();
    // Create operators and wire outputs from the tail of the chain to its head.
    const nodes = this.vertex.chainedNodes;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const chained = nodes[i]!;
      const node = this.streamGraph.getNode(chained.nodeId);
      const targets: OutputTarget[] = [];
      for (const out of chained.chainedOutputs) {
        const target = operators.get(out.targetNodeId) as OneInputStreamOperator<unknown, unknown>;
        targets.push(new ChainedOperatorTarget(target, this.streamGraph.getNode(out.targetNodeId).name, out.sideOutputTag));
      }
      for (const edgeId of chained.networkOutputs) {
        const jobEdge = getJobEdge(this.jobGraph, edgeId);
        const streamEdge = this.streamGraph.getEdge(jobEdge.streamEdgeId);
        const descriptor = this.tdd.outputs.find((o) => o.jobEdgeId === edgeId);
        if (!descriptor) throw new Error(`task ${this.vertex.name}: no deployment for output ${edgeId}`);
        const serializer =
          jobEdge.sideOutputTag !== undefined
            ? (node.sideOutputSerializers.get(jobEdge.sideOutputTag) ?? node.outputSerializer)
            : node.outputSerializer;
        const target = this.streamGraph.getNode(jobEdge.targetNodeId);
        const writer = this.network.createWriter({
          descriptor,
          partitioner: streamEdge.partitioner,
          serializer,
          producerIndex: this.tdd.subtaskIndex,
          maxParallelism: target.maxParallelism,
          operatorName: node.name,
          executionId: this.tdd.executionId,
        });
        this.writers.push(writer);
        targets.push(new NetworkTarget(writer, jobEdge.sideOutputTag));
      }
      byNode.set(chained.nodeId, targets);
      const output = new ChainOutput<unknown>(targets);
      const context = new StreamingRuntimeContext(
        node.name,
        this.tdd.subtaskIndex,
        this.tdd.parallelism,
        node.maxParallelism,
        this.tdd.attemptNumber,
        this.tdd.jobId,
        this.metrics.addGroup(node.name),
      );
      if (node.kind === 'source') {
        const reader = node.source!.createReader(this.readerContext()) as SourceReader<unknown, SourceSplit>;
        const strategy = node.properties.get('watermarkStrategy') as WatermarkStrategy<unknown> | undefined;
        this.source = new SourceDriver(reader, output, node.name, strategy, this.time);
        this.chain.unshift({ nodeId: node.id, uid: chained.uid, name: node.name, operator: new SourceReaderOperator(reader) });
        continue;
      }
      const operator = node.operatorFactory!();
      operator.setup({ output, runtimeContext: context, keySelectors: node.keySelectors, services: this.operatorServices() });
      // State (fresh or restored) is initialized after the chain is built, before open.
      operators.set(node.id, operator);
      this.chain.unshift({ nodeId: node.id, uid: chained.uid, name: node.name, operator });
    }
    if (!this.vertex.isSource) this.buildInputs();
  }

  private buildInputs(): void {
    const head = this.chain[0]!;
    const headNode = this.streamGraph.getNode(head.nodeId);
    for (const inputIndex of [0, 1] as const) {
      const gates = this.tdd.inputs.filter((g) => g.inputIndex === inputIndex);
      if (gates.length === 0) continue;
      const serializer = this.inputSerializer(gates[0]!.jobEdgeId);
      let sink;
      if (headNode.inputCount === 2) {
        const op = head.operator as TwoInputStreamOperator<unknown, unknown, unknown>;
        sink =
          inputIndex === 0
            ? {
                emitRecord: (r: StreamRecord<unknown>) => op.processElement1(r),
                emitWatermark: (m: Watermark) => op.processWatermark1(m),
                emitWatermarkStatus: (s: WatermarkStatus) => op.processWatermarkStatus1(s),
              }
            : {
                emitRecord: (r: StreamRecord<unknown>) => op.processElement2(r),
                emitWatermark: (m: Watermark) => op.processWatermark2(m),
                emitWatermarkStatus: (s: WatermarkStatus) => op.processWatermarkStatus2(s),
              };
      } else {
        const op = head.operator as OneInputStreamOperator<unknown, unknown>;
        sink = {
          emitRecord: (r: StreamRecord<unknown>) => op.processElement(r),
          emitWatermark: (m: Watermark) => op.processWatermark(m),
          emitWatermarkStatus: (s: WatermarkStatus) => op.processWatermarkStatus(s),
        };
      }
      this.inputs.push(
        this.network.createInput({ gates, serializer, sink, subtaskIndex: this.tdd.subtaskIndex, executionId: this.tdd.executionId }),
      );
    }
  }

  private inputSerializer(jobEdgeId: string) {
    const edge = getJobEdge(this.jobGraph, jobEdgeId);
    const producer = this.streamGraph.getNode(edge.sourceNodeId);
    return edge.sideOutputTag !== undefined
      ? (producer.sideOutputSerializers.get(edge.sideOutputTag) ?? producer.outputSerializer)
      : producer.outputSerializer;
  }

  /**
   * Awaits `work` while still running mails, so that an operator finishing asynchronous work
   * (async I/O completions, timers) can have its mails executed meanwhile.
   */
  private async whileRunningMails<T>(work: T | Promise<T>): Promise<T> {
    if (!(work instanceof Promise)) return work;
    let done = false;
    const result = work.finally(() => {
      done = true;
      this.mailbox.put(() => {});
    });
    while (!done) {
      await this.mailbox.signal();
      this.mailbox.runMails();
    }
    return result;
  }

  private releaseHold(hold: Promise<void>): void {
    if (this.inputHold === hold) this.inputHold = undefined;
    this.mailbox.put(() => {}); // wake the loop
  }

  /** The runtime services operators find in their setup parameters. */
  private operatorServices(): ReadonlyMap<string, unknown> {
    const services = new Map(this.services);
    services.set(PROCESSING_TIME_SERVICE, this.time);
    services.set(MAILBOX_EXECUTOR, this.mailboxExecutor);
    // Only periodic checkpoints are sure to come: savepoints alone would leave a final checkpoint waiting.
    if (this.tdd.checkpointing?.periodic) services.set(CHECKPOINTING_ENABLED, true);
    return services;
  }

  private readerContext(): SourceReaderContext {
    const subtask = this.tdd.subtaskIndex;
    return {
      getIndexOfSubtask: () => subtask,
      currentParallelism: () => this.tdd.parallelism,
      sendSplitRequest: () => this.reporter.event({ kind: 'split-request', subtaskIndex: subtask }),
      sendSourceEventToCoordinator: (event) => this.reporter.event({ kind: 'source-event', subtaskIndex: subtask, event }),
    };
  }

  /** With checkpointing: the task's checkpoint coordinator, and one barrier handler over all inputs. */
  private setUpCheckpointing(): void {
    const cp = this.tdd.checkpointing;
    if (!cp) return;
    const node = this.streamGraph.getNode(this.vertex.headNodeId);
    const reader = this.source?.reader;
    const splitList = reader ? new SplitListSerializer(node.source!.getSplitSerializer()) : undefined;
    this.checkpoints = new SubtaskCheckpointCoordinator({
      jobId: this.tdd.jobId,
      subtaskIndex: this.tdd.subtaskIndex,
      taskName: this.vertex.name,
      chain: this.chain,
      writers: this.writers,
      reader: reader
        ? {
            uid: this.chain[0]!.uid,
            snapshot: (id) => encodeVersionedBlob(READER_STATE_MAGIC, splitList!, reader.snapshotState(id)),
            notifyCheckpointComplete: (id) => reader.notifyCheckpointComplete?.(id),
          }
        : undefined,
      report: (event) => this.reporter.event(event),
      fail: (error) =>
        this.mailbox.put(() => {
          throw error;
        }),
    });
    if (this.inputs.length > 0) {
      const handler = createCheckpointBarrierHandler(cp.mode, this.checkpoints);
      for (const input of this.inputs) input.setBarrierHandler(handler);
    }
  }

  private async startSource(): Promise<void> {
    // Restored splits first, as in Flink's SourceOperator; then register: a reader typically asks for a split from start().
    if (this.restoredSplits.length > 0) this.source!.reader.addSplits(this.restoredSplits);
    this.reporter.event({ kind: 'reader-registered', subtaskIndex: this.tdd.subtaskIndex });
    await this.source!.reader.start();
    this.source!.startPeriodicEmission(this.jobGraph.config.autoWatermarkIntervalMs);
  }

  private handleOperatorEvent(event: OperatorEvent): void {
    const reader = this.source?.reader;
    if (!reader) return;
    const node = this.streamGraph.getNode(this.vertex.headNodeId);
    switch (event.kind) {
      case 'add-splits': {
        const serializer = node.source!.getSplitSerializer();
        reader.addSplits(event.splits.map((s) => serializer.deserialize(s.version, s.bytes)));
        break;
      }
      case 'no-more-splits':
        reader.notifyNoMoreSplits();
        break;
      case 'source-event':
        reader.handleSourceEvents?.(event.event);
        break;
    }
  }

  // --- the mailbox loop ---

  /** Processes input until it ends (true) or the task is cancelled (false). */
  private async processUntilEnd(): Promise<boolean> {
    const mailbox = this.mailbox;
    const bufferTimeout = this.jobGraph.config.bufferTimeoutMs;
    let sliceStart = performance.now();
    this.lastFlush = sliceStart;
    let nextInput = 0;
    for (;;) {
      if (mailbox.hasMail()) mailbox.runMails();
      if (this.cancelled) return false;

      if (this.inputHold) {
        this.flushAll();
        await Promise.race([this.inputHold, mailbox.signal()]);
        sliceStart = performance.now();
        continue;
      }

      const blocked = this.blockedWriter();
      if (blocked) {
        this.flushAll();
        await Promise.race([blocked.available(), mailbox.signal()]);
        sliceStart = performance.now();
        continue;
      }

      let status: InputStatus | 'MORE_AVAILABLE';
      let waitFor: Promise<void> | undefined;
      if (this.source) {
        status = this.source.poll();
        if (status === 'NOTHING_AVAILABLE') waitFor = this.source.reader.isAvailable();
      } else {
        status = 'NOTHING_AVAILABLE';
        const n = this.inputs.length;
        let ended = 0;
        let waiting: TaskInput[] | undefined;
        for (let k = 0; k < n; k++) {
          const input = this.inputs[(nextInput + k) % n]!;
          const s = this.processInput(input);
          if (s === 'END_OF_INPUT') ended++;
          else if (s === 'MORE_AVAILABLE') {
            status = 'MORE_AVAILABLE';
            nextInput = (nextInput + k + 1) % n;
            break;
          } else (waiting ??= []).push(input);
        }
        if (ended === n) status = 'END_OF_INPUT';
        // Wait only for inputs that still expect data: an ended input is always "available".
        else if (status === 'NOTHING_AVAILABLE') waitFor = Promise.race(waiting!.map((i) => i.available()));
      }

      if (status === 'END_OF_INPUT') {
        if (this.source) this.source.emitFinalWatermark();
        return true;
      }
      const now = performance.now();
      if (now - this.lastFlush >= bufferTimeout) this.flushAll(now);
      if (waitFor) {
        this.flushAll(now);
        await Promise.race([waitFor, mailbox.signal()]);
        sliceStart = performance.now();
      } else if (now - sliceStart >= YIELD_AFTER_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  private processInput(input: TaskInput) {
    try {
      return input.processAvailable(INPUT_BUDGET);
    } catch (e) {
      throw tagOperatorError(e, this.chain[0]!.name);
    }
  }

  private blockedWriter(): TaskOutputWriter | undefined {
    const ws = this.writers;
    for (let i = 0; i < ws.length; i++) if (!ws[i]!.isAvailable()) return ws[i];
    return undefined;
  }

  private flushAll(now = performance.now()): void {
    this.lastFlush = now;
    for (const w of this.writers) w.flushAll();
  }

  private async cleanUp(opened: number, discard: boolean): Promise<void> {
    this.source?.stop();
    this.time.close();
    // Operators were opened from the tail: close exactly the `opened` ones, once each.
    for (let i = this.chain.length - 1, k = 0; i >= 0 && k < opened; i--, k++) {
      const member = this.chain[i]!;
      try {
        await member.operator.close();
      } catch (e) {
        log.warn(`closing ${member.name} failed: ${String(e)}`);
      }
    }
    if (this.source && opened === 0) {
      try {
        await this.source.reader.close();
      } catch {
        // the reader was never started
      }
    }
    for (const w of this.writers) w.release(discard);
    for (const i of this.inputs) i.release();
  }
}

/** Gives the source reader an operator lifecycle inside the chain (open is a no-op; close closes the reader). */
class SourceReaderOperator implements StreamOperator<unknown> {
  constructor(private readonly reader: SourceReader<unknown, SourceSplit>) {}
  setup(): void {}
  open(): void {}
  finish(): void {}
  close(): void | Promise<void> {
    return this.reader.close();
  }
}
