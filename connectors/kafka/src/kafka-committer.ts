import { getLogger, type CommitRequest, type Committer } from '@riffle/core';
import type { KafkaProducerClient } from './kafka-producer-client.js';
import type { KafkaCommittable } from './kafka-committable.js';

const log = getLogger('KafkaCommitter');

/** Transient failures are retried this often before the commit fails the job. */
const MAX_RETRIES = 10;

/**
 * Commits pre-committed Kafka transactions once their checkpoint completed (Flink's
 * `KafkaCommitter`): an EndTxn(commit) for the committable's transactional id, producer id and
 * epoch, sent from any process, so a committable restored from a checkpoint commits after a
 * crash. Idempotent: committing a transaction that is already committed succeeds. A transaction
 * the broker aborted (its timeout passed) or whose id a newer producer took cannot be committed:
 * that fails the commit with a known reason, since its records are lost.
 */
export class KafkaCommitter implements Committer<KafkaCommittable> {
  constructor(
    private readonly client: KafkaProducerClient,
    private readonly transactionTimeoutMs: number,
  ) {}

  async commit(requests: CommitRequest<KafkaCommittable>[]): Promise<void> {
    for (const request of requests) {
      const c = request.getCommittable();
      const what = `transaction '${c.transactionalId}' (producer id ${c.producerId}, epoch ${c.epoch})`;
      try {
        const result = await this.client.endTransaction(c, true);
        if (result.kind === 'ended') {
          log.debug('Kafka sink committed', { transactionalId: c.transactionalId });
        } else if (result.kind === 'fenced') {
          request.signalFailedWithKnownReason(
            new Error(
              `Kafka sink: cannot commit ${what}: the broker no longer accepts this producer epoch (${result.detail}). ` +
                `The transaction was aborted, most likely because it stayed open longer than the transaction timeout (${this.transactionTimeoutMs} ms; ` +
                `raise it with setTransactionTimeout, up to the broker's transaction.max.timeout.ms), or a newer producer took the same transactional id ` +
                `(use a transactional-id prefix unique to this job). Its records are not visible to read_committed consumers.`,
            ),
          );
        } else {
          request.signalFailedWithKnownReason(
            new Error(`Kafka sink: cannot commit ${what}: the transaction was aborted (${result.detail}). Its records are not visible to read_committed consumers.`),
          );
        }
      } catch (error) {
        if (request.getNumberOfRetries() < MAX_RETRIES) request.retryLater();
        else request.signalFailedWithUnknownReason(new Error(`Kafka sink: committing ${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
      }
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
