import type { InputStatus, ReaderOutput, Source, SourceOutput, SourceReader, SourceSplit, SplitEnumerator } from '@riffle/core';

/** A record as a reader emitted it: value, timestamp and the split whose output carried it. */
export interface EmittedRecord<T> {
  readonly value: T;
  readonly timestamp: number | undefined;
  readonly splitId: string | undefined;
}

/**
 * Drives a FLIP-27 {@link Source} in-process, for this package's tests (the idea of the runtime's
 * `TestingSourceRunner`; connectors may not import the runtime): one enumerator and `parallelism`
 * readers. Messages between them (split requests, assignments, "no more splits") are queued and
 * delivered between polls, as they would arrive asynchronously in a cluster. Not exported.
 */
export class TestingSourceRunner<T, SplitT extends SourceSplit, CheckpointT> {
  readonly enumerator: SplitEnumerator<SplitT, CheckpointT>;
  readonly readers = new Map<number, SourceReader<T, SplitT>>();
  /** Records emitted per reader subtask, in order. */
  readonly output = new Map<number, EmittedRecord<T>[]>();
  readonly status = new Map<number, InputStatus>();
  /** Split ids whose outputs were released, in order. */
  readonly released: string[] = [];
  private readonly mailbox: Array<() => void> = [];

  constructor(
    readonly source: Source<T, SplitT, CheckpointT>,
    readonly parallelism: number,
    restoredEnumerator?: CheckpointT,
  ) {
    const readers = this.readers;
    const deliver = (subtask: number, action: (r: SourceReader<T, SplitT>) => void): void => {
      this.mailbox.push(() => {
        const reader = readers.get(subtask);
        if (reader) action(reader);
      });
    };
    const context = {
      currentParallelism: () => parallelism,
      registeredReaders: () => new Set(readers.keys()),
      assignSplits: (assignment: ReadonlyMap<number, SplitT[]>) => {
        for (const [subtask, splits] of assignment) deliver(subtask, (r) => r.addSplits(splits));
      },
      assignSplit: (split: SplitT, subtask: number) => deliver(subtask, (r) => r.addSplits([split])),
      signalNoMoreSplits: (subtask: number) => deliver(subtask, (r) => r.notifyNoMoreSplits()),
      sendEventToSourceReader: (subtask: number, event: unknown) => deliver(subtask, (r) => r.handleSourceEvents?.(event)),
    };
    this.enumerator =
      restoredEnumerator === undefined ? source.createEnumerator(context) : source.restoreEnumerator(context, restoredEnumerator);
  }

  /** Creates, registers and starts the reader of `subtask`; `restored` are splits from a reader snapshot. */
  addReader(subtask: number, restored?: SplitT[]): SourceReader<T, SplitT> {
    const reader = this.source.createReader({
      getIndexOfSubtask: () => subtask,
      currentParallelism: () => this.parallelism,
      sendSplitRequest: () => this.mailbox.push(() => this.enumerator.handleSplitRequest(subtask)),
      sendSourceEventToCoordinator: (event) => this.mailbox.push(() => this.enumerator.handleSourceEvent?.(subtask, event)),
    });
    this.readers.set(subtask, reader);
    this.status.delete(subtask);
    if (!this.output.has(subtask)) this.output.set(subtask, []);
    if (restored && restored.length > 0) reader.addSplits(restored);
    void reader.start();
    this.enumerator.addReader(subtask);
    return reader;
  }

  /** Adds readers 0 … parallelism-1. */
  addAllReaders(): this {
    for (let i = 0; i < this.parallelism; i++) this.addReader(i);
    return this;
  }

  /** Delivers every queued message. */
  deliver(): void {
    while (this.mailbox.length > 0) this.mailbox.shift()!();
  }

  /** Delivers messages, then polls `subtask` once. */
  poll(subtask: number): InputStatus {
    this.deliver();
    const records = this.output.get(subtask)!;
    const outputFor = (splitId: string | undefined): SourceOutput<T> => ({
      collect: (value, timestamp) => void records.push({ value, timestamp, splitId }),
      emitWatermark: () => {},
      markIdle: () => {},
      markActive: () => {},
    });
    const splitOutputs = new Map<string, SourceOutput<T>>();
    const out: ReaderOutput<T> = {
      ...outputFor(undefined),
      createOutputForSplit: (splitId) => {
        let o = splitOutputs.get(splitId);
        if (!o) splitOutputs.set(splitId, (o = outputFor(splitId)));
        return o;
      },
      releaseOutputForSplit: (splitId) => void this.released.push(splitId),
    };
    const status = this.readers.get(subtask)!.pollNext(out);
    this.status.set(subtask, status);
    return status;
  }

  /**
   * Polls every reader until all report END_OF_INPUT or `until()` holds, waiting on
   * `isAvailable()` when none can progress.
   */
  async run(until: () => boolean = () => false, maxRounds = 10_000_000): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      let progressed = false;
      let open = 0;
      for (const subtask of this.readers.keys()) {
        if (until()) return;
        if (this.status.get(subtask) === 'END_OF_INPUT') continue;
        const status = this.poll(subtask);
        if (status !== 'END_OF_INPUT') open++;
        if (status === 'MORE_AVAILABLE') progressed = true;
      }
      if (open === 0 || until()) return;
      if (!progressed && this.mailbox.length === 0) {
        const waiting = [...this.readers.entries()].filter(([s]) => this.status.get(s) === 'NOTHING_AVAILABLE').map(([, r]) => r.isAvailable());
        await Promise.race(waiting);
      }
    }
    throw new Error('TestingSourceRunner: the readers did not finish');
  }

  /** All values emitted, grouped by split id, in emission order. */
  valuesBySplit(): Map<string, T[]> {
    const bySplit = new Map<string, T[]>();
    for (const records of this.output.values()) {
      for (const r of records) {
        const key = r.splitId ?? '';
        let list = bySplit.get(key);
        if (!list) bySplit.set(key, (list = []));
        list.push(r.value);
      }
    }
    return bySplit;
  }

  /** Closes every reader and the enumerator. */
  async close(): Promise<void> {
    for (const reader of this.readers.values()) await reader.close();
    await this.enumerator.close();
  }
}
