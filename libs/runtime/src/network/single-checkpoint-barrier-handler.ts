import type { CheckpointBarrier, CheckpointingMode } from './checkpoint-barrier.js';
import { CheckpointBarrierHandler } from './checkpoint-barrier-handler.js';
import type { InputChannel } from './input-channel.js';

interface Alignment {
  readonly barrier: CheckpointBarrier;
  readonly received: Set<InputChannel>;
  readonly startedAt: number;
}

/**
 * Aligned checkpoints, EXACTLY_ONCE (Flink's `SingleCheckpointBarrierHandler` in aligned mode):
 * when the barrier of checkpoint n arrives on a channel, the channel is blocked (its later data
 * stays queued and unread, so it returns no credit and its producer stalls) until barrier n
 * arrived on every channel of the task that has not ended; then the listener's
 * `triggerCheckpointOnBarrier` is called and all channels are unblocked.
 *
 * - A barrier of a newer checkpoint before alignment completes aborts the older one
 *   (`SUBSUMED`), unblocks everything and starts aligning the newer.
 * - A cancel marker for the checkpoint being aligned (or a newer one) aborts it
 *   (`CANCELLED_UPSTREAM`) and unblocks everything.
 * - Barriers and cancel markers of checkpoints already triggered or aborted are ignored.
 * - A channel that ends while others are blocked counts as aligned.
 */
export class SingleCheckpointBarrierHandler extends CheckpointBarrierHandler {
  readonly mode: CheckpointingMode = 'EXACTLY_ONCE';
  /** The newest checkpoint id seen (aligning, triggered or aborted). */
  private currentId = Number.NEGATIVE_INFINITY;
  private alignment: Alignment | null = null;
  private readonly blocked: InputChannel[] = [];

  /** @internal */
  processBarrier(barrier: CheckpointBarrier, channel: InputChannel): void {
    const id = barrier.checkpointId;
    if (id < this.currentId || (id === this.currentId && this.alignment === null)) return;
    if (id > this.currentId) {
      if (this.alignment !== null) this.abortAlignment('SUBSUMED');
      this.currentId = id;
      this.alignment = { barrier, received: new Set(), startedAt: this.clock() };
    }
    const a = this.alignment!;
    a.received.add(channel);
    if (this.isAligned(a.received)) {
      this.completeAlignment();
    } else {
      channel.block();
      this.blocked.push(channel);
    }
  }

  /** @internal */
  processCancel(checkpointId: number, _channel: InputChannel): void {
    if (checkpointId < this.currentId) return;
    if (checkpointId === this.currentId) {
      if (this.alignment !== null) this.abortAlignment('CANCELLED_UPSTREAM');
      return;
    }
    if (this.alignment !== null) this.abortAlignment('SUBSUMED');
    this.currentId = checkpointId;
    this.notifyAbort(checkpointId, 'CANCELLED_UPSTREAM');
  }

  protected channelEnded(): void {
    if (this.alignment !== null && this.isAligned(this.alignment.received)) this.completeAlignment();
  }

  protected pendingId(): number | null {
    return this.alignment === null ? null : this.alignment.barrier.checkpointId;
  }

  protected override blockedCount(): number {
    return this.blocked.length;
  }

  protected override blockedBytes(): number {
    let n = 0;
    for (const ch of this.blocked) n += ch.queuedBytes();
    return n;
  }

  private completeAlignment(): void {
    const a = this.alignment!;
    this.alignment = null;
    const bytes = this.blockedBytes();
    try {
      this.notifyTrigger(a.barrier, a.startedAt, bytes);
    } finally {
      this.resumeAll();
    }
  }

  private abortAlignment(reason: 'SUBSUMED' | 'CANCELLED_UPSTREAM'): void {
    const id = this.alignment!.barrier.checkpointId;
    this.alignment = null;
    this.resumeAll();
    this.notifyAbort(id, reason);
  }

  private resumeAll(): void {
    const chs = this.blocked.splice(0);
    for (const ch of chs) ch.resume();
  }
}
