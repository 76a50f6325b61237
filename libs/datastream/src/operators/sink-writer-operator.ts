import {
  getLogger,
  isTwoPhaseCommittingSink,
  type CommitRequest,
  type Committer,
  type CommittingSinkWriter,
  type OneInputStreamOperator,
  type Sink,
  type SinkInitContext,
  type SinkWriter,
  type SinkWriterContext,
  type StreamRecord,
} from '@riffle/core';
import { AbstractStreamOperator } from '@riffle/runtime';

const log = getLogger('SinkWriterOperator');

/** How often a committable that asked to be retried is tried again at the end of input. */
const MAX_COMMIT_ATTEMPTS = 10;

/**
 * Runs a Sink V2 `SinkWriter` (`sinkTo`): `createWriter` at open, `write` per record,
 * `flush(true)` at the end of input, `close` at close.
 *
 * For a `TwoPhaseCommittingSink` the end of input also pre-commits (`prepareCommit`) and commits
 * the committables at once with the sink's committer. With checkpoints (next issue) this becomes
 * checkpoint-driven: pre-commit at each barrier, commit when the checkpoint completes, in a
 * separate committer operator. A commit failure with an unknown reason fails the job; a known
 * reason is logged and the committable dropped (Flink's semantics).
 */
export class SinkWriterOperator<T> extends AbstractStreamOperator<never> implements OneInputStreamOperator<T, never> {
  private writer: SinkWriter<T> | undefined;
  private record: StreamRecord<T> | undefined;
  private readonly writerContext: SinkWriterContext = {
    timestamp: () => (this.record && this.record.hasTimestamp() ? this.record.timestamp : undefined),
    currentWatermark: () => this.currentWatermark,
  };

  constructor(readonly sink: Sink<T>) {
    super();
  }

  override async open(): Promise<void> {
    const rc = this.runtimeContext;
    const context: SinkInitContext = {
      getSubtaskId: () => rc.getIndexOfThisSubtask(),
      getNumberOfParallelSubtasks: () => rc.getNumberOfParallelSubtasks(),
      getAttemptNumber: () => rc.getAttemptNumber(),
      getJobId: () => rc.getJobId(),
    };
    this.writer = await this.sink.createWriter(context);
  }

  processElement(record: StreamRecord<T>): void {
    this.record = record;
    this.writer!.write(record.value, this.writerContext);
    this.record = undefined;
  }

  override async finish(): Promise<void> {
    const writer = this.writer!;
    await writer.flush(true);
    if (isTwoPhaseCommittingSink(this.sink)) {
      const committables = await (writer as CommittingSinkWriter<T, unknown>).prepareCommit();
      if (committables.length > 0) await commitAll(this.sink.createCommitter(), committables, this.runtimeContext.getTaskName());
    }
  }

  override async close(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close();
  }
}

async function commitAll<CommT>(
  committerOrPromise: Committer<CommT> | Promise<Committer<CommT>>,
  committables: CommT[],
  operator: string,
): Promise<void> {
  const committer = await committerOrPromise;
  try {
    let pending = committables.map((c) => new EndOfInputCommitRequest(c));
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
  } finally {
    await committer.close();
  }
}

class EndOfInputCommitRequest<CommT> implements CommitRequest<CommT> {
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
