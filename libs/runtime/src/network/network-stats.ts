/**
 * Byte counters of the network stack of one thread. A buffer is counted, by capacity, in exactly
 * one of the four places on each thread that holds it:
 * - `writing`: taken from a pool of this thread and being filled by a record writer;
 * - `queuedAtProducers`: finished, waiting for credit in a subpartition of this thread;
 * - `inFlight`: sent by this thread to another thread and not yet returned to its pool (this
 *   includes the time it sits in the remote consumer's queue);
 * - `queuedAtConsumers`: delivered to an input channel of this thread and not yet recycled.
 *
 * A buffer sent across threads is therefore counted by both threads while the remote consumer
 * holds it: each thread's figure is bounded on its own (producer side by its pools, consumer side
 * by the credits it grants), and the sum over threads over-counts.
 */
export interface NetworkStackStats {
  /** `writing + queuedAtProducers + inFlight + queuedAtConsumers`, in bytes. */
  readonly bufferedBytes: number;
  /** The largest `bufferedBytes` seen since the environment was created. */
  readonly maxBufferedBytes: number;
  readonly writingBytes: number;
  readonly queuedAtProducersBytes: number;
  readonly inFlightBytes: number;
  readonly queuedAtConsumersBytes: number;
  /** Buffers currently taken beyond pool capacity (overdraft and beyond) by all partitions. */
  readonly overdraftBuffers: number;
  /** Buffers ever requested beyond capacity + overdraft: the task ignored backpressure. */
  readonly excessBufferRequests: number;
}

/**
 * Mutable counters behind {@link NetworkStackStats}; updated by pools, subpartitions and
 * channels of one thread (single-threaded, no synchronisation).
 * @internal
 */
export class NetworkCounters {
  writing = 0;
  queuedAtProducers = 0;
  inFlight = 0;
  queuedAtConsumers = 0;
  maxBuffered = 0;
  overdraftBuffers = 0;
  excessBufferRequests = 0;

  private touch(): void {
    const total = this.writing + this.queuedAtProducers + this.inFlight + this.queuedAtConsumers;
    if (total > this.maxBuffered) this.maxBuffered = total;
  }

  addWriting(n: number): void {
    this.writing += n;
    if (n > 0) this.touch();
  }

  addQueuedAtProducers(n: number): void {
    this.queuedAtProducers += n;
    if (n > 0) this.touch();
  }

  addInFlight(n: number): void {
    this.inFlight += n;
    if (n > 0) this.touch();
  }

  addQueuedAtConsumers(n: number): void {
    this.queuedAtConsumers += n;
    if (n > 0) this.touch();
  }

  snapshot(): NetworkStackStats {
    return {
      bufferedBytes: this.writing + this.queuedAtProducers + this.inFlight + this.queuedAtConsumers,
      maxBufferedBytes: this.maxBuffered,
      writingBytes: this.writing,
      queuedAtProducersBytes: this.queuedAtProducers,
      inFlightBytes: this.inFlight,
      queuedAtConsumersBytes: this.queuedAtConsumers,
      overdraftBuffers: this.overdraftBuffers,
      excessBufferRequests: this.excessBufferRequests,
    };
  }
}
