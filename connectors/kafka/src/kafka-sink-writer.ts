import {
  DeliveryGuarantee,
  getLogger,
  type CommittingSinkWriter,
  type SinkWriterContext,
  type StatefulSinkWriter,
} from '@riffle/core';
import type { KafkaProducer, KafkaProducerClient, KafkaProducerRecord, KafkaTransaction } from './kafka-producer-client.js';
import type { KafkaRecordSerializationSchema } from './serialization.js';
import { transactionalId, type KafkaCommittable, type KafkaWriterState } from './kafka-committable.js';

const log = getLogger('KafkaSinkWriter');

/** What a {@link KafkaSinkWriter} needs beyond its client. */
export interface KafkaSinkWriterOptions {
  readonly deliveryGuarantee: DeliveryGuarantee;
  readonly transactionalIdPrefix: string;
  readonly transactionTimeoutMs: number;
  readonly subtaskId: number;
  /** Records per produce request at most. */
  readonly batchSize: number;
  /** Produce requests in flight at most (non-transactional; a transaction sends one at a time). */
  readonly maxInFlight: number;
  /** The index of the first transaction (restored from writer state; 0 for a fresh writer). */
  readonly firstTransactionIndex: number;
}

type Target = KafkaProducer | KafkaTransaction;

/**
 * Writes records to Kafka (Flink's `KafkaWriter`). `write` serializes the record and queues it;
 * full batches are sent in the background, so `write` never waits. `flush` waits until every
 * queued record is acknowledged (except with `NONE` before the end of input). A failed send
 * fails the next `write`, `flush` or `prepareCommit`.
 *
 * EXACTLY_ONCE: records go into a Kafka transaction with the id `prefix-subtask-index`, a new
 * index per checkpoint. `prepareCommit` (after `flush` at the barrier) hands the transaction over
 * as a committable and leaves it open; `snapshotState` records the index the next transaction
 * takes and begins it, so after a restore the ids from that index on are the ones a previous
 * attempt may have left open.
 */
export class KafkaSinkWriter<T>
  implements CommittingSinkWriter<T, KafkaCommittable>, StatefulSinkWriter<T, KafkaWriterState>
{
  private pending: KafkaProducerRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private target: Target | undefined;
  private targetReady: Promise<Target> | undefined;
  private error: Error | undefined;
  private nextIndex: number;
  private currentIndex = -1;
  private closed = false;
  private readonly transactional: boolean;

  constructor(
    private readonly client: KafkaProducerClient,
    private readonly schema: KafkaRecordSerializationSchema<T>,
    private readonly options: KafkaSinkWriterOptions,
  ) {
    this.transactional = options.deliveryGuarantee === DeliveryGuarantee.EXACTLY_ONCE;
    this.nextIndex = options.firstTransactionIndex;
    this.open();
  }

  write(value: T, context: SinkWriterContext): void {
    if (this.error) throw this.error;
    if (this.targetReady === undefined) this.open();
    this.pending.push(this.schema.serialize(value, context.timestamp()));
    if (this.pending.length >= this.options.batchSize) this.dispatch(false);
  }

  async flush(endOfInput: boolean): Promise<void> {
    if (this.options.deliveryGuarantee === DeliveryGuarantee.NONE && !endOfInput) {
      this.dispatch(true);
      return;
    }
    await this.drain();
  }

  async prepareCommit(): Promise<KafkaCommittable[]> {
    if (!this.transactional) return [];
    await this.drain();
    const txn = this.target as KafkaTransaction | undefined;
    this.target = undefined;
    this.targetReady = undefined;
    if (!txn) return [];
    txn.release();
    // A transaction without records was never opened on the broker: nothing to commit.
    return txn.hasRecords ? [txn.handle] : [];
  }

  snapshotState(checkpointId: number): KafkaWriterState[] {
    if (!this.transactional) return [];
    this.open();
    // The transaction open now (begun just above, or by a write since prepareCommit) is the first after this checkpoint.
    const state = { transactionalIdPrefix: this.options.transactionalIdPrefix, subtaskId: this.options.subtaskId, transactionIndex: this.currentIndex };
    log.debug('Kafka sink snapshot', { checkpointId, transactionIndex: this.currentIndex });
    return [state];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.transactional) await this.drain().catch((error: unknown) => log.warn('Kafka sink: records not written at close', { error: String(error) }));
      const target = this.targetReady ? await this.targetReady.catch(() => undefined) : undefined;
      if (target && 'handle' in target) {
        // Let produce requests in flight land first: one arriving after the abort could start a
        // transaction of its own on its partition.
        await Promise.allSettled([...this.inFlight]);
        target.release();
        // An open transaction nobody pre-committed: abort it rather than let it time out.
        if (target.hasRecords) await this.client.endTransaction(target.handle, false).catch(() => undefined);
      } else if (target) {
        await target.close().catch(() => undefined);
      }
    } finally {
      await this.client.close();
    }
  }

  /** Starts the producer (or the next transaction) in the background. */
  private open(): void {
    if (this.closed || this.targetReady) return;
    if (this.transactional) this.currentIndex = this.nextIndex++;
    const ready: Promise<Target> = this.transactional
      ? this.client.beginTransaction(transactionalId(this.options.transactionalIdPrefix, this.options.subtaskId, this.currentIndex), this.options.transactionTimeoutMs)
      : this.client.createProducer({ acks: this.options.deliveryGuarantee === DeliveryGuarantee.NONE ? 1 : -1 });
    this.targetReady = ready;
    ready.then(
      (target) => {
        if (this.targetReady !== ready) return;
        this.target = target;
        this.dispatch(false);
      },
      (error: unknown) => this.fail(error),
    );
  }

  /** Sends queued records while the target is ready and in-flight requests allow; `all` sends a partial batch too. */
  private dispatch(all: boolean): void {
    const target = this.target;
    if (!target || this.error) return;
    const limit = this.transactional ? 1 : this.options.maxInFlight;
    while (this.inFlight.size < limit && this.pending.length > 0 && (all || this.pending.length >= this.options.batchSize)) {
      const batch = this.pending.length <= this.options.batchSize ? this.pending : this.pending.slice(0, this.options.batchSize);
      this.pending = batch === this.pending ? [] : this.pending.slice(this.options.batchSize);
      const sent: Promise<void> = target.send(batch).then(
        () => {
          this.inFlight.delete(sent);
          if (this.pending.length >= this.options.batchSize) this.dispatch(false);
        },
        (error: unknown) => {
          this.inFlight.delete(sent);
          this.fail(error);
        },
      );
      this.inFlight.add(sent);
    }
  }

  /** Waits until every queued record is acknowledged; throws the first send failure. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.error) throw this.error;
      if (this.targetReady) await this.targetReady.catch(() => undefined);
      if (this.error) throw this.error;
      if (this.pending.length === 0 && this.inFlight.size === 0) return;
      if (!this.targetReady) this.open();
      this.dispatch(true);
      if (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    }
  }

  private fail(error: unknown): void {
    this.error ??= new Error(`Kafka sink (subtask ${this.options.subtaskId}): writing to Kafka failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
