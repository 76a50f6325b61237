import type { InputStatus, ReaderOutput, Source, SourceReader, SourceSplit, SplitEnumerator } from '@riffle/core';

/**
 * Drives a FLIP-27 {@link Source} in-process, for tests: one enumerator and `parallelism`
 * readers. Messages between them (split requests, assignments, "no more splits") are queued and
 * delivered between polls, as they would arrive asynchronously in a cluster. Not exported from
 * the package: connector tests get a proper harness later.
 */
export class TestingSourceRunner<T, SplitT extends SourceSplit, CheckpointT> {
  readonly enumerator: SplitEnumerator<SplitT, CheckpointT>;
  readonly readers = new Map<number, SourceReader<T, SplitT>>();
  /** Records emitted per reader subtask, in order. */
  readonly output = new Map<number, T[]>();
  readonly status = new Map<number, InputStatus>();
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
  async addReader(subtask: number, restored?: SplitT[]): Promise<SourceReader<T, SplitT>> {
    const reader = this.source.createReader({
      getIndexOfSubtask: () => subtask,
      currentParallelism: () => this.parallelism,
      sendSplitRequest: () => this.mailbox.push(() => this.enumerator.handleSplitRequest(subtask)),
      sendSourceEventToCoordinator: (event) => this.mailbox.push(() => this.enumerator.handleSourceEvent?.(subtask, event)),
    });
    this.readers.set(subtask, reader);
    if (!this.output.has(subtask)) this.output.set(subtask, []);
    if (restored && restored.length > 0) reader.addSplits(restored);
    await reader.start();
    this.enumerator.addReader(subtask);
    return reader;
  }

  /** Delivers every queued message. */
  deliver(): void {
    while (this.mailbox.length > 0) this.mailbox.shift()!();
  }

  /** Delivers messages, then polls `subtask` once. */
  poll(subtask: number): InputStatus {
    this.deliver();
    const records = this.output.get(subtask)!;
    const out: ReaderOutput<T> = {
      collect: (value) => void records.push(value),
      emitWatermark: () => {},
      markIdle: () => {},
      markActive: () => {},
      createOutputForSplit: () => out,
      releaseOutputForSplit: () => {},
    };
    const status = this.readers.get(subtask)!.pollNext(out);
    this.status.set(subtask, status);
    return status;
  }

  /** Polls every reader until all report END_OF_INPUT, waiting on `isAvailable()` when none can progress. */
  async runToEnd(maxRounds = 1_000_000): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      let progressed = false;
      let open = 0;
      for (const subtask of this.readers.keys()) {
        if (this.status.get(subtask) === 'END_OF_INPUT') continue;
        const status = this.poll(subtask);
        if (status !== 'END_OF_INPUT') open++;
        if (status === 'MORE_AVAILABLE') progressed = true;
      }
      if (open === 0) return;
      if (!progressed && this.mailbox.length === 0) {
        const waiting = [...this.readers.entries()].filter(([s]) => this.status.get(s) === 'NOTHING_AVAILABLE').map(([, r]) => r.isAvailable());
        await Promise.race(waiting);
      }
    }
    throw new Error('TestingSourceRunner: the readers did not finish');
  }

  /** Closes every reader and the enumerator. */
  async close(): Promise<void> {
    for (const reader of this.readers.values()) await reader.close();
    await this.enumerator.close();
  }
}
