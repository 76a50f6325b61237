import {
  DeliveryGuarantee,
  getLogger,
  type Committer,
  type SimpleVersionedSerializer,
  type SinkInitContext,
  type StatefulSink,
  type TwoPhaseCommittingSink,
} from '@riffle/core';
import type { KafkaProducerClient, KafkaProducerClientFactory } from './kafka-producer-client.js';
import type { KafkaRecordSerializationSchema } from './serialization.js';
import {
  KafkaCommittableSerializer,
  KafkaWriterStateSerializer,
  transactionalId,
  type KafkaCommittable,
  type KafkaWriterState,
} from './kafka-committable.js';
import { KafkaCommitter } from './kafka-committer.js';
import { KafkaSinkWriter } from './kafka-sink-writer.js';
import { KafkaSinkBuilder } from './kafka-sink-builder.js';

const log = getLogger('KafkaSink');

/** Everything a {@link KafkaSink} is built from (validated by {@link KafkaSinkBuilder}). */
export interface KafkaSinkConfig<T> {
  readonly bootstrapServers: readonly string[];
  readonly properties: Readonly<Record<string, string>>;
  readonly serializer: KafkaRecordSerializationSchema<T>;
  readonly deliveryGuarantee: DeliveryGuarantee;
  /** Required with EXACTLY_ONCE; ids are `prefix-subtask-index`. */
  readonly transactionalIdPrefix: string;
  readonly transactionTimeoutMs: number;
  readonly batchSize: number;
  readonly maxInFlight: number;
  readonly clientFactory: KafkaProducerClientFactory;
}

/** Restored transaction ids tried at most per subtask before giving up on finding the end of a previous attempt's ids. */
const MAX_LINGERING_PER_SUBTASK = 1000;

/**
 * Writes a stream to Kafka (Flink's `KafkaSink`, Sink V2). Build it with {@link KafkaSink.builder}.
 *
 * - `NONE`: records are sent in the background; a checkpoint does not wait for them.
 * - `AT_LEAST_ONCE`: every checkpoint waits until the records before its barrier are
 *   acknowledged by all in-sync replicas; after a recovery, records since the last completed
 *   checkpoint are written again.
 * - `EXACTLY_ONCE`: one Kafka transaction per subtask and checkpoint, pre-committed at the
 *   barrier and committed by the {@link KafkaCommitter} when the checkpoint completes; visible
 *   to `read_committed` consumers only then. On restore, transactions a previous attempt left
 *   open after the restored checkpoint are aborted (by initialising their transactional ids); a
 *   writer started without state does the same for its subtask's ids from index 0 (an attempt
 *   that failed before its first checkpoint, or an earlier job with the same prefix).
 *   The transaction timeout must exceed the checkpoint interval plus the time a recovery takes,
 *   and may not exceed the broker's `transaction.max.timeout.ms` (checked when a writer or
 *   committer starts).
 */
export class KafkaSink<T> implements TwoPhaseCommittingSink<T, KafkaCommittable>, StatefulSink<T, KafkaWriterState> {
  private timeoutChecked: Promise<void> | undefined;

  constructor(readonly config: KafkaSinkConfig<T>) {}

  /** A builder for a `KafkaSink<T>`. */
  static builder<T>(): KafkaSinkBuilder<T> {
    return new KafkaSinkBuilder<T>((config) => new KafkaSink(config));
  }

  /**
   * Run by the JobMaster when the job is submitted, before any task starts: an EXACTLY_ONCE sink
   * whose transaction timeout exceeds the broker's `transaction.max.timeout.ms` fails the job
   * then, not at its first transaction. (Writers check again, for sinks used without a JobMaster.)
   */
  async validate(): Promise<void> {
    if (this.config.deliveryGuarantee !== DeliveryGuarantee.EXACTLY_ONCE) return;
    const client = this.newClient();
    try {
      await this.checkTransactionTimeout(client);
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  async createWriter(context: SinkInitContext): Promise<KafkaSinkWriter<T>> {
    return this.restoreWriter(context, []);
  }

  async restoreWriter(context: SinkInitContext, states: readonly KafkaWriterState[]): Promise<KafkaSinkWriter<T>> {
    const client = this.newClient();
    try {
      const subtaskId = context.getSubtaskId();
      let firstTransactionIndex = 0;
      if (this.config.deliveryGuarantee === DeliveryGuarantee.EXACTLY_ONCE) {
        await this.checkTransactionTimeout(client);
        if (states.length === 0) {
          // A fresh writer: no committable of this subtask's ids is pending (there is no checkpoint
          // to restore), so every id an earlier attempt may have left open is aborted, from 0.
          const own = { transactionalIdPrefix: this.config.transactionalIdPrefix, subtaskId, transactionIndex: 0 };
          firstTransactionIndex = await abortLingering(client, own, this.config.transactionTimeoutMs, Number.MAX_SAFE_INTEGER);
        }
        for (const state of states) {
          const fresh = await abortLingering(client, state, this.config.transactionTimeoutMs);
          if (state.subtaskId === subtaskId && state.transactionalIdPrefix === this.config.transactionalIdPrefix) {
            firstTransactionIndex = Math.max(firstTransactionIndex, fresh);
          }
        }
      }
      return new KafkaSinkWriter(client, this.config.serializer, {
        deliveryGuarantee: this.config.deliveryGuarantee,
        transactionalIdPrefix: this.config.transactionalIdPrefix,
        transactionTimeoutMs: this.config.transactionTimeoutMs,
        subtaskId,
        batchSize: this.config.batchSize,
        maxInFlight: this.config.maxInFlight,
        firstTransactionIndex,
      });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  async createCommitter(): Promise<Committer<KafkaCommittable>> {
    const client = this.newClient();
    return new KafkaCommitter(client, this.config.transactionTimeoutMs);
  }

  getCommittableSerializer(): SimpleVersionedSerializer<KafkaCommittable> {
    return new KafkaCommittableSerializer();
  }

  getWriterStateSerializer(): SimpleVersionedSerializer<KafkaWriterState> {
    return new KafkaWriterStateSerializer();
  }

  private newClient(): KafkaProducerClient {
    return this.config.clientFactory({ bootstrapServers: this.config.bootstrapServers, properties: this.config.properties });
  }

  /** Fails when the transaction timeout exceeds the broker's `transaction.max.timeout.ms` (the broker would refuse every transaction). */
  private checkTransactionTimeout(client: KafkaProducerClient): Promise<void> {
    this.timeoutChecked ??= (async () => {
      const max = await client.maxTransactionTimeoutMs();
      if (max !== undefined && this.config.transactionTimeoutMs > max) {
        throw new Error(
          `KafkaSink: the transaction timeout ${this.config.transactionTimeoutMs} ms exceeds the broker's transaction.max.timeout.ms ${max} ms (setTransactionTimeout)`,
        );
      }
    })();
    const checked = this.timeoutChecked;
    checked.catch(() => {
      if (this.timeoutChecked === checked) this.timeoutChecked = undefined;
    });
    return checked;
  }
}

/**
 * Initialises the transactional ids a previous attempt of `state`'s subtask may have used after
 * its checkpoint (consecutive indices from `state.transactionIndex`), aborting their open
 * transactions, until one had never been used. Returns that fresh index.
 */
async function abortLingering(client: KafkaProducerClient, state: KafkaWriterState, timeoutMs: number, limit = MAX_LINGERING_PER_SUBTASK): Promise<number> {
  for (let index = state.transactionIndex; index < state.transactionIndex + limit; index++) {
    const id = transactionalId(state.transactionalIdPrefix, state.subtaskId, index);
    const { epoch } = await client.fenceTransactionalId(id, timeoutMs);
    if (epoch === 0) return index;
    if ((index - state.transactionIndex) % 100 === 0) log.info('Kafka sink: fencing transactional ids of earlier attempts', { transactionalId: id, epoch });
  }
  throw new Error(`KafkaSink: more than ${MAX_LINGERING_PER_SUBTASK} used transactional ids after '${transactionalId(state.transactionalIdPrefix, state.subtaskId, state.transactionIndex)}'; is the prefix shared with another job?`);
}
