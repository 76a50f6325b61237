import type { InputStatus, OutputTag, ReaderOutput, Source, SourceOutput, SourceReader, SourceSplit, SplitEnumerator } from '@riffle/core';

/** A reader output for tests: records per split, side outputs by tag id. */
class CollectingOutput<T> implements ReaderOutput<T> {
  readonly records: T[] = [];
  readonly side = new Map<string, unknown[]>();
  readonly released: string[] = [];

  collect(value: T): void {
    this.records.push(value);
  }
  emitWatermark(): void {}
  markIdle(): void {}
  markActive(): void {}
  createOutputForSplit(): SourceOutput<T> {
    return this;
  }
  releaseOutputForSplit(splitId: string): void {
    this.released.push(splitId);
  }
  collectSide<X>(tag: OutputTag<X>, value: X): void {
    let list = this.side.get(tag.id);
    if (!list) this.side.set(tag.id, (list = []));
    list.push(value);
  }
}

/** Options of {@link SourceTestDriver}. */
export interface SourceTestDriverOptions<SplitT, CheckpointT> {
  /** Enumerator state to restore from. */
  readonly enumeratorState?: CheckpointT;
  /** Splits to restore per reader subtask (from reader snapshots). */
  readonly readerSplits?: ReadonlyMap<number, SplitT[]>;
}

/**
 * Runs a FLIP-27 source in-process for connector tests: one enumerator and `parallelism`
 * readers, with enumerator→reader messages queued and delivered between polls (as they would
 * arrive asynchronously in a cluster). Waits on `isAvailable()` and on messages, never on time.
 */
export class SourceTestDriver<T, SplitT extends SourceSplit, CheckpointT> {
  enumerator!: SplitEnumerator<SplitT, CheckpointT>;
  readonly readers = new Map<number, SourceReader<T, SplitT>>();
  readonly outputs = new Map<number, CollectingOutput<T>>();
  readonly status = new Map<number, InputStatus>();
  private readonly mailbox: Array<() => void> = [];
  private wakeMailbox: (() => void) | undefined;

  constructor(
    readonly source: Source<T, SplitT, CheckpointT>,
    readonly parallelism: number,
    private readonly options: SourceTestDriverOptions<SplitT, CheckpointT> = {},
  ) {}

  /** Creates and starts the enumerator and the readers. */
  async start(): Promise<this> {
    const send = (fn: () => void): void => {
      this.mailbox.push(fn);
      const w = this.wakeMailbox;
      this.wakeMailbox = undefined;
      w?.();
    };
    const context = {
      currentParallelism: () => this.parallelism,
      registeredReaders: () => new Set(this.readers.keys()),
      assignSplits: (assignment: ReadonlyMap<number, SplitT[]>) => {
        for (const [subtask, splits] of assignment) send(() => this.readers.get(subtask)?.addSplits(splits));
      },
      assignSplit: (split: SplitT, subtask: number) => send(() => this.readers.get(subtask)?.addSplits([split])),
      signalNoMoreSplits: (subtask: number) => send(() => this.readers.get(subtask)?.notifyNoMoreSplits()),
      sendEventToSourceReader: (subtask: number, event: unknown) => send(() => this.readers.get(subtask)?.handleSourceEvents?.(event)),
    };
    const state = this.options.enumeratorState;
    this.enumerator = state === undefined ? this.source.createEnumerator(context) : this.source.restoreEnumerator(context, state);
    await this.enumerator.start();
    for (let subtask = 0; subtask < this.parallelism; subtask++) {
      const reader = this.source.createReader({
        getIndexOfSubtask: () => subtask,
        currentParallelism: () => this.parallelism,
        sendSplitRequest: () => send(() => this.enumerator.handleSplitRequest(subtask)),
        sendSourceEventToCoordinator: (event) => send(() => this.enumerator.handleSourceEvent?.(subtask, event)),
      });
      this.readers.set(subtask, reader);
      const out = new CollectingOutput<T>();
      this.outputs.set(subtask, out);
      const restored = this.options.readerSplits?.get(subtask);
      if (restored && restored.length > 0) reader.addSplits(restored);
      await reader.start();
      this.enumerator.addReader(subtask);
    }
    return this;
  }

  /** Every record emitted so far, all readers. */
  records(): T[] {
    return [...this.outputs.values()].flatMap((o) => o.records);
  }

  /** Side-output records of `tag`, all readers. */
  sideOutput<X>(tag: OutputTag<X>): X[] {
    return [...this.outputs.values()].flatMap((o) => (o.side.get(tag.id) ?? []) as X[]);
  }

  /**
   * Delivers messages and polls readers until every reader reached END_OF_INPUT or `until()`
   * holds (checked after each round). A reader error rejects.
   */
  async run(until?: () => boolean): Promise<void> {
    for (;;) {
      while (this.mailbox.length > 0) this.mailbox.shift()!();
      let progressed = false;
      let allEnded = true;
      for (const [subtask, reader] of this.readers) {
        if (this.status.get(subtask) === 'END_OF_INPUT') continue;
        const s = reader.pollNext(this.outputs.get(subtask)!);
        this.status.set(subtask, s);
        if (s === 'MORE_AVAILABLE') progressed = true;
        if (s !== 'END_OF_INPUT') allEnded = false;
      }
      if (allEnded || until?.()) return;
      if (progressed || this.mailbox.length > 0) continue;
      const waiting = [...this.readers].filter(([s]) => this.status.get(s) !== 'END_OF_INPUT').map(([, r]) => r.isAvailable());
      await Promise.race([...waiting, new Promise<void>((resolve) => (this.wakeMailbox = resolve))]);
    }
  }

  /** Reader snapshots per subtask, for a checkpoint. */
  snapshotReaders(checkpointId: number): Map<number, SplitT[]> {
    return new Map([...this.readers].map(([s, r]) => [s, r.snapshotState(checkpointId)]));
  }

  async close(): Promise<void> {
    for (const r of this.readers.values()) await r.close();
    await this.enumerator.close();
  }
}
