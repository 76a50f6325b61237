/**
 * The connector's own small view of a Kafka producer, used by the {@link KafkaSink}. The sink
 * talks only to these interfaces; {@link KafkajsProducerClient} implements them on kafkajs.
 */

/** A record to produce. `partition` undefined: the client's default partitioner (by key) decides. */
export interface KafkaProducerRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** ms since the epoch; undefined: the producer's clock. */
  readonly timestamp?: number;
  readonly headers?: Readonly<Record<string, Uint8Array | string>>;
}

/** How a producer acknowledges writes. */
export interface ProducerOptions {
  /** -1 (all in-sync replicas), 1 (the leader) or 0 (none). */
  readonly acks: -1 | 0 | 1;
}

/**
 * A non-transactional producer. `send` may be called again before an earlier one resolved; it
 * resolves once the broker acknowledged every record of the call (per `acks`) and rejects when
 * they could not be written.
 */
export interface KafkaProducer {
  send(records: readonly KafkaProducerRecord[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * What identifies an open Kafka transaction to the transaction coordinator: enough to commit or
 * abort it from any process (Flink's `FlinkKafkaInternalProducer.resumeTransaction`).
 */
export interface TransactionHandle {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly epoch: number;
}

/**
 * One Kafka transaction of a transactional id, begun by {@link KafkaProducerClient.beginTransaction}
 * (which fenced every earlier producer of that id). `send`s are serialised; `hasRecords` says
 * whether any was made. The transaction is ended by {@link KafkaProducerClient.endTransaction}
 * with its {@link handle}, from this process or another; `release` drops the local producer
 * without ending the transaction.
 */
export interface KafkaTransaction {
  readonly handle: TransactionHandle;
  readonly hasRecords: boolean;
  send(records: readonly KafkaProducerRecord[]): Promise<void>;
  release(): void;
}

/**
 * What the coordinator answered to ending a transaction:
 * - `ended`: it is (now, or already was) committed / aborted as asked;
 * - `fenced`: the handle's epoch is stale: the broker aborted the transaction (its timeout
 *   passed) or a newer producer initialised the same transactional id; what happened to the
 *   records cannot be told from here;
 * - `invalid-state`: the transaction is in a state that does not allow the request (e.g.
 *   committing one that was aborted).
 */
export type EndTransactionResult =
  | { readonly kind: 'ended' }
  | { readonly kind: 'fenced'; readonly detail: string }
  | { readonly kind: 'invalid-state'; readonly detail: string };

/** The producer side of a Kafka client. Methods may be called concurrently; `close` releases everything. */
export interface KafkaProducerClient {
  createProducer(options: ProducerOptions): Promise<KafkaProducer>;
  /**
   * Initialises `transactionalId` (fencing earlier producers of it and aborting their open
   * transaction) and begins a transaction with `timeoutMs` (the broker aborts it when it stays
   * open longer).
   */
  beginTransaction(transactionalId: string, timeoutMs: number): Promise<KafkaTransaction>;
  /**
   * Initialises `transactionalId` and nothing else: aborts whatever transaction of it is open.
   * Returns the epoch it got: 0 when the id had never been used.
   */
  fenceTransactionalId(transactionalId: string, timeoutMs: number): Promise<{ readonly epoch: number }>;
  /** Commits (`commit` true) or aborts the transaction `handle` names; retries transient errors. */
  endTransaction(handle: TransactionHandle, commit: boolean): Promise<EndTransactionResult>;
  /** The brokers' `transaction.max.timeout.ms`, or undefined when it cannot be read. */
  maxTransactionTimeoutMs(): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Creates a producer client (in each sink subtask and committer). */
export type KafkaProducerClientFactory = (config: { readonly bootstrapServers: readonly string[]; readonly properties: Readonly<Record<string, string>> }) => KafkaProducerClient;
