/**
 * The queue of the async wait operator (Flink's `StreamElementQueue`): input records whose
 * requests are in flight or whose results wait to be emitted, and the watermarks between them.
 * {@link OrderedStreamElementQueue} emits in input order; {@link UnorderedStreamElementQueue}
 * emits records as they complete but never across a watermark. Used on the task thread only.
 */

/** One input record and the state of its request. Mutable, owned by the operator. */
export class RecordEntry<IN, OUT> {
  /** The results, once the request completed. */
  results: readonly OUT[] | undefined = undefined;
  done = false;
  /** The current attempt (1 for the first call); outcomes of other attempts are ignored. */
  attempt = 1;
  /** The timeout fired: the outcome of `timeout()` is final, no retries. */
  timedOut = false;
  /** Processing time at which the request times out. */
  deadline = Number.POSITIVE_INFINITY;
  /** Cancels the pending retry timer, if any. */
  cancelRetry: (() => void) | undefined = undefined;
  /** The unordered queue's segment holding this entry. */
  segment: Segment<IN, OUT> | undefined = undefined;

  constructor(
    /** Position in the input, for snapshots in input order. */
    readonly seq: number,
    readonly value: IN,
    readonly timestamp: number,
  ) {}
}

/** A watermark waiting behind earlier records. */
export class WatermarkEntry {
  constructor(readonly timestamp: number) {}
}

/** Receives what a queue emits, in order. */
export interface QueueEmitter<IN, OUT> {
  emitRecord(entry: RecordEntry<IN, OUT>): void;
  emitWatermark(timestamp: number): void;
}

export interface StreamElementQueue<IN, OUT> {
  /** Records in the queue (requests in flight or results not yet emitted). */
  readonly recordCount: number;
  addRecord(entry: RecordEntry<IN, OUT>): void;
  addWatermark(timestamp: number): void;
  /** `entry` has its results: it may be emitted once the queue's order allows. */
  markCompleted(entry: RecordEntry<IN, OUT>): void;
  /** Emits, in order, every element the queue's order allows now. */
  emitCompletedElements(emitter: QueueEmitter<IN, OUT>): void;
  isEmpty(): boolean;
  /** The records not yet emitted, in input order. */
  pendingRecords(): RecordEntry<IN, OUT>[];
}

/** A FIFO over an array with a moving head (amortised O(1) removal at the front). */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  peekLast(): T | undefined {
    return this.items.length > this.head ? this.items[this.items.length - 1] : undefined;
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}

/** Emits strictly in input order: a record leaves once it and everything before it completed. */
export class OrderedStreamElementQueue<IN, OUT> implements StreamElementQueue<IN, OUT> {
  private readonly queue = new Fifo<RecordEntry<IN, OUT> | WatermarkEntry>();
  recordCount = 0;

  addRecord(entry: RecordEntry<IN, OUT>): void {
    this.queue.push(entry);
    this.recordCount++;
  }

  addWatermark(timestamp: number): void {
    this.queue.push(new WatermarkEntry(timestamp));
  }

  markCompleted(): void {}

  emitCompletedElements(emitter: QueueEmitter<IN, OUT>): void {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined) return;
      if (head instanceof WatermarkEntry) {
        this.queue.shift();
        emitter.emitWatermark(head.timestamp);
        continue;
      }
      if (!head.done) return;
      this.queue.shift();
      this.recordCount--;
      emitter.emitRecord(head);
    }
  }

  isEmpty(): boolean {
    return this.queue.size === 0;
  }

  pendingRecords(): RecordEntry<IN, OUT>[] {
    const out: RecordEntry<IN, OUT>[] = [];
    for (const e of this.queue) if (e instanceof RecordEntry) out.push(e);
    return out;
  }
}

/** Records between two watermarks: emitted in completion order, once the segment is first. */
export class Segment<IN, OUT> {
  readonly incomplete = new Set<RecordEntry<IN, OUT>>();
  completed: RecordEntry<IN, OUT>[] = [];
}

/**
 * Emits records as they complete, but never across a watermark (Flink's unordered mode):
 * records after a watermark wait until the watermark is emitted, which happens once every
 * record before it has been emitted.
 */
export class UnorderedStreamElementQueue<IN, OUT> implements StreamElementQueue<IN, OUT> {
  private readonly queue = new Fifo<Segment<IN, OUT> | WatermarkEntry>();
  recordCount = 0;

  addRecord(entry: RecordEntry<IN, OUT>): void {
    let last = this.queue.peekLast();
    if (!(last instanceof Segment)) this.queue.push((last = new Segment<IN, OUT>()));
    last.incomplete.add(entry);
    entry.segment = last;
    this.recordCount++;
  }

  addWatermark(timestamp: number): void {
    this.queue.push(new WatermarkEntry(timestamp));
  }

  markCompleted(entry: RecordEntry<IN, OUT>): void {
    const segment = entry.segment!;
    segment.incomplete.delete(entry);
    segment.completed.push(entry);
  }

  emitCompletedElements(emitter: QueueEmitter<IN, OUT>): void {
    for (;;) {
      const head = this.queue.peek();
      if (head === undefined) return;
      if (head instanceof WatermarkEntry) {
        this.queue.shift();
        emitter.emitWatermark(head.timestamp);
        continue;
      }
      if (head.completed.length > 0) {
        const completed = head.completed;
        head.completed = [];
        for (const entry of completed) {
          this.recordCount--;
          entry.segment = undefined;
          emitter.emitRecord(entry);
        }
      }
      // A drained segment gives way to what follows it; the last one stays open for new records.
      if (head.incomplete.size === 0 && head.completed.length === 0 && this.queue.size > 1) {
        this.queue.shift();
        continue;
      }
      return;
    }
  }

  isEmpty(): boolean {
    if (this.queue.size === 0) return true;
    if (this.queue.size > 1) return false;
    const only = this.queue.peek()!;
    return only instanceof Segment && only.incomplete.size === 0 && only.completed.length === 0;
  }

  pendingRecords(): RecordEntry<IN, OUT>[] {
    const out: RecordEntry<IN, OUT>[] = [];
    for (const e of this.queue) if (e instanceof Segment) out.push(...e.incomplete, ...e.completed);
    return out.sort((a, b) => a.seq - b.seq);
  }
}
