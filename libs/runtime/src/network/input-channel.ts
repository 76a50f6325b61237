import type { ConsumerEndpoint, ProducerEndpoint } from './channel-endpoints.js';
import type { NetworkCounters } from './network-stats.js';

/** What an input channel reports to its gate. @internal */
export interface InputChannelOwner {
  /** The channel went from empty to holding a buffer. */
  channelHasData(channel: InputChannel): void;
  /** The producer is gone before end of partition. */
  channelFailed(channel: InputChannel, error: Error): void;
  /** The channel was unblocked after checkpoint alignment; its queued buffers may be read again. */
  channelResumed(channel: InputChannel): void;
}

/**
 * The receiving end of one channel in an input gate: a queue of delivered buffers, read in order
 * by the gate's reader. Lives on the consumer's thread; the producer end calls it through
 * {@link ConsumerEndpoint}.
 * @internal
 */
export class InputChannel implements ConsumerEndpoint {
  private readonly queue: Uint8Array[] = [];
  private readonly sizes: number[] = [];
  private producer: ProducerEndpoint | null = null;
  /** Set by the gate: the channel sits in the gate's ready queue or is being read. */
  scheduled = false;
  /** End of partition was read from this channel. */
  ended = false;
  /**
   * Blocked for checkpoint alignment: the reader stopped right after a barrier and reads nothing
   * more from this channel until {@link resume}. Its unread buffers stay queued and return no
   * credit, so its producer stalls once the granted credits are used (the buffer holding the
   * barrier itself goes back when the barrier was its last frame).
   */
  blocked = false;
  /** Where the reader resumes in the head buffer (non-zero only when it stopped mid-buffer at a barrier). */
  readPos = 0;
  private released = false;

  constructor(
    /** Index of the channel in its gate. */
    readonly index: number,
    readonly channelId: string,
    private readonly counters: NetworkCounters,
    private readonly owner: InputChannelOwner,
  ) {}

  /** Connects the producer end and grants the initial credits. */
  connect(producer: ProducerEndpoint, initialCredits: number): void {
    this.producer = producer;
    if (!this.released) producer.addCredit(initialCredits);
  }

  deliver(bytes: Uint8Array, size: number): void {
    if (this.released || this.ended) {
      // Late or stray data: give the memory back, grant nothing.
      this.producer?.recycle(bytes, 0);
      return;
    }
    this.counters.addQueuedAtConsumers(bytes.byteLength);
    this.queue.push(bytes);
    this.sizes.push(size);
    if (this.queue.length === 1) this.owner.channelHasData(this);
  }

  producerReleased(): void {
    if (this.ended || this.released) return;
    const error = new Error(`input channel ${this.channelId}: the producer released its partition before end of partition`);
    // A consequence of the producer's failure or cancellation, not a cause: the JobMaster prefers other causes.
    error.name = 'PartitionReleasedError';
    this.owner.channelFailed(this, error);
  }

  /** Buffers waiting to be read (the head one may be partly read). */
  queuedBuffers(): number {
    return this.queue.length;
  }

  /** The head buffer, not removed: the reader recycles it with {@link recycleHead} once fully read. */
  head(): Uint8Array {
    return this.queue[0]!;
  }

  headSize(): number {
    return this.sizes[0]!;
  }

  /** Bytes of frames queued and not yet read (for the blocked-bytes counter of alignment). */
  queuedBytes(): number {
    let n = -this.readPos;
    for (const size of this.sizes) n += size;
    return n;
  }

  /** Blocks the channel for alignment (called by a barrier handler while the channel is being read). */
  block(): void {
    this.blocked = true;
  }

  /** Unblocks the channel: the gate schedules it again if it holds data. No-op unless blocked. */
  resume(): void {
    if (!this.blocked) return;
    this.blocked = false;
    this.owner.channelResumed(this);
  }

  /** Removes the fully read head buffer and returns it to the producer with one credit (none after end of partition). */
  recycleHead(): void {
    const b = this.queue.shift()!;
    this.sizes.shift();
    this.counters.addQueuedAtConsumers(-b.byteLength);
    this.producer!.recycle(b, this.ended ? 0 : 1);
  }

  /** Returns every queued buffer without credit and tells the producer the consumer is gone. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.readPos = 0;
    const producer = this.producer;
    while (this.queue.length > 0) {
      const b = this.queue.shift()!;
      this.sizes.shift();
      this.counters.addQueuedAtConsumers(-b.byteLength);
      producer?.recycle(b, 0);
    }
    if (producer !== null && !this.ended) producer.consumerReleased();
  }

  isReleased(): boolean {
    return this.released;
  }
}
