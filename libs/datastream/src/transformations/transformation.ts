import type { KeySelector, OutputTag, Source, StreamOperatorFactory, TypeSerializer } from '@riffle/core';
import type { ChainingStrategy, PartitionerSpec } from '@riffle/runtime';

/**
 * The logical plan the DataStream API builds (Flink's `Transformation` tree). Each API call adds
 * a transformation that points at its inputs; settings such as parallelism may still change
 * afterwards, so decisions that depend on them (default partitioners, slot sharing groups) are
 * taken only when the {@link StreamGraphGenerator} turns the tree into a StreamGraph.
 *
 * Physical transformations become StreamGraph nodes; virtual ones (partitioning, union, side
 * outputs) only shape the edges between them. Ids come from the environment's counter in
 * construction order, so a job module builds the same tree in every process.
 */
export abstract class Transformation<T> {
  /** Parallelism set by the user; the environment's default when undefined. */
  parallelism: number | undefined;
  maxParallelism: number | undefined;
  uid: string | undefined;
  slotSharingGroup: string | undefined;
  chainingStrategy: ChainingStrategy = 'ALWAYS';
  /** Serializer of the records this transformation produces; the dynamic serializer when undefined. */
  outputSerializer: TypeSerializer<T> | undefined;

  constructor(
    readonly id: number,
    public name: string,
  ) {}

  /** The transformations this one reads from, in input order. */
  abstract getInputs(): ReadonlyArray<Transformation<any>>;

  /** True for transformations that become StreamGraph nodes. */
  abstract readonly physical: boolean;
}

/** Reads a FLIP-27 source. */
export class SourceTransformation<T> extends Transformation<T> {
  readonly physical = true;
  /** True for sources that must run with parallelism 1 (`fromElements`, `fromCollection`). */
  nonParallel = false;

  constructor(
    id: number,
    name: string,
    readonly source: Source<T, any, any>,
    readonly watermarkStrategy: unknown,
  ) {
    super(id, name);
    this.chainingStrategy = 'HEAD';
  }

  getInputs(): ReadonlyArray<Transformation<any>> {
    return [];
  }
}

/** An operator with one input; `keySelector` is set when the input is keyed. */
export class OneInputTransformation<IN, OUT> extends Transformation<OUT> {
  readonly physical = true;
  /** Properties copied onto the StreamGraph node (e.g. the collect-sink id). */
  readonly properties = new Map<string, unknown>();

  constructor(
    id: number,
    name: string,
    readonly input: Transformation<IN>,
    readonly operatorFactory: StreamOperatorFactory<OUT>,
    readonly keySelector: KeySelector<IN, any> | undefined,
    /** Sinks produce nothing; they end a branch of the job. */
    readonly isSink = false,
  ) {
    super(id, name);
  }

  getInputs(): ReadonlyArray<Transformation<any>> {
    return [this.input];
  }
}

/** An operator with two inputs (connected streams). */
export class TwoInputTransformation<IN1, IN2, OUT> extends Transformation<OUT> {
  readonly physical = true;

  constructor(
    id: number,
    name: string,
    readonly input1: Transformation<IN1>,
    readonly input2: Transformation<IN2>,
    readonly operatorFactory: StreamOperatorFactory<OUT>,
    readonly keySelector1: KeySelector<IN1, any> | undefined,
    readonly keySelector2: KeySelector<IN2, any> | undefined,
  ) {
    super(id, name);
  }

  getInputs(): ReadonlyArray<Transformation<any>> {
    return [this.input1, this.input2];
  }
}

/** Virtual: the records of `input`, distributed by `partitioner` to the next operator. */
export class PartitionTransformation<T> extends Transformation<T> {
  readonly physical = false;

  constructor(
    id: number,
    readonly input: Transformation<T>,
    readonly partitioner: PartitionerSpec,
  ) {
    super(id, 'Partition');
  }

  getInputs(): ReadonlyArray<Transformation<any>> {
    return [this.input];
  }
}

/** Virtual: the records of all inputs, as one stream. */
export class UnionTransformation<T> extends Transformation<T> {
  readonly physical = false;

  constructor(
    id: number,
    readonly inputs: ReadonlyArray<Transformation<T>>,
  ) {
    super(id, 'Union');
  }

  getInputs(): ReadonlyArray<Transformation<any>> {
    return this.inputs;
  }
}

/** Virtual: the side output `tag` of `input`. */
export class SideOutputTransformation<T> extends Transformation<T> {
  readonly physical = false;

  constructor(
    id: number,
    readonly input: Transformation<any>,
    readonly tag: OutputTag<T>,
  ) {
    super(id, `SideOutput(${tag.id})`);
  }

  getInputs(): ReadonlyArray<Transformation<any>> {
    return [this.input];
  }
}
