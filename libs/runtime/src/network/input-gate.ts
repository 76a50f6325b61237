import { AvailabilityNotifier, resolvedAvailability, type AvailabilityProvider } from './availability.js';
import { InputChannel, type InputChannelOwner } from './input-channel.js';
import type { NetworkCounters } from './network-stats.js';

/** Record and buffer counts of one input gate (for metrics). */
export interface InputGateStats {
  readonly recordsIn: number;
  readonly buffersIn: number;
  /** Bytes of frames in the buffers consumed (not buffer capacity). */
  readonly bytesIn: number;
  /** Channels that delivered end of partition. */
  readonly endedChannels: number;
}

/**
 * The input of one consumer subtask on one job edge (Flink's `SingleInputGate`): one input
 * channel per connected producer subtask, in producer order. Created by
 * `NetworkEnvironment.createInputGate`, read by a `StreamNetworkInput`, used only on the thread
 * that created it. Channels with data are served round robin, one buffer at a time.
 *
 * `isAvailable()` is true when a buffer is waiting (or a channel failed, which the reader then
 * reports by throwing). `release()` on failure or cancel returns all buffers to their producers.
 */
export class InputGate implements AvailabilityProvider, InputChannelOwner {
  /** @internal */
  readonly channels: InputChannel[];
  private readonly ready: InputChannel[] = [];
  private readonly notifier = new AvailabilityNotifier();
  private failure: Error | null = null;
  private released = false;
  /** @internal */
  recordsIn = 0;
  /** @internal */
  buffersIn = 0;
  /** @internal */
  bytesIn = 0;
  /** @internal */
  endedChannels = 0;

  /** @internal Created by the NetworkEnvironment. */
  constructor(
    readonly gateId: string,
    channelIds: readonly string[],
    counters: NetworkCounters,
    private readonly onChannelClosed: (gate: InputGate, channel: InputChannel) => void,
  ) {
    if (channelIds.length < 1) throw new Error(`input gate ${gateId} needs at least one channel`);
    this.channels = channelIds.map((id, i) => new InputChannel(i, id, counters, this));
  }

  get numChannels(): number {
    return this.channels.length;
  }

  isAvailable(): boolean {
    return this.ready.length > 0 || this.failure !== null;
  }

  available(): Promise<void> {
    return this.isAvailable() ? resolvedAvailability() : this.notifier.next();
  }

  onAvailable(callback: () => void): () => void {
    return this.notifier.add(callback);
  }

  /** True once every channel delivered end of partition and it was read. */
  isFinished(): boolean {
    return this.endedChannels === this.channels.length;
  }

  stats(): InputGateStats {
    return { recordsIn: this.recordsIn, buffersIn: this.buffersIn, bytesIn: this.bytesIn, endedChannels: this.endedChannels };
  }

  /**
   * Returns every queued buffer to its producer, tells producers the consumer is gone, and
   * unregisters the channels. Idempotent; late data for this gate is returned unread.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.ready.length = 0;
    for (const ch of this.channels) {
      ch.release();
      this.onChannelClosed(this, ch);
    }
    this.notifier.notify();
  }

  isReleased(): boolean {
    return this.released;
  }

  /** @internal The next channel with a buffer, removed from the ready queue, or null. Throws a channel failure. */
  pollChannel(): InputChannel | null {
    if (this.failure !== null) throw this.failure;
    return this.ready.length > 0 ? this.ready.shift()! : null;
  }

  /** @internal The reader finished a buffer of `channel` (already recycled). */
  doneReading(channel: InputChannel): void {
    if (channel.ended) {
      channel.scheduled = false;
      this.endedChannels++;
      this.onChannelClosed(this, channel);
    } else if (channel.blocked) {
      // stays `scheduled` (so deliveries do not queue it) until the barrier handler resumes it
    } else if (channel.queuedBuffers() > 0) {
      this.ready.push(channel);
    } else {
      channel.scheduled = false;
    }
  }

  /** @internal */
  channelHasData(channel: InputChannel): void {
    if (channel.scheduled || this.released) return;
    channel.scheduled = true;
    this.ready.push(channel);
    if (this.ready.length === 1) this.notifier.notify();
  }

  /** @internal A blocked channel (left `scheduled` and out of the ready queue) was resumed. */
  channelResumed(channel: InputChannel): void {
    if (this.released) return;
    if (channel.queuedBuffers() > 0) {
      this.ready.push(channel);
      if (this.ready.length === 1) this.notifier.notify();
    } else {
      channel.scheduled = false;
    }
  }

  /** @internal */
  channelFailed(_channel: InputChannel, error: Error): void {
    if (this.failure === null) this.failure = error;
    this.notifier.notify();
  }
}
