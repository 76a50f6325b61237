import type {
  FilterFunctionLike,
  FlatMapFunctionLike,
  KeySelector,
  KeySelectorLike,
  MapFunctionLike,
  OutputTag,
  Partitioner,
  PartitionerLike,
  ReduceFunctionLike,
  Sink,
  StreamOperatorFactory,
  TypeInformation,
} from '@riffle/core';
import { SINK_PROPERTY, type PartitionerSpec } from '@riffle/runtime';
import { WatermarkStrategy } from '@riffle/core';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks-operator.js';
import { checkMaxParallelism, checkParallelism } from '../environment/checks.js';
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import type { KeyedProcessFunctionLike, ProcessFunctionLike, SinkFunctionLike } from '../functions.js';
import { ComparableAggregator, SumAggregator, type AggregationField } from '../operators/aggregations.js';
import { CollectSinkOperator } from '../operators/collect-sink-operator.js';
import { KeyedProcessOperator } from '../operators/keyed-process-operator.js';
import { PrintSinkOperator, type PrintTarget } from '../operators/print-sink-operator.js';
import { ProcessOperator } from '../operators/process-operator.js';
import { SinkFunctionOperator } from '../operators/sink-function-operator.js';
import { SinkWriterOperator } from '../operators/sink-writer-operator.js';
import { StreamFilter } from '../operators/stream-filter.js';
import { StreamFlatMap } from '../operators/stream-flat-map.js';
import { StreamGroupedReduce } from '../operators/stream-grouped-reduce.js';
import { StreamMap } from '../operators/stream-map.js';
import { checkUserFunction } from '../operators/user-function.js';
import {
  OneInputTransformation,
  PartitionTransformation,
  SideOutputTransformation,
  UnionTransformation,
  type SourceTransformation,
  type Transformation,
} from '../transformations/transformation.js';
import { GlobalWindows } from '../windowing/assigners/global-windows.js';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.js';
import { CountEvictor } from '../windowing/evictors/count-evictor.js';
import { CountTrigger } from '../windowing/triggers/count-trigger.js';
import { PurgingTrigger } from '../windowing/triggers/purging-trigger.js';
import type { GlobalWindow } from '../windowing/windows/global-window.js';
import type { Window } from '../windowing/windows/window.js';
import { AllWindowedStream } from './all-windowed-stream.js';
import { ConnectedStreams } from './connected-streams.js';
import { DataStreamSink } from './data-stream-sink.js';
import { WindowedStream } from './windowed-stream.js';
// --- joins (libs/datastream/src/join) ---
import { CoGroupedStreams } from '../join/co-grouped-streams.js';
import { IntervalJoin } from '../join/interval-join.js';
import { JoinedStreams } from '../join/joined-streams.js';
// --- broadcast state (libs/datastream/src/broadcast) ---
import type { MapStateDescriptor } from '@riffle/state';
import { BroadcastConnectedStream } from '../broadcast/broadcast-connected-stream.js';
import { BroadcastStream } from '../broadcast/broadcast-stream.js';

/**
 * A stream of records of type `T` (Flink's `DataStream`). Every method declares a transformation
 * and returns the resulting stream; nothing runs until the environment executes the job.
 * User functions may be plain functions, objects implementing the function interface, or rich
 * function class instances (`open`/`close` are called per parallel instance).
 */
export class DataStream<T> {
  /** @internal */
  constructor(
    protected readonly environment: StreamExecutionEnvironment,
    protected readonly transformation: Transformation<T>,
  ) {}

  getExecutionEnvironment(): StreamExecutionEnvironment {
    return this.environment;
  }

  /** @internal The transformation that produces this stream. */
  getTransformation(): Transformation<T> {
    return this.transformation;
  }

  /** The id of the transformation producing this stream (construction order). */
  getId(): number {
    return this.transformation.id;
  }

  /**
   * The parallelism of the producing operator (the environment's default unless set); for a
   * partitioned, unioned or side-output stream, that of its first input.
   */
  getParallelism(): number {
    let t: Transformation<unknown> = this.transformation;
    while (!t.physical) t = t.getInputs()[0]!;
    return t.parallelism ?? this.environment.getParallelism();
  }

  /** One output per record: `map(x => x * 2)`. */
  map<R>(fn: MapFunctionLike<T, R>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'map', 'map()');
    return this.transform('Map', () => new StreamMap(fn));
  }

  /** Any number of outputs per record, emitted with `out.collect(x)`. */
  flatMap<R>(fn: FlatMapFunctionLike<T, R>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'flatMap', 'flatMap()');
    return this.transform('Flat Map', () => new StreamFlatMap(fn));
  }

  /** The records for which `fn` returns true. */
  filter(fn: FilterFunctionLike<T>): SingleOutputStreamOperator<T> {
    checkUserFunction(fn, 'filter', 'filter()');
    return this.transform('Filter', () => new StreamFilter(fn));
  }

  /** Runs a `ProcessFunction`: outputs via `out.collect`, side outputs via `ctx.output(tag, x)`. */
  /**
   * Gives every record an event timestamp and generates watermarks with `strategy` (Flink's
   * `assignTimestampsAndWatermarks`). Upstream watermarks are replaced by the strategy's.
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): SingleOutputStreamOperator<T> {
    if (!(strategy instanceof WatermarkStrategy)) throw new TypeError('assignTimestampsAndWatermarks(): expected a WatermarkStrategy');
    const env = this.environment;
    return this.transform('Timestamps/Watermarks', () => new TimestampsAndWatermarksOperator<T>(strategy, () => env.getConfig().getAutoWatermarkInterval()));
  }

  process<R>(fn: ProcessFunctionLike<T, R>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'processElement', 'process()');
    return this.transform('Process', () => new ProcessOperator(fn));
  }

  /**
   * Partitions the stream by key: records with equal keys go to the same parallel instance,
   * where keyed operations (`reduce`, `sum`, keyed `process`, keyed state) apply per key. The
   * selector must be deterministic and must not return `undefined`.
   */
  keyBy<K>(key: KeySelectorLike<T, K>): KeyedStream<T, K> {
    const selector = toKeySelector(key, 'keyBy()');
    const partition = new PartitionTransformation(this.environment.nextTransformationId(), this.transformation, { kind: 'hash', keySelector: selector });
    return new KeyedStream(this.environment, partition, selector);
  }

  /** The records of this stream and of `streams`, as one stream (no order between them). */
  union(...streams: DataStream<T>[]): DataStream<T> {
    for (const s of streams) {
      if (s.environment !== this.environment) throw new Error('union(): all streams must come from the same execution environment');
    }
    const union = new UnionTransformation(this.environment.nextTransformationId(), [this.transformation, ...streams.map((s) => s.transformation)]);
    return new DataStream(this.environment, union);
  }

  /** Connects this stream with another, possibly of another type, for co-functions sharing state. */
  connect<R>(other: DataStream<R>): ConnectedStreams<T, R>;
  /**
   * Connects this stream (keyed or not) with a broadcast stream (`rules.broadcast(descriptor)`)
   * for a `BroadcastProcessFunction` / `KeyedBroadcastProcessFunction` (the broadcast state pattern).
   */
  connect<R>(other: BroadcastStream<R>): BroadcastConnectedStream<T, R>;
  connect<R>(other: DataStream<R> | BroadcastStream<R>): ConnectedStreams<T, R> | BroadcastConnectedStream<T, R> {
    // --- broadcast state ---
    if (other instanceof BroadcastStream) {
      if (other.getExecutionEnvironment() !== this.environment) throw new Error('connect(): both streams must come from the same execution environment');
      return new BroadcastConnectedStream<T, R>(this, other);
    }
    // --- end of broadcast state ---
    if (other.environment !== this.environment) throw new Error('connect(): both streams must come from the same execution environment');
    return new ConnectedStreams(this.environment, this, other);
  }

  // --- joins (libs/datastream/src/join) ---

  /**
   * Joins this stream with `other` in windows (Flink's `join`): `.where(key1).equalTo(key2)`,
   * `.window(assigner)`, then `.apply(joinFunction)` gets every pair with equal keys in the same window.
   */
  join<T2>(other: DataStream<T2>): JoinedStreams<T, T2> {
    if (other.environment !== this.environment) throw new Error('join(): both streams must come from the same execution environment');
    return new JoinedStreams<T, T2>(this, other);
  }

  /**
   * Co-groups this stream with `other` in windows (Flink's `coGroup`): `.where(key1).equalTo(key2)`,
   * `.window(assigner)`, then `.apply(coGroupFunction)` gets each key's and window's elements of both streams.
   */
  coGroup<T2>(other: DataStream<T2>): CoGroupedStreams<T, T2> {
    if (other.environment !== this.environment) throw new Error('coGroup(): both streams must come from the same execution environment');
    return new CoGroupedStreams<T, T2>(this, other);
  }

  // --- end of joins ---

  /** Round-robin over all instances of the next operator. */
  rebalance(): DataStream<T> {
    return this.partition({ kind: 'rebalance' });
  }

  /** Round-robin over a subset of the next operator's instances (local groups). */
  rescale(): DataStream<T> {
    return this.partition({ kind: 'rescale' });
  }

  /** Uniformly random over the next operator's instances. */
  shuffle(): DataStream<T> {
    return this.partition({ kind: 'shuffle' });
  }

  /** Every record to every instance of the next operator. */
  broadcast(): DataStream<T>;
  /**
   * Broadcasts the stream with broadcast state (Flink's `broadcast(MapStateDescriptor...)`): every
   * record goes to every instance of the operator it is connected to (`other.connect(result)`),
   * which keeps one copy of each described broadcast state per instance.
   */
  broadcast(...descriptors: [MapStateDescriptor<any, any>, ...MapStateDescriptor<any, any>[]]): BroadcastStream<T>;
  broadcast(...descriptors: MapStateDescriptor<any, any>[]): DataStream<T> | BroadcastStream<T> {
    const partitioned = this.partition({ kind: 'broadcast' });
    // --- broadcast state ---
    if (descriptors.length > 0) {
      for (const d of descriptors) {
        if (d === null || typeof d !== 'object' || typeof (d as MapStateDescriptor<unknown, unknown>).getKeySerializer !== 'function') {
          throw new TypeError('broadcast(): expected MapStateDescriptors for the broadcast state');
        }
      }
      return new BroadcastStream<T>(this.environment, partitioned, descriptors);
    }
    // --- end of broadcast state ---
    return partitioned;
  }

  /** Every record to the first instance of the next operator. */
  global(): DataStream<T> {
    return this.partition({ kind: 'global' });
  }

  /** Each instance to the same instance of the next operator; requires equal parallelism. */
  forward(): DataStream<T> {
    return this.partition({ kind: 'forward' });
  }

  /** Chooses the instance with `partitioner(key(record), numPartitions)`. */
  partitionCustom<K>(partitioner: PartitionerLike<K>, key: KeySelectorLike<T, K>): DataStream<T> {
    checkUserFunction(partitioner, 'partition', 'partitionCustom()');
    const p: Partitioner<K> = typeof partitioner === 'function' ? { partition: partitioner } : partitioner;
    return this.partition({ kind: 'custom', partitioner: p, keySelector: toKeySelector(key, 'partitionCustom()') });
  }

  /**
   * Splits the whole (non-keyed) stream into windows (Flink's `windowAll`). The window operator
   * runs with parallelism 1, as in Flink: prefer `keyBy(...).window(...)` where possible.
   */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return new AllWindowedStream<T, W>(this, assigner);
  }

  /**
   * Windows of `size` elements over the whole stream; with `slide`, a window of the last `size`
   * elements every `slide` elements (Flink's `countWindowAll`). Runs with parallelism 1.
   */
  countWindowAll(size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    const windowed = this.windowAll(GlobalWindows.create());
    return slide === undefined ? windowed.trigger(PurgingTrigger.of(CountTrigger.of<GlobalWindow>(size))) : windowed.evictor(CountEvictor.of(size)).trigger(CountTrigger.of<GlobalWindow>(slide));
  }

  /** Writes each record to stdout, one line each (see `PrintSinkOperator` for the format). */
  print(sinkIdentifier?: string): DataStreamSink<T> {
    return this.printTo('stdout', sinkIdentifier);
  }

  /** Writes each record to stderr, one line each. */
  printToErr(sinkIdentifier?: string): DataStreamSink<T> {
    return this.printTo('stderr', sinkIdentifier);
  }

  /** Writes the stream to a Sink V2 sink. */
  sinkTo(sink: Sink<T>): DataStreamSink<T> {
    if (!sink || typeof sink.createWriter !== 'function') throw new TypeError('sinkTo(): expected a Sink (an object with createWriter)');
    const added = this.addSinkOperator('Sink: Writer', () => new SinkWriterOperator(sink));
    // The JobMaster runs the sink's submission check (Sink.validate) before deploying tasks.
    added.getTransformation().properties.set(SINK_PROPERTY, sink);
    return added;
  }

  /** Writes the stream with a per-record `SinkFunction` (or plain function). */
  addSink(fn: SinkFunctionLike<T>): DataStreamSink<T> {
    checkUserFunction(fn, 'invoke', 'addSink()');
    return this.addSinkOperator('Sink: Unnamed', () => new SinkFunctionOperator(fn));
  }

  /**
   * Sends the stream's records back to the client that runs the job: after the job finished,
   * `result.getCollected(collectId)` holds them (in arrival order; across parallel instances the
   * order is not defined). `collectId` must be unique in the job. This is how a job module run
   * with `runJob` exposes results to a test.
   */
  addCollectSink(collectId: string): DataStreamSink<T> {
    if (typeof collectId !== 'string' || collectId === '') throw new Error('addCollectSink(): the collect id must be a non-empty string');
    const sink = this.addSinkOperator('Collect Sink', () => new CollectSinkOperator(collectId));
    sink.getTransformation().properties.set('collectId', collectId);
    return sink;
  }

  /**
   * Adds a collect sink, executes the job and returns the collected records (at most `limit`).
   * The job runs to completion, so the stream must be bounded.
   */
  async executeAndCollect(limit?: number): Promise<T[]>;
  async executeAndCollect(jobName: string, limit?: number): Promise<T[]>;
  async executeAndCollect(jobNameOrLimit?: string | number, maybeLimit?: number): Promise<T[]> {
    const jobName = typeof jobNameOrLimit === 'string' ? jobNameOrLimit : undefined;
    const limit = typeof jobNameOrLimit === 'number' ? jobNameOrLimit : maybeLimit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new Error(`executeAndCollect(): limit must be a non-negative integer, got ${limit}`);
    const collectId = `__executeAndCollect-${this.transformation.id}`;
    this.addCollectSink(collectId);
    const result = await this.environment.execute(jobName);
    const values = result.getCollected<T>(collectId);
    return limit === undefined ? values : values.slice(0, limit);
  }

  /** The key selector operators on this stream get (set on keyed streams). */
  protected operatorKeySelector(): KeySelector<T, unknown> | undefined {
    return undefined;
  }

  /** Declares a one-input operator reading this stream. */
  protected transform<R>(name: string, factory: StreamOperatorFactory<R>): SingleOutputStreamOperator<R> {
    const t = new OneInputTransformation<T, R>(this.environment.nextTransformationId(), name, this.transformation, factory, this.operatorKeySelector());
    this.environment.addOperator(t);
    return new SingleOutputStreamOperator(this.environment, t);
  }

  private partition(spec: PartitionerSpec): DataStream<T> {
    return new DataStream(this.environment, new PartitionTransformation(this.environment.nextTransformationId(), this.transformation, spec));
  }

  private printTo(target: PrintTarget, sinkIdentifier: string | undefined): DataStreamSink<T> {
    return this.addSinkOperator(target === 'stdout' ? 'Print to Std. Out' : 'Print to Std. Err', () => new PrintSinkOperator<T>(sinkIdentifier, target));
  }

  private addSinkOperator(name: string, factory: StreamOperatorFactory<never>): DataStreamSink<T> {
    const t = new OneInputTransformation<T, never>(
      this.environment.nextTransformationId(),
      name,
      this.transformation,
      factory,
      this.operatorKeySelector(),
      true,
    );
    this.environment.addOperator(t);
    return new DataStreamSink(t);
  }
}

/** The stream produced by an operator, with the operator's settings (Flink's `SingleOutputStreamOperator`). */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  /** The operator's name, shown in logs, errors and the dashboard. */
  name(name: string): this {
    if (typeof name !== 'string' || name === '') throw new Error('name(): the name must be a non-empty string');
    this.transformation.name = name;
    return this;
  }

  getName(): string {
    return this.transformation.name;
  }

  /** A stable id under which the operator's state is stored, so that savepoints survive job edits. */
  uid(uid: string): this {
    if (typeof uid !== 'string' || uid === '') throw new Error('uid(): the uid must be a non-empty string');
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

  /** Operators in different slot sharing groups never share a task slot. */
  slotSharingGroup(group: string): this {
    if (typeof group !== 'string' || group === '') throw new Error('slotSharingGroup(): the group must be a non-empty string');
    this.transformation.slotSharingGroup = group;
    return this;
  }

  /** Starts a new operator chain here (chaining strategy HEAD). */
  startNewChain(): this {
    this.transformation.chainingStrategy = 'HEAD';
    return this;
  }

  /** Never chains this operator with its input or outputs (chaining strategy NEVER). */
  disableChaining(): this {
    this.transformation.chainingStrategy = 'NEVER';
    return this;
  }

  /** Declares the output type, whose serializer then replaces the dynamic one. */
  returns(typeInfo: TypeInformation<T>): this {
    if (!typeInfo || typeof typeInfo.createSerializer !== 'function') throw new TypeError('returns(): expected a TypeInformation (see Types)');
    this.transformation.outputSerializer = typeInfo.createSerializer();
    return this;
  }

  /** The side output `tag` of this operator (records emitted with `ctx.output(tag, x)`). */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const t = new SideOutputTransformation<X>(this.environment.nextTransformationId(), this.transformation, tag);
    return new DataStream(this.environment, t);
  }
}

/** The stream of a source. */
export class DataStreamSource<T> extends SingleOutputStreamOperator<T> {
  /** Sources such as `fromElements` are not parallel: any parallelism other than 1 is an error. */
  override setParallelism(parallelism: number): this {
    if ((this.transformation as SourceTransformation<T>).nonParallel && parallelism !== 1) {
      throw new Error(`The parallelism of non parallel source '${this.transformation.name}' must be 1, got ${parallelism}`);
    }
    return super.setParallelism(parallelism);
  }
}

/**
 * A stream partitioned by key (Flink's `KeyedStream`). Operators applied to it run per key: the
 * rolling aggregations below, keyed `process`, and (next issue) keyed state in any rich function.
 */
export class KeyedStream<T, K> extends DataStream<T> {
  /** @internal */
  constructor(
    environment: StreamExecutionEnvironment,
    transformation: PartitionTransformation<T>,
    private readonly keySelector: KeySelector<T, K>,
  ) {
    super(environment, transformation);
  }

  getKeySelector(): KeySelector<T, K> {
    return this.keySelector;
  }

  /**
   * Runs a `KeyedProcessFunction` (a `ProcessFunction` fits too); `ctx.getCurrentKey()` is the
   * record's key.
   */
  override process<R>(fn: KeyedProcessFunctionLike<K, T, R>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'processElement', 'process()');
    return this.transform('KeyedProcess', () => new KeyedProcessOperator<K, T, R>(fn));
  }

  /**
   * Splits each key's records into windows chosen by `assigner` (Flink's `window`): e.g.
   * `TumblingEventTimeWindows.of(Time.seconds(5))`. Apply a window function to the result.
   */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this, assigner);
  }

  /**
   * Windows of `size` records per key (Flink's `countWindow`): tumbling (fires and purges every
   * `size` records), or with `slide` a window of the key's last `size` records every `slide`
   * records.
   */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    const windowed = this.window(GlobalWindows.create());
    return slide === undefined ? windowed.trigger(PurgingTrigger.of(CountTrigger.of<GlobalWindow>(size))) : windowed.evictor(CountEvictor.of(size)).trigger(CountTrigger.of<GlobalWindow>(slide));
  }

  /** Rolling reduce: combines each record with the key's current value and emits every new value. */
  reduce(fn: ReduceFunctionLike<T>): SingleOutputStreamOperator<T> {
    checkUserFunction(fn, 'reduce', 'reduce()');
    return this.transform('Keyed Reduce', () => new StreamGroupedReduce(fn));
  }

  /** Rolling sum of a field (tuple position or field name); other fields keep the key's first record's values. */
  sum(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new SumAggregator<T>(field));
  }

  /** Rolling minimum of a field; other fields keep the key's first record's values (use `minBy` for the whole record). */
  min(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregator<T>('min', field));
  }

  /** Rolling maximum of a field; other fields keep the key's first record's values (use `maxBy` for the whole record). */
  max(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregator<T>('max', field));
  }

  /** The record with the minimum value of a field so far; on ties the first such record (or the latest if `first` is false). */
  minBy(field: AggregationField, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregator<T>('minBy', field, first));
  }

  /** The record with the maximum value of a field so far; on ties the first such record (or the latest if `first` is false). */
  maxBy(field: AggregationField, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregator<T>('maxBy', field, first));
  }

  // --- joins (libs/datastream/src/join) ---

  /**
   * Joins this keyed stream with another keyed stream on event time (Flink's `intervalJoin`):
   * `.between(lower, upper)` pairs each element `a` of this stream with the elements `b` of
   * `other` with the same key and `a.ts + lower <= b.ts <= a.ts + upper`; `.process(fn)` handles
   * the pairs. Both streams need event timestamps, and keys of the same kind.
   */
  intervalJoin<T2>(other: KeyedStream<T2, K>): IntervalJoin<T, T2, K> {
    if (!(other instanceof KeyedStream)) throw new TypeError('intervalJoin(): expected a KeyedStream (use keyBy on the other stream first)');
    if (other.environment !== this.environment) throw new Error('intervalJoin(): both streams must come from the same execution environment');
    return new IntervalJoin<T, T2, K>(this, other);
  }

  // --- end of joins ---

  protected override operatorKeySelector(): KeySelector<T, unknown> {
    return this.keySelector;
  }

  private aggregate(aggregator: SumAggregator<T> | ComparableAggregator<T>): SingleOutputStreamOperator<T> {
    return this.transform('Keyed Aggregation', () => new StreamGroupedReduce(aggregator));
  }
}

/** Normalizes a key selector argument, checking it when the job is built. */
export function toKeySelector<T, K>(key: KeySelectorLike<T, K>, api: string): KeySelector<T, K> {
  checkUserFunction(key, 'getKey', api);
  return typeof key === 'function' ? { getKey: key } : key;
}
