import type { CheckpointBarrier, CheckpointingMode } from './checkpoint-barrier.js';
import type { InputChannel } from './input-channel.js';

/** Figures a barrier handler hands to the listener when a checkpoint is triggered. */
export interface CheckpointAlignmentMetrics {
  /** From the first barrier of the checkpoint arriving at this task to the last (0 for one channel). */
  readonly alignmentDurationMs: number;
  /** Bytes that were queued in blocked channels when alignment completed (0 in AT_LEAST_ONCE mode). */
  readonly bytesBufferedInBlockedChannels: number;
}

/**
 * Why a task aborts a checkpoint on its input side (Flink's `CheckpointFailureReason`s
 * `CHECKPOINT_DECLINED_SUBSUMED` and `CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER`).
 */
export type CheckpointAbortReason = 'SUBSUMED' | 'CANCELLED_UPSTREAM';

/**
 * What a task registers to learn that its inputs are aligned for a checkpoint (Flink's
 * `CheckpointableTask.triggerCheckpointOnBarrier` / `abortCheckpointOnBarrier`). Called
 * synchronously on the task thread from inside `StreamNetworkInput.processAvailable`.
 */
export interface CheckpointListener {
  /**
   * Every channel of the task (all inputs sharing the handler) delivered the barrier, or ended.
   * Everything before the barrier on every channel has been dispatched; in EXACTLY_ONCE mode
   * nothing after it has. The task must take the synchronous part of its snapshot and
   * broadcast the barrier downstream before returning: the input dispatches post-barrier
   * elements right after. Called once per checkpoint. A throw fails the task (channels are
   * unblocked first).
   */
  triggerCheckpointOnBarrier(barrier: CheckpointBarrier, metrics: CheckpointAlignmentMetrics): void;
  /**
   * The task gives up checkpoint `checkpointId` on its input side: a newer barrier arrived before
   * alignment completed (`SUBSUMED`), or a cancel marker for it arrived (`CANCELLED_UPSTREAM`).
   * The task should decline the checkpoint to the coordinator and forward
   * `RecordWriter.broadcastCancel(checkpointId)`. Called at most once per checkpoint id, and
   * never for an id that was triggered.
   */
  abortCheckpointOnBarrier(checkpointId: number, reason: CheckpointAbortReason): void;
}

/** Counters of a barrier handler (for metrics and tests). */
export interface CheckpointBarrierHandlerStats {
  /** The last checkpoint triggered through the listener (-1 before the first). */
  readonly lastCompletedCheckpointId: number;
  /** Alignment duration of that checkpoint. */
  readonly lastAlignmentDurationMs: number;
  /** The checkpoint being aligned now, or null. */
  readonly pendingCheckpointId: number | null;
  readonly checkpointsTriggered: number;
  readonly checkpointsAborted: number;
  /** Channels blocked now. */
  readonly blockedChannels: number;
  /** Bytes of unread frames queued in blocked channels now. */
  readonly bytesBufferedInBlockedChannels: number;
}

/**
 * Decides, for the channels of one task, when a checkpoint is triggered and which channels are
 * blocked meanwhile (Flink's `CheckpointBarrierHandler`). One handler per task: every
 * `StreamNetworkInput` of the task (both inputs of a two-input task) is given the same handler
 * through `setBarrierHandler` before the task reads anything, so the handler counts all
 * channels of the task and aligns across inputs.
 *
 * Single-threaded: used only on the task thread, from `processAvailable`. The `process*`
 * methods are called by the inputs, not by tasks.
 */
export abstract class CheckpointBarrierHandler {
  /** Channels of all registered inputs. */
  protected totalChannels = 0;
  /** Channels that delivered end of partition. */
  protected readonly endedChannels = new Set<InputChannel>();
  protected lastCompletedId = -1;
  protected lastAlignmentMs = 0;
  protected triggered = 0;
  protected aborted = 0;

  /** @param clock milliseconds, monotonic (default `performance.now`). */
  constructor(
    protected readonly listener: CheckpointListener,
    protected readonly clock: () => number = () => performance.now(),
  ) {}

  /** The mode this handler implements. */
  abstract readonly mode: CheckpointingMode;

  /** @internal An input with `n` channels starts using this handler. */
  registerChannels(n: number): void {
    this.totalChannels += n;
  }

  /** Total channels counted for alignment. */
  get numChannels(): number {
    return this.totalChannels;
  }

  /** @internal A barrier was read from `channel`; the handler may block the channel (`channel.block()`). */
  abstract processBarrier(barrier: CheckpointBarrier, channel: InputChannel): void;

  /** @internal A cancel-checkpoint marker was read from `channel`. */
  abstract processCancel(checkpointId: number, channel: InputChannel): void;

  /** @internal `channel` delivered end of partition: it counts as aligned for every later barrier. */
  processEndOfPartition(channel: InputChannel): void {
    this.endedChannels.add(channel);
    this.channelEnded();
  }

  protected abstract channelEnded(): void;

  /** Unread bytes in blocked channels (0 unless aligning). */
  protected blockedBytes(): number {
    return 0;
  }

  protected blockedCount(): number {
    return 0;
  }

  protected abstract pendingId(): number | null;

  stats(): CheckpointBarrierHandlerStats {
    return {
      lastCompletedCheckpointId: this.lastCompletedId,
      lastAlignmentDurationMs: this.lastAlignmentMs,
      pendingCheckpointId: this.pendingId(),
      checkpointsTriggered: this.triggered,
      checkpointsAborted: this.aborted,
      blockedChannels: this.blockedCount(),
      bytesBufferedInBlockedChannels: this.blockedBytes(),
    };
  }

  /** True when every channel either delivered the barrier (is in `received`) or ended. */
  protected isAligned(received: ReadonlySet<InputChannel>): boolean {
    let n = received.size;
    for (const ch of this.endedChannels) if (!received.has(ch)) n++;
    return n >= this.totalChannels;
  }

  protected notifyTrigger(barrier: CheckpointBarrier, startedAt: number, blockedBytes: number): void {
    this.lastCompletedId = barrier.checkpointId;
    this.lastAlignmentMs = this.clock() - startedAt;
    this.triggered++;
    this.listener.triggerCheckpointOnBarrier(barrier, { alignmentDurationMs: this.lastAlignmentMs, bytesBufferedInBlockedChannels: blockedBytes });
  }

  protected notifyAbort(checkpointId: number, reason: CheckpointAbortReason): void {
    this.aborted++;
    this.listener.abortCheckpointOnBarrier(checkpointId, reason);
  }
}
