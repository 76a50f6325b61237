import type { BufferPool } from './buffer-pool.js';
import type { ConsumerEndpoint, ProducerEndpoint } from './channel-endpoints.js';
import type { NetworkCounters } from './network-stats.js';

/** What a subpartition reports to its partition. @internal */
export interface SubpartitionOwner {
  /** A subpartition finished, or lost its consumer, and holds no buffer any more. */
  subpartitionDone(sub: ResultSubpartition): void;
  /** A buffer was queued for sending. */
  bufferFinished(size: number): void;
}

/**
 * The queue of one producer subtask towards one consumer subtask (one channel). The record writer
 * fills `current`; finished buffers wait in the queue until the consumer grants credit. Lives on
 * the producer's thread; the consumer end calls it through {@link ProducerEndpoint}.
 * @internal
 */
export class ResultSubpartition implements ProducerEndpoint {
  /** Buffer being filled, or null. Written directly by the record writer. */
  current: Uint8Array | null = null;
  /** DataView over {@link current}. */
  view: DataView = new DataView(new ArrayBuffer(0));
  /** Write position in {@link current}. */
  pos = 0;

  private readonly queue: Uint8Array[] = [];
  private readonly sizes: number[] = [];
  private credits = 0;
  /** Buffers delivered and not yet recycled, and their bytes. */
  private outstanding = 0;
  private outstandingBytes = 0;
  private consumer: ConsumerEndpoint | null = null;
  private remote = false;
  private flushRequested = false;
  /** End of partition written: nothing more will be written. */
  private finished = false;
  private consumerGone = false;
  private released = false;
  private done = false;

  constructor(
    readonly index: number,
    readonly channelId: string,
    private readonly pool: BufferPool,
    private readonly counters: NetworkCounters,
    private readonly owner: SubpartitionOwner,
  ) {}

  /** Connects the consumer end; `remote` says whether delivered buffers leave this thread. */
  connect(consumer: ConsumerEndpoint, remote: boolean): void {
    this.consumer = consumer;
    this.remote = remote;
  }

  /** Takes a fresh buffer from the pool as {@link current}. */
  newBuffer(): void {
    const b = this.pool.request();
    this.counters.addWriting(b.byteLength);
    this.current = b;
    this.view = new DataView(b.buffer);
    this.pos = 0;
  }

  /** Makes sure {@link current} has room for `n` more bytes (n ≤ buffer size), finishing it if not. */
  reserve(n: number): void {
    const cur = this.current;
    if (cur !== null && this.pos + n <= cur.byteLength) return;
    if (cur !== null) this.finishCurrent();
    this.newBuffer();
  }

  /** Queues {@link current} if it holds data (recycles it if empty) and sends what credit allows. */
  finishCurrent(): void {
    const b = this.current;
    if (b === null) return;
    const size = this.pos;
    this.current = null;
    this.pos = 0;
    this.counters.addWriting(-b.byteLength);
    if (size === 0) {
      this.pool.recycle(b);
      return;
    }
    this.enqueue(b, size);
  }

  /** Queues a finished buffer that was never {@link current} (an oversized record). Counts it as writing first. */
  enqueueOversized(b: Uint8Array, size: number): void {
    this.enqueue(b, size);
  }

  private enqueue(b: Uint8Array, size: number): void {
    this.flushRequested = false;
    if (this.consumerGone || this.released) {
      this.pool.recycle(b);
      this.checkDone();
      return;
    }
    this.counters.addQueuedAtProducers(b.byteLength);
    this.queue.push(b);
    this.sizes.push(size);
    this.owner.bufferFinished(size);
    if (this.credits > 0) this.trySend();
  }

  /** Marks that end of partition has been written (the caller then finishes the buffer). */
  markFinished(): void {
    this.finished = true;
  }

  /**
   * Sends the partly filled buffer now if credit allows, else as soon as credit arrives.
   * Does nothing when there is nothing written.
   */
  flush(): void {
    if (this.current === null || this.pos === 0) return;
    if (this.credits > 0 && this.queue.length === 0) {
      this.finishCurrent();
    } else {
      this.flushRequested = true;
    }
  }

  private trySend(): void {
    const consumer = this.consumer;
    if (consumer === null) return;
    while (this.credits > 0 && this.queue.length > 0) {
      this.credits--;
      const b = this.queue.shift()!;
      const size = this.sizes.shift()!;
      this.outstanding++;
      this.outstandingBytes += b.byteLength;
      this.counters.addQueuedAtProducers(-b.byteLength);
      if (this.remote) this.counters.addInFlight(b.byteLength);
      consumer.deliver(b, size);
    }
    if (this.flushRequested && this.credits > 0 && this.queue.length === 0 && this.pos > 0) {
      this.finishCurrent(); // re-enters trySend once through enqueue
    }
  }

  addCredit(credits: number): void {
    if (this.released || this.consumerGone) return;
    this.credits += credits;
    this.trySend();
  }

  recycle(bytes: Uint8Array, credits: number): void {
    if (this.released) return;
    this.outstanding--;
    this.outstandingBytes -= bytes.byteLength;
    if (this.remote) this.counters.addInFlight(-bytes.byteLength);
    this.pool.recycle(bytes);
    if (credits > 0 && !this.consumerGone) {
      this.credits += credits;
      this.trySend();
    }
    this.checkDone();
  }

  consumerReleased(): void {
    if (this.released || this.consumerGone) return;
    this.consumerGone = true;
    this.credits = 0;
    this.flushRequested = false;
    this.dropQueue();
    this.checkDone();
  }

  private dropQueue(): void {
    while (this.queue.length > 0) {
      const b = this.queue.shift()!;
      this.sizes.shift();
      this.counters.addQueuedAtProducers(-b.byteLength);
      this.pool.recycle(b);
    }
  }

  private checkDone(): void {
    if (this.done || this.released) return;
    if ((this.finished || this.consumerGone) && this.current === null && this.queue.length === 0 && this.outstanding === 0) {
      this.done = true;
      this.owner.subpartitionDone(this);
    }
  }

  /** True once end of partition was consumed (or the consumer left) and every buffer came back. */
  isDone(): boolean {
    return this.done;
  }

  /**
   * Drops everything (failure, cancel): the current and queued buffers go back to the pool,
   * buffers still at the consumer are written off, and the consumer learns that the producer is
   * gone unless it already consumed end of partition. Later recycles and credits are ignored.
   */
  release(): void {
    if (this.released) return;
    const notify = !this.done && !this.consumerGone;
    this.released = true;
    if (this.current !== null) {
      this.counters.addWriting(-this.current.byteLength);
      this.pool.recycle(this.current);
      this.current = null;
      this.pos = 0;
    }
    this.dropQueue();
    if (this.remote) this.counters.addInFlight(-this.outstandingBytes);
    this.outstanding = 0;
    this.outstandingBytes = 0;
    if (notify && this.consumer !== null) this.consumer.producerReleased();
  }
}
