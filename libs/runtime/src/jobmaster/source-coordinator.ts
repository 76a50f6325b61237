import { getLogger, type Source, type SourceSplit, type SplitEnumerator, type SplitEnumeratorContext } from '@riffle/core';
import type { OperatorEvent } from '../rpc/gateways.js';
import { decodeVersionedBlob, encodeVersionedBlob, ENUMERATOR_STATE_MAGIC, FINISHED_SOURCE_STATE, isFinishedSourceState } from '../checkpoint/snapshot/versioned-blob.js';

const log = getLogger('SourceCoordinator');

/** How the coordinator reaches the readers: by subtask index of the source vertex. */
export type ReaderEventSender = (subtaskIndex: number, event: OperatorEvent) => void;

/**
 * Runs a source's {@link SplitEnumerator} on the JobMaster (Flink's SourceCoordinator): registers
 * readers, forwards their split requests and events, and ships assigned splits to them in their
 * versioned serialized form. All calls happen on the JobMaster's event loop, never concurrently.
 */
export class SourceCoordinator<SplitT extends SourceSplit> implements SplitEnumeratorContext<SplitT> {
  private readonly readers = new Set<number>();
  private enumerator?: SplitEnumerator<SplitT, unknown>;
  private finishedReaders = 0;
  /**
   * Every reader finished (in this attempt, or before the checkpoint this attempt restored): the
   * source has nothing left to read. Checkpoints record it, so that a restore does not start the
   * source over (an enumerator created afresh would hand out every split again).
   */
  private finished = false;

  constructor(
    readonly operatorName: string,
    private readonly source: Source<unknown, SplitT, unknown>,
    private readonly parallelism: number,
    private readonly send: ReaderEventSender,
  ) {}

  /**
   * Creates the enumerator (restored from `checkpoint`, a blob from {@link snapshotState}, when
   * given) and starts it. A checkpoint taken after every reader finished starts none: readers that
   * register get no splits, only the end.
   */
  async start(checkpoint?: Uint8Array): Promise<void> {
    if (checkpoint && isFinishedSourceState(checkpoint)) {
      this.finished = true;
      return;
    }
    if (checkpoint) {
      const state = decodeVersionedBlob(ENUMERATOR_STATE_MAGIC, this.source.getEnumeratorCheckpointSerializer(), checkpoint, `enumerator state of ${this.operatorName}`);
      this.enumerator = this.source.restoreEnumerator(this, state);
    } else {
      this.enumerator = this.source.createEnumerator(this);
    }
    await this.enumerator.start();
  }

  /**
   * The enumerator's checkpoint as a versioned blob; once every reader finished,
   * {@link FINISHED_SOURCE_STATE}; undefined before `start`. Taken in the same JobMaster turn that
   * sends the checkpoint's start to the readers, so split assignments are either in this state or
   * in the readers' snapshots.
   */
  snapshotState(checkpointId: number): Uint8Array | undefined {
    if (this.finished) return FINISHED_SOURCE_STATE;
    if (!this.enumerator) return undefined;
    return encodeVersionedBlob(ENUMERATOR_STATE_MAGIC, this.source.getEnumeratorCheckpointSerializer(), this.enumerator.snapshotState(checkpointId));
  }

  /** Forwards a completed checkpoint to the enumerator. */
  notifyCheckpointComplete(checkpointId: number): void {
    this.enumerator?.notifyCheckpointComplete?.(checkpointId);
  }

  handleReaderRegistered(subtask: number): void {
    this.readers.add(subtask);
    if (this.finished) this.signalNoMoreSplits(subtask);
    else this.enumerator!.addReader(subtask);
  }

  handleSplitRequest(subtask: number): void {
    if (this.finished) this.signalNoMoreSplits(subtask);
    else this.enumerator!.handleSplitRequest(subtask);
  }

  handleSourceEvent(subtask: number, event: unknown): void {
    if (!this.finished) this.enumerator!.handleSourceEvent?.(subtask, event);
  }

  /** A reader finished; the enumerator is closed when all have, and the source counts as finished. */
  async handleReaderFinished(subtask: number): Promise<void> {
    this.readers.delete(subtask);
    if (++this.finishedReaders === this.parallelism) {
      this.finished = true;
      await this.close();
    }
  }

  async close(): Promise<void> {
    const e = this.enumerator;
    this.enumerator = undefined;
    try {
      await e?.close();
    } catch (err) {
      log.warn(`closing the enumerator of ${this.operatorName} failed: ${String(err)}`);
    }
  }

  // --- SplitEnumeratorContext ---

  currentParallelism(): number {
    return this.parallelism;
  }

  registeredReaders(): ReadonlySet<number> {
    return this.readers;
  }

  assignSplits(assignment: ReadonlyMap<number, SplitT[]>): void {
    for (const [subtask, splits] of assignment) this.assignTo(subtask, splits);
  }

  assignSplit(split: SplitT, subtask: number): void {
    this.assignTo(subtask, [split]);
  }

  signalNoMoreSplits(subtask: number): void {
    this.send(subtask, { kind: 'no-more-splits' });
  }

  sendEventToSourceReader(subtask: number, event: unknown): void {
    this.send(subtask, { kind: 'source-event', event });
  }

  private assignTo(subtask: number, splits: SplitT[]): void {
    if (!this.readers.has(subtask)) {
      throw new Error(`${this.operatorName}: cannot assign splits to subtask ${subtask}, which has no registered reader`);
    }
    const serializer = this.source.getSplitSerializer();
    const version = serializer.getVersion();
    this.send(subtask, { kind: 'add-splits', splits: splits.map((s) => ({ version, bytes: serializer.serialize(s) })) });
  }
}
