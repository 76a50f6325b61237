import type { CheckpointBarrier, CheckpointingMode } from './checkpoint-barrier.js';
import { CheckpointBarrierHandler } from './checkpoint-barrier-handler.js';
import type { InputChannel } from './input-channel.js';

interface Pending {
  readonly barrier: CheckpointBarrier;
  readonly received: Set<InputChannel>;
  readonly startedAt: number;
}

/**
 * AT_LEAST_ONCE checkpoints (Flink's `CheckpointBarrierTracker`): never blocks a channel; counts
 * the barriers of each checkpoint and calls `triggerCheckpointOnBarrier` once the barrier arrived
 * on every channel of the task that has not ended. Records after a barrier on a fast channel are
 * processed before the checkpoint is taken, so on recovery they may be seen twice.
 *
 * Triggering checkpoint n drops older checkpoints still counting (aborted as `SUBSUMED`); a
 * cancel marker aborts its checkpoint (and older ones); barriers of checkpoints already
 * triggered or aborted are ignored.
 */
export class CheckpointBarrierTracker extends CheckpointBarrierHandler {
  readonly mode: CheckpointingMode = 'AT_LEAST_ONCE';
  private readonly pending = new Map<number, Pending>();
  /** Newest id triggered or aborted. */
  private latestDone = Number.NEGATIVE_INFINITY;

  /** @internal */
  processBarrier(barrier: CheckpointBarrier, channel: InputChannel): void {
    const id = barrier.checkpointId;
    if (id <= this.latestDone) return;
    let p = this.pending.get(id);
    if (p === undefined) {
      p = { barrier, received: new Set(), startedAt: this.clock() };
      this.pending.set(id, p);
    }
    p.received.add(channel);
    if (this.isAligned(p.received)) this.finish(p);
  }

  /** @internal */
  processCancel(checkpointId: number, _channel: InputChannel): void {
    if (checkpointId <= this.latestDone) return;
    this.latestDone = checkpointId;
    this.dropOlderThan(checkpointId);
    this.pending.delete(checkpointId);
    this.notifyAbort(checkpointId, 'CANCELLED_UPSTREAM');
  }

  protected channelEnded(): void {
    for (const id of [...this.pending.keys()].sort((a, b) => a - b)) {
      const p = this.pending.get(id);
      if (p !== undefined && this.isAligned(p.received)) this.finish(p);
    }
  }

  protected pendingId(): number | null {
    let min: number | null = null;
    for (const id of this.pending.keys()) if (min === null || id < min) min = id;
    return min;
  }

  private finish(p: Pending): void {
    const id = p.barrier.checkpointId;
    this.latestDone = id;
    this.pending.delete(id);
    this.dropOlderThan(id);
    this.notifyTrigger(p.barrier, p.startedAt, 0);
  }

  private dropOlderThan(id: number): void {
    const older = [...this.pending.keys()].filter((k) => k < id).sort((a, b) => a - b);
    for (const k of older) {
      this.pending.delete(k);
      this.notifyAbort(k, 'SUBSUMED');
    }
  }
}
