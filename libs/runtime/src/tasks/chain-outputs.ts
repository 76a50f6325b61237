import type { OneInputStreamOperator, Output, OutputTag, StreamRecord, Watermark } from '@riffle/core';
import { tagOperatorError } from './operator-error.js';

/** What a chain output needs of a network record writer. */
export interface RecordWriterLike<T> {
  emit(record: StreamRecord<T>): void;
  emitWatermark(mark: Watermark): void;
}

/**
 * One destination of an operator's output: either the next operator in the chain (called
 * directly) or a network record writer. Side-output destinations carry their OutputTag id.
 */
export interface OutputTarget {
  readonly sideOutputTag?: string;
  push(record: StreamRecord<unknown>): void;
  pushWatermark(mark: Watermark): void;
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
}

const NO_TARGETS: OutputTarget[] = [];

/**
 * The Output an operator in a chain writes to. Main-output records go to the targets without a
 * side-output tag; `collectSide` to those with the tag; watermarks go to every target. The
 * common single-target case avoids the loop.
 */
export class ChainOutput<T> implements Output<T> {
  private readonly main: OutputTarget[];
  private readonly single: OutputTarget | undefined;
  private readonly sides = new Map<string, OutputTarget[]>();

  constructor(private readonly targets: OutputTarget[]) {
    this.main = targets.filter((t) => t.sideOutputTag === undefined);
    this.single = this.main.length === 1 ? this.main[0] : undefined;
    for (const t of targets) {
      if (t.sideOutputTag === undefined) continue;
      let list = this.sides.get(t.sideOutputTag);
      if (!list) this.sides.set(t.sideOutputTag, (list = []));
      list.push(t);
    }
  }

  collect(record: StreamRecord<T>): void {
    if (this.single !== undefined) {
      this.single.push(record);
      return;
    }
    const main = this.main;
    for (let i = 0; i < main.length; i++) main[i]!.push(record);
  }

  collectSide<X>(tag: OutputTag<X>, record: StreamRecord<X>): void {
    const list = this.sides.get(tag.id) ?? NO_TARGETS;
    for (let i = 0; i < list.length; i++) list[i]!.push(record);
  }

  emitWatermark(mark: Watermark): void {
    for (let i = 0; i < this.targets.length; i++) this.targets[i]!.pushWatermark(mark);
  }
}
