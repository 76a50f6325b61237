import { KeyedCoProcessFunction, type CoFlatMapFunction, type CoMapFunction, type KeySelectorLike, type StreamOperatorFactory } from '@riffle/core';
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import type { CoProcessFunctionLike, KeyedCoProcessFunctionLike } from '../functions.js';
import { CoProcessOperator } from '../operators/co-process-operator.js';
import { CoStreamFlatMap } from '../operators/co-stream-flat-map.js';
import { CoStreamMap } from '../operators/co-stream-map.js';
import { checkFunctionObject } from '../operators/user-function.js';
import { TwoInputTransformation } from '../transformations/transformation.js';
import { KeyedStream, SingleOutputStreamOperator, type DataStream } from './data-stream.js';

/**
 * Two streams connected for a co-function (Flink's `ConnectedStreams`): one operator reads both,
 * calling `…1` for records of the first input and `…2` for the second, and may share state
 * between them. When both inputs are keyed (`keyBy(k1, k2)`), records with equal keys meet in
 * the same instance.
 */
export class ConnectedStreams<IN1, IN2> {
  /** @internal */
  constructor(
    private readonly environment: StreamExecutionEnvironment,
    private readonly input1: DataStream<IN1>,
    private readonly input2: DataStream<IN2>,
  ) {}

  getExecutionEnvironment(): StreamExecutionEnvironment {
    return this.environment;
  }

  getFirstInput(): DataStream<IN1> {
    return this.input1;
  }

  getSecondInput(): DataStream<IN2> {
    return this.input2;
  }

  /** Keys both inputs; the two selectors must produce keys of the same kind. */
  keyBy<K>(key1: KeySelectorLike<IN1, K>, key2: KeySelectorLike<IN2, K>): ConnectedStreams<IN1, IN2> {
    return new ConnectedStreams(this.environment, this.input1.keyBy(key1), this.input2.keyBy(key2));
  }

  /** One output per record of either input. */
  map<R>(fn: CoMapFunction<IN1, IN2, R>): SingleOutputStreamOperator<R> {
    checkFunctionObject(fn, ['map1', 'map2'], 'ConnectedStreams.map()');
    return this.transform('Co-Map', () => new CoStreamMap(fn));
  }

  /** Any number of outputs per record of either input. */
  flatMap<R>(fn: CoFlatMapFunction<IN1, IN2, R>): SingleOutputStreamOperator<R> {
    checkFunctionObject(fn, ['flatMap1', 'flatMap2'], 'ConnectedStreams.flatMap()');
    return this.transform('Co-Flat Map', () => new CoStreamFlatMap(fn));
  }

  /**
   * Runs a `CoProcessFunction`, or a `KeyedCoProcessFunction` when both inputs are keyed (then
   * `ctx.getCurrentKey()` names the record's key). A `KeyedCoProcessFunction` on inputs that are
   * not both keyed is an error.
   */
  process<R>(fn: CoProcessFunctionLike<IN1, IN2, R> | KeyedCoProcessFunctionLike<any, IN1, IN2, R>): SingleOutputStreamOperator<R> {
    checkFunctionObject(fn, ['processElement1', 'processElement2'], 'ConnectedStreams.process()');
    const keyed = this.input1 instanceof KeyedStream && this.input2 instanceof KeyedStream;
    if (fn instanceof KeyedCoProcessFunction && !keyed) {
      throw new Error('A KeyedCoProcessFunction can only be used when both input streams are keyed: use connect(...).keyBy(k1, k2)');
    }
    return this.transform(keyed ? 'KeyedCoProcess' : 'Co-Process', () => new CoProcessOperator(fn, keyed));
  }

  private transform<R>(name: string, factory: StreamOperatorFactory<R>): SingleOutputStreamOperator<R> {
    const t = new TwoInputTransformation<IN1, IN2, R>(
      this.environment.nextTransformationId(),
      name,
      this.input1.getTransformation(),
      this.input2.getTransformation(),
      factory,
      this.input1 instanceof KeyedStream ? (this.input1 as KeyedStream<IN1, unknown>).getKeySelector() : undefined,
      this.input2 instanceof KeyedStream ? (this.input2 as KeyedStream<IN2, unknown>).getKeySelector() : undefined,
    );
    this.environment.addOperator(t);
    return new SingleOutputStreamOperator(this.environment, t);
  }
}
