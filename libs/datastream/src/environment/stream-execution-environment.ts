import { availableParallelism } from 'node:os';
import type { Source, TypeInformation } from '@riffle/core';
import {
  CollectionSource,
  NumberSequenceSource,
  TextFileSource,
  validateRestartStrategy,
  getDefaultExecutor,
  getExecutionContext,
  type ExecutionContext,
  type JobClient,
  type JobExecutionResult,
  type RestartStrategyConfiguration,
  type RuntimeExecutionMode,
  type StreamGraph,
} from '@riffle/runtime';
import { DataStreamSource } from '../streams/data-stream.js';
import { generateStreamGraph } from '../transformations/stream-graph-generator.js';
import { SourceTransformation, type Transformation } from '../transformations/transformation.js';
import { checkMaxParallelism, checkParallelism } from './checks.js';
import { CheckpointConfig, type CheckpointingMode } from './checkpoint-config.js';
import { ExecutionConfig } from './execution-config.js';
import { ParameterTool } from './parameter-tool.js';

/** The job name when `execute()` is given none. */
export const DEFAULT_JOB_NAME = 'Riffle Streaming Job';

/**
 * The entry point of a streaming job (Flink's `StreamExecutionEnvironment`): creates sources,
 * collects the transformations the job declares, and turns them into a StreamGraph that an
 * executor runs.
 *
 * Building is deterministic and side-effect free: nothing starts before `execute()`, and the
 * same job module builds the same graph (same node ids) in every process, which is how workers
 * rebuild the job. Settings read from the {@link ExecutionContext} (set by `runJob`, the CLI or
 * a worker) when the environment is created: default parallelism, job parameters, executor.
 */
export class StreamExecutionEnvironment {
  private readonly context: ExecutionContext | undefined;
  private parallelism: number;
  private maxParallelism: number | undefined;
  private chainingEnabled = true;
  private bufferTimeoutMs = 100;
  private runtimeMode: RuntimeExecutionMode = 'STREAMING';
  private restartStrategy: RestartStrategyConfiguration | undefined;
  private readonly config: ExecutionConfig;
  private readonly checkpointConfig = new CheckpointConfig();
  private readonly parameters: ParameterTool;
  private transformations: Transformation<any>[] = [];
  private lastTransformationId = 0;
  private executions = 0;

  /**
   * An environment for `context` (none: standalone, default parallelism = available cores,
   * default local executor). Jobs normally use {@link getExecutionEnvironment}.
   */
  constructor(context?: ExecutionContext) {
    this.context = context;
    this.parallelism = context?.parallelism ?? availableParallelism();
    this.parameters = ParameterTool.fromMap(context?.params ?? {});
    this.config = new ExecutionConfig(this.parameters);
  }

  /** The environment of the current execution context (as set by `runJob`, `riffle run` or a worker). */
  static getExecutionEnvironment(): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment(getExecutionContext());
  }

  /** Default parallelism of operators that set none. */
  setParallelism(parallelism: number): this {
    checkParallelism(parallelism);
    this.parallelism = parallelism;
    return this;
  }

  getParallelism(): number {
    return this.parallelism;
  }

  /** Max parallelism (number of key groups) of operators that set none; default 128 (more for parallelism above 85). */
  setMaxParallelism(maxParallelism: number): this {
    checkMaxParallelism(maxParallelism);
    this.maxParallelism = maxParallelism;
    return this;
  }

  getMaxParallelism(): number | undefined {
    return this.maxParallelism;
  }

  /** Runs every operator in its own task (no chaining), for the whole job. */
  disableOperatorChaining(): this {
    this.chainingEnabled = false;
    return this;
  }

  isChainingEnabled(): boolean {
    return this.chainingEnabled;
  }

  /** Max time a partly filled network buffer waits before it is sent, ms (default 100). */
  setBufferTimeout(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`setBufferTimeout: the timeout must be a non-negative number of ms, got ${ms}`);
    this.bufferTimeoutMs = ms;
    return this;
  }

  getBufferTimeout(): number {
    return this.bufferTimeoutMs;
  }

  /** STREAMING (default) or BATCH; BATCH requires bounded sources. */
  setRuntimeMode(mode: RuntimeExecutionMode): this {
    if (mode !== 'STREAMING' && mode !== 'BATCH') throw new Error(`setRuntimeMode: expected 'STREAMING' or 'BATCH', got '${String(mode)}'`);
    this.runtimeMode = mode;
    return this;
  }

  getRuntimeMode(): RuntimeExecutionMode {
    return this.runtimeMode;
  }

  /**
   * The job's restart strategy (Flink's `env.setRestartStrategy`), made with `RestartStrategies`:
   * `noRestart()`, `fixedDelayRestart(attempts, delayMs)`, `failureRateRestart(maxFailuresPerInterval,
   * intervalMs, delayMs)` or `exponentialDelayRestart(...)`. Unset, the job does not restart
   * without checkpointing, and restarts with fixed-delay (unbounded attempts, 1 s) with
   * checkpointing. Validated here: a bad configuration throws naming the option.
   */
  setRestartStrategy(config: RestartStrategyConfiguration): this {
    this.restartStrategy = validateRestartStrategy(config, 'setRestartStrategy');
    return this;
  }

  /** The restart strategy set with {@link setRestartStrategy}; undefined when unset (the runtime default applies). */
  getRestartStrategy(): RestartStrategyConfiguration | undefined {
    return this.restartStrategy;
  }

  /**
   * Turns on periodic checkpoints every `intervalMs` (Flink's `enableCheckpointing`), in
   * `mode` (default EXACTLY_ONCE). Tune the rest with {@link getCheckpointConfig}. With
   * checkpointing, a job without an explicit restart strategy restarts from the latest
   * checkpoint after a failure (fixed delay, 1 s).
   */
  enableCheckpointing(intervalMs: number, mode?: CheckpointingMode): this {
    this.checkpointConfig.setCheckpointInterval(intervalMs);
    if (mode !== undefined) this.checkpointConfig.setCheckpointingMode(mode);
    return this;
  }

  getCheckpointConfig(): CheckpointConfig {
    return this.checkpointConfig;
  }

  getConfig(): ExecutionConfig {
    return this.config;
  }

  /** The job's parameters from the execution context (the arguments after `--`). */
  getJobParameters(): ParameterTool {
    return this.parameters;
  }

  /** A bounded stream of the given values, in order; parallelism 1. Values must be structured-cloneable. */
  fromElements<T>(...values: T[]): DataStreamSource<T> {
    return this.fromCollection(values);
  }

  /**
   * A bounded stream of the collection's values, in order; parallelism 1. The iterable is read
   * once, when the job is built. Values are shipped to the workers with `typeInfo`'s serializer
   * (the dynamic serializer by default, which takes structured-cloneable values).
   */
  fromCollection<T>(values: Iterable<T>, typeInfo?: TypeInformation<T>): DataStreamSource<T> {
    const serializer = typeInfo?.createSerializer();
    const stream = this.addSource(new CollectionSource(values, serializer), undefined, 'Collection Source', true);
    if (typeInfo) stream.returns(typeInfo);
    return stream;
  }

  /** The integers `from..to` inclusive, split evenly over the source's parallel subtasks. */
  fromSequence(from: number, to: number): DataStreamSource<number>;
  /** The bigints `from..to` inclusive, split evenly over the source's parallel subtasks. */
  fromSequence(from: bigint, to: bigint): DataStreamSource<bigint>;
  fromSequence(from: number | bigint, to: number | bigint): DataStreamSource<any> {
    return this.addSource(new NumberSequenceSource<number | bigint>(from, to), undefined, 'Sequence Source', false);
  }

  /**
   * The lines of a text file (UTF-8, without line terminators), or of every file in a directory
   * in name order; one split per file. Files are listed when the job starts, not when it is built.
   */
  readTextFile(path: string | readonly string[]): DataStreamSource<string> {
    return this.addSource(new TextFileSource(path), undefined, 'Text File Source', false);
  }

  /**
   * A stream read from a FLIP-27 source. `watermarkStrategy` is kept on the StreamGraph node
   * (property `'watermarkStrategy'`) for event time; pass `undefined` for none.
   */
  fromSource<T>(source: Source<T, any, any>, watermarkStrategy: unknown, sourceName: string, typeInfo?: TypeInformation<T>): DataStreamSource<T> {
    if (!source || typeof source.createReader !== 'function' || typeof source.createEnumerator !== 'function') {
      throw new TypeError('fromSource: expected a Source (an object with createEnumerator and createReader)');
    }
    if (!sourceName) throw new Error('fromSource: a source name is required');
    const stream = this.addSource(source, watermarkStrategy, sourceName, false);
    if (typeInfo) stream.returns(typeInfo);
    return stream;
  }

  /**
   * The StreamGraph of the transformations declared so far, without executing or clearing them
   * (for tests and tools). `execute()` generates the same graph.
   */
  getStreamGraph(jobName?: string): StreamGraph {
    return generateStreamGraph(this.transformations, {
      jobName: jobName ?? DEFAULT_JOB_NAME,
      defaultParallelism: this.parallelism,
      maxParallelism: this.maxParallelism,
      runtimeMode: this.runtimeMode,
      chainingEnabled: this.chainingEnabled,
      bufferTimeoutMs: this.bufferTimeoutMs,
      autoWatermarkIntervalMs: this.config.getAutoWatermarkInterval(),
      params: { ...(this.context?.params ?? {}) },
      ...(this.restartStrategy ? { restartStrategy: this.restartStrategy } : {}),
      ...(this.checkpointConfig.isCheckpointingEnabled() ? { checkpoint: this.checkpointConfig.toSettings() } : {}),
    });
  }

  /**
   * Submits the job and waits until it finishes. Rejects with the runtime's
   * `JobExecutionError` when it fails or is cancelled.
   */
  async execute(jobName?: string): Promise<JobExecutionResult> {
    const client = await this.executeAsync(jobName);
    return client.getJobExecutionResult();
  }

  /**
   * Submits the job and resolves once it is submitted, with a client to follow or cancel it.
   * The declared transformations are cleared (as in Flink), so the environment can build and
   * execute another job. The executor is the execution context's, else the default local one.
   */
  async executeAsync(jobName?: string): Promise<JobClient> {
    const graph = this.getStreamGraph(jobName);
    this.transformations = [];
    this.executions++;
    const executor = this.context?.executor ?? getDefaultExecutor();
    return executor.execute(graph);
  }

  /** True once `execute`/`executeAsync` was called on this environment. */
  hasExecuted(): boolean {
    return this.executions > 0;
  }

  /** @internal The next transformation id (construction order). */
  nextTransformationId(): number {
    return ++this.lastTransformationId;
  }

  /** @internal Registers an operator or sink so that graph generation reaches it. */
  addOperator(transformation: Transformation<any>): void {
    this.transformations.push(transformation);
  }

  private addSource<T>(source: Source<T, any, any>, watermarkStrategy: unknown, name: string, nonParallel: boolean): DataStreamSource<T> {
    const transformation = new SourceTransformation<T>(this.nextTransformationId(), name, source, watermarkStrategy);
    if (nonParallel) {
      transformation.nonParallel = true;
      transformation.parallelism = 1;
    }
    return new DataStreamSource(this, transformation);
  }
}
