import { getLogger } from '@riffle/core';
import { AvailabilityNotifier } from './availability.js';
import type { NetworkCounters } from './network-stats.js';

const log = getLogger('BufferPool');

/**
 * The bounded pool of network buffers of one result partition (Flink's `LocalBufferPool`).
 * Every buffer is a `Uint8Array` over its own `ArrayBuffer`, so it can be transferred to another
 * thread and back. Requests never fail: beyond `capacity` the pool hands out up to
 * `maxOverdraft` overdraft buffers and then, counting each as an "excess" request, still more,
 * because a JavaScript task cannot block; it is available again once fewer than `capacity`
 * buffers are in use. Used only on the thread that owns the partition.
 * @internal
 */
export class BufferPool {
  private readonly free: Uint8Array[] = [];
  private inUse = 0;
  private released = false;
  private warnedExcess = false;
  readonly notifier = new AvailabilityNotifier();

  constructor(
    readonly bufferSize: number,
    readonly capacity: number,
    readonly maxOverdraft: number,
    private readonly counters: NetworkCounters,
    private readonly name: string,
  ) {}

  /** True while a buffer can be taken without overdraft. */
  isAvailable(): boolean {
    return this.inUse < this.capacity;
  }

  /** Buffers taken and not yet recycled (oversized ones included). */
  buffersInUse(): number {
    return this.inUse;
  }

  /** A buffer of `bufferSize` bytes; never fails (see the class contract). */
  request(): Uint8Array {
    const b = this.free.pop() ?? new Uint8Array(this.bufferSize);
    this.take();
    return b;
  }

  /** A dedicated buffer of exactly `size` bytes for one record larger than a buffer; counts as one buffer. */
  requestOversized(size: number): Uint8Array {
    this.take();
    return new Uint8Array(size);
  }

  private take(): void {
    this.inUse++;
    if (this.inUse > this.capacity) {
      this.counters.overdraftBuffers++;
      if (this.inUse > this.capacity + this.maxOverdraft) {
        this.counters.excessBufferRequests++;
        if (!this.warnedExcess) {
          this.warnedExcess = true;
          log.warn(`${this.name}: buffers in use exceed pool + overdraft; the task keeps writing while its output is unavailable`, {
            capacity: this.capacity,
            overdraft: this.maxOverdraft,
          });
        }
      }
    }
  }

  /** Returns a buffer taken from this pool. Wakes availability waiters when the pool becomes available. */
  recycle(bytes: Uint8Array): void {
    if (this.inUse > this.capacity) this.counters.overdraftBuffers--;
    this.inUse--;
    if (!this.released && bytes.byteLength === this.bufferSize && bytes.buffer.byteLength === this.bufferSize) {
      this.free.push(bytes);
    }
    if (this.inUse === this.capacity - 1) this.notifier.notify();
  }

  /** Drops pooled memory; buffers recycled later are dropped too. Wakes waiters so that they notice. */
  release(): void {
    this.released = true;
    this.free.length = 0;
    this.notifier.notify();
  }
}
