import { getLogger, type CommitRequest, type Committer } from '@riffle/core';

const log = getLogger('SinkCommitter');

/** How often a committable that asked to be retried is tried again before the commit fails. */
const MAX_COMMIT_ATTEMPTS = 10;

/**
 * Commits `committables` with `committer` (Flink's `CommitterOperator` semantics): a committable
 * that fails with an unknown reason fails the commit (and so the job); one that fails with a
 * known reason is logged and dropped; one that asks to be retried is tried again, up to
 * {@link MAX_COMMIT_ATTEMPTS} times. The committer stays open for later commits.
 */
export async function commitWithRetries<CommT>(committer: Committer<CommT>, committables: readonly CommT[], operator: string): Promise<void> {
  let pending = committables.map((c) => new SinkCommitRequest(c));
  for (let attempt = 1; pending.length > 0; attempt++) {
    await committer.commit(pending);
    for (const request of pending) {
      if (request.unknownFailure) {
        throw new Error(`Sink '${operator}': committing failed: ${request.unknownFailure.message}`, { cause: request.unknownFailure });
      }
      if (request.knownFailure) log.warn('committable dropped after a failure with a known reason', { operator, error: request.knownFailure.message });
    }
    pending = pending.filter((r) => r.retry);
    if (pending.length > 0 && attempt >= MAX_COMMIT_ATTEMPTS) {
      throw new Error(`Sink '${operator}': ${pending.length} committable(s) still asked for a retry after ${attempt} attempts`);
    }
    for (const request of pending) request.nextAttempt();
  }
}

class SinkCommitRequest<CommT> implements CommitRequest<CommT> {
  retries = 0;
  retry = false;
  knownFailure: Error | undefined;
  unknownFailure: Error | undefined;

  constructor(private readonly committable: CommT) {}

  getCommittable(): CommT {
    return this.committable;
  }
  getNumberOfRetries(): number {
    return this.retries;
  }
  signalFailedWithKnownReason(error: Error): void {
    this.knownFailure = error;
  }
  signalFailedWithUnknownReason(error: Error): void {
    this.unknownFailure = error;
  }
  retryLater(): void {
    this.retry = true;
  }
  signalAlreadyCommitted(): void {}

  nextAttempt(): void {
    this.retries++;
    this.retry = false;
  }
}
