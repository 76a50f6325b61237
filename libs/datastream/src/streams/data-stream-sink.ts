import { checkMaxParallelism, checkParallelism } from '../environment/checks.js';
import type { OneInputTransformation } from '../transformations/transformation.js';

/** The end of a stream (Flink's `DataStreamSink`): a sink's settings. */
export class DataStreamSink<T> {
  /** @internal */
  constructor(private readonly transformation: OneInputTransformation<T, never>) {}

  /** @internal */
  getTransformation(): OneInputTransformation<T, never> {
    return this.transformation;
  }

  /** The sink's name, shown in logs, errors and the dashboard. */
  name(name: string): this {
    this.transformation.name = name;
    return this;
  }

  /** A stable id under which the sink's state is stored in savepoints. */
  uid(uid: string): this {
    this.transformation.uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    checkParallelism(parallelism);
    this.transformation.parallelism = parallelism;
    return this;
  }

  setMaxParallelism(maxParallelism: number): this {
    checkMaxParallelism(maxParallelism);
    this.transformation.maxParallelism = maxParallelism;
    return this;
  }

  slotSharingGroup(group: string): this {
    this.transformation.slotSharingGroup = group;
    return this;
  }

  /** Runs the sink in its own task, never chained to its input. */
  disableChaining(): this {
    this.transformation.chainingStrategy = 'NEVER';
    return this;
  }

  /** Starts a new chain at the sink. */
  startNewChain(): this {
    this.transformation.chainingStrategy = 'HEAD';
    return this;
  }
}
