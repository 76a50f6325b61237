import { checkFunctionObject } from '../operators/user-function.js';
import { KeyedStream, SingleOutputStreamOperator, type DataStream } from '../streams/data-stream.js';
import { TwoInputTransformation } from '../transformations/transformation.js';
import { CoBroadcastWithKeyedOperator } from './co-broadcast-with-keyed-operator.js';
import { CoBroadcastWithNonKeyedOperator } from './co-broadcast-with-non-keyed-operator.js';
import { BroadcastProcessFunction, KeyedBroadcastProcessFunction, type BroadcastProcessFunctionLike, type KeyedBroadcastProcessFunctionLike } from './broadcast-process-function.js';
import type { BroadcastStream } from './broadcast-stream.js';

/**
 * A (keyed or non-keyed) stream connected to a {@link BroadcastStream} (Flink's
 * `BroadcastConnectedStream`), made by `stream.connect(broadcastStream)`. `process` runs a
 * `BroadcastProcessFunction` on a non-keyed stream and a `KeyedBroadcastProcessFunction` on a
 * keyed one.
 */
export class BroadcastConnectedStream<IN1, IN2> {
  /** @internal */
  constructor(
    private readonly nonBroadcastInput: DataStream<IN1>,
    private readonly broadcastInput: BroadcastStream<IN2>,
  ) {}

  getFirstInput(): DataStream<IN1> {
    return this.nonBroadcastInput;
  }

  getSecondInput(): BroadcastStream<IN2> {
    return this.broadcastInput;
  }

  /**
   * Runs `fn` on every element of both inputs; every parallel instance gets every broadcast
   * element. On a keyed stream `fn` is a `KeyedBroadcastProcessFunction` (or an object with its
   * methods), otherwise a `BroadcastProcessFunction`.
   */
  process<OUT>(fn: BroadcastProcessFunctionLike<IN1, IN2, OUT> | KeyedBroadcastProcessFunctionLike<any, IN1, IN2, OUT>): SingleOutputStreamOperator<OUT> {
    checkFunctionObject(fn, ['processElement', 'processBroadcastElement'], 'BroadcastConnectedStream.process()');
    const keyed = this.nonBroadcastInput instanceof KeyedStream;
    if (fn instanceof KeyedBroadcastProcessFunction && !keyed) {
      throw new Error('A KeyedBroadcastProcessFunction can only be used on a keyed stream: use keyBy() before connect()');
    }
    if (fn instanceof BroadcastProcessFunction && keyed) {
      throw new Error('A BroadcastProcessFunction can only be used on a non-keyed stream: use a KeyedBroadcastProcessFunction after keyBy()');
    }
    const descriptors = this.broadcastInput.getBroadcastStateDescriptors();
    const env = this.nonBroadcastInput.getExecutionEnvironment();
    const t = new TwoInputTransformation<IN1, IN2, OUT>(
      env.nextTransformationId(),
      keyed ? 'Co-Process-Broadcast-Keyed' : 'Co-Process-Broadcast',
      this.nonBroadcastInput.getTransformation(),
      this.broadcastInput.getInput().getTransformation(),
      keyed
        ? () => new CoBroadcastWithKeyedOperator<unknown, IN1, IN2, OUT>(fn as KeyedBroadcastProcessFunctionLike<unknown, IN1, IN2, OUT>, descriptors)
        : () => new CoBroadcastWithNonKeyedOperator<IN1, IN2, OUT>(fn as BroadcastProcessFunctionLike<IN1, IN2, OUT>, descriptors),
      keyed ? (this.nonBroadcastInput as KeyedStream<IN1, unknown>).getKeySelector() : undefined,
      undefined,
    );
    env.addOperator(t);
    return new SingleOutputStreamOperator<OUT>(env, t);
  }
}
