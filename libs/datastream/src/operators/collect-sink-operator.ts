import type { OneInputStreamOperator, StreamRecord } from '@riffle/core';
import { AbstractStreamOperator, COLLECT_SERVICE, type CollectService } from '@riffle/runtime';

/** Values a collect sink buffers before it ships them. */
export const COLLECT_BATCH_SIZE = 1000;

/**
 * Sends the records it receives back to the client (`executeAndCollect`, `addCollectSink`),
 * through the runtime's {@link CollectService}, in batches of up to {@link COLLECT_BATCH_SIZE}
 * values; the rest is flushed at the end of input. The client reads them with
 * `result.getCollected(collectId)`. Values must be structured-cloneable.
 */
export class CollectSinkOperator<T> extends AbstractStreamOperator<never> implements OneInputStreamOperator<T, never> {
  private service!: CollectService;
  private buffer: T[] = [];

  constructor(readonly collectId: string) {
    super();
  }

  override open(): void {
    const service = this.services.get(COLLECT_SERVICE) as CollectService | undefined;
    if (!service) {
      throw new Error(`Collect sink '${this.collectId}' found no collect service: the runtime executing the job must provide '${COLLECT_SERVICE}'`);
    }
    this.service = service;
  }

  processElement(record: StreamRecord<T>): void {
    this.buffer.push(record.value);
    if (this.buffer.length >= COLLECT_BATCH_SIZE) this.flush();
  }

  override finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.service.send(this.collectId, batch);
  }
}
