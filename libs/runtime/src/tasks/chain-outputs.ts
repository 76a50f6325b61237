import { StreamRecord, type OneInputStreamOperator, type Output, type OutputTag, type Watermark, type WatermarkStatus } from '@riffle/core';
import { tagOperatorError } from './operator-error.js';

/** What a chain output needs of a network record writer. */
export interface RecordWriterLike<T> {
  emit(record: StreamRecord<T>): void;
  emitWatermark(mark: Watermark): void;
  emitWatermarkStatus(status: WatermarkStatus): void;
}

/**
 * One destination of an operator's output: either the next operator in the chain (called
 * directly) or a network record writer. Side-output destinations carry their OutputTag id.
 */
export interface OutputTarget {
  readonly sideOutputTag?: string;
  push(record: StreamRecord<unknown>): void;
  pushWatermark(mark: Watermark): void;
  pushWatermarkStatus(status: WatermarkStatus): void;
}

/** Calls a chained operator directly; errors escaping it are tagged with its name. */
export class ChainedOperatorTarget implements OutputTarget {
  constructor(
    private readonly operator: OneInputStreamOperator<unknown, unknown>,
    private readonly operatorName: string,
    readonly sideOutputTag?: string,
  ) {}

  push(record: StreamRecord<unknown>): void {
    try {
      this.operator.processElement(record);
    } catch (e) {
      throw tagOperatorError(e, this.operatorName);
    }
  }

  pushWatermark(mark: Watermark): void {
    try {
      this.operator.processWatermark(mark);
    } catch (e) {
      throw tagOperatorError(e, this.operatorName);
    }
  }

  pushWatermarkStatus(status: WatermarkStatus): void {
    try {
      this.operator.processWatermarkStatus(status);
    } catch (e) {
      throw tagOperatorError(e, this.operatorName);
    }
  }
}

/** Serializes into a network partition. */
export class NetworkTarget implements OutputTarget {
  constructor(
    private readonly writer: RecordWriterLike<unknown>,
    readonly sideOutputTag?: string,
  ) {}

  push(record: StreamRecord<unknown>): void {
    this.writer.emit(record);
  }

  pushWatermark(mark: Watermark): void {
    this.writer.emitWatermark(mark);
  }

  pushWatermarkStatus(status: WatermarkStatus): void {
    this.writer.emitWatermarkStatus(status);
  }
}

const NO_TARGETS: OutputTarget[] = [];

/**
 * Pushes one record to several targets. Operators may reuse the record object they receive for
 * their own output (`record.replace(...)`), so every target but the last gets its own copy of the
 * record wrapper (value and timestamp; the value itself is shared, as in Flink with object reuse).
 * The copies are preallocated: no allocation per record.
 */
class FanOut {
  private readonly scratch: StreamRecord<unknown>[];

  constructor(readonly targets: OutputTarget[]) {
    this.scratch = targets.map(() => new StreamRecord<unknown>(undefined));
  }

  push(record: StreamRecord<unknown>): void {
    const targets = this.targets;
    const last = targets.length - 1;
    for (let i = 0; i < last; i++) {
      const copy = this.scratch[i]!;
      copy.value = record.value;
      copy.timestamp = record.timestamp;
      targets[i]!.push(copy);
    }
    if (last >= 0) targets[last]!.push(record);
  }
}

const NO_FAN_OUT = new FanOut(NO_TARGETS);

/**
 * The Output an operator in a chain writes to. Main-output records go to the targets without a
 * side-output tag; `collectSide` to those with the tag; watermarks go to every target. The
 * common single-target case avoids the fan-out loop.
 */
export class ChainOutput<T> implements Output<T> {
  private readonly main: FanOut;
  private readonly single: OutputTarget | undefined;
  private readonly sides = new Map<string, FanOut>();

  constructor(private readonly targets: OutputTarget[]) {
    const main = targets.filter((t) => t.sideOutputTag === undefined);
    this.main = new FanOut(main);
    this.single = main.length === 1 ? main[0] : undefined;
    const byTag = new Map<string, OutputTarget[]>();
    for (const t of targets) {
      if (t.sideOutputTag === undefined) continue;
      let list = byTag.get(t.sideOutputTag);
      if (!list) byTag.set(t.sideOutputTag, (list = []));
      list.push(t);
    }
    for (const [tag, list] of byTag) this.sides.set(tag, new FanOut(list));
  }

  collect(record: StreamRecord<T>): void {
    if (this.single !== undefined) this.single.push(record);
    else this.main.push(record);
  }

  collectSide<X>(tag: OutputTag<X>, record: StreamRecord<X>): void {
    (this.sides.get(tag.id) ?? NO_FAN_OUT).push(record);
  }

  emitWatermark(mark: Watermark): void {
    for (let i = 0; i < this.targets.length; i++) this.targets[i]!.pushWatermark(mark);
  }

  emitWatermarkStatus(status: WatermarkStatus): void {
    for (let i = 0; i < this.targets.length; i++) this.targets[i]!.pushWatermarkStatus(status);
  }
}
