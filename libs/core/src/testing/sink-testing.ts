import type { CommitRequest, SinkInitContext, SinkWriterContext } from '../connector/sink.js';

/** The end a committer gave a {@link TestingCommitRequest}; `committed` when it signalled nothing (success). */
export type TestingCommitOutcome = 'committed' | 'already-committed' | 'known-failure' | 'unknown-failure' | 'retry';

/** A commit request that records how the committer ended it, for driving a `Committer` by hand. */
export class TestingCommitRequest<C> implements CommitRequest<C> {
  outcome: TestingCommitOutcome = 'committed';
  error: Error | undefined;

  constructor(
    private readonly committable: C,
    private readonly retries = 0,
  ) {}

  getCommittable(): C {
    return this.committable;
  }
  getNumberOfRetries(): number {
    return this.retries;
  }
  signalFailedWithKnownReason(error: Error): void {
    this.outcome = 'known-failure';
    this.error = error;
  }
  signalFailedWithUnknownReason(error: Error): void {
    this.outcome = 'unknown-failure';
    this.error = error;
  }
  retryLater(): void {
    this.outcome = 'retry';
  }
  signalAlreadyCommitted(): void {
    this.outcome = 'already-committed';
  }
}

/** A sink init context for subtask `subtask` of `parallelism`, for driving writers by hand. */
export function testingSinkInitContext(subtask = 0, parallelism = 1, attempt = 0, jobId = 'job'): SinkInitContext {
  return { getSubtaskId: () => subtask, getNumberOfParallelSubtasks: () => parallelism, getAttemptNumber: () => attempt, getJobId: () => jobId };
}

/** A writer context without event timestamps. */
export const testingWriterContext: SinkWriterContext = {
  timestamp: () => undefined,
  currentWatermark: () => Number.MIN_SAFE_INTEGER,
};
