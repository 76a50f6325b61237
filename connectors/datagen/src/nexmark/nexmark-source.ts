import {
  WatermarkStrategy,
  type Boundedness,
  type SimpleVersionedSerializer,
  type Source,
  type SourceOutput,
  type SourceReader,
  type SourceReaderContext,
  type SplitEnumerator,
  type SplitEnumeratorContext,
  SplitListSerializer,
  StaticSplitEnumerator,
} from '@riffle/core';
import { GeneratingSourceReader, type SplitCursor } from '../source/generating-source-reader.js';
import { NexmarkConfigError, nexmarkConfig, splitGeneratorConfig, type NexmarkConfig, type NexmarkOptions } from './config.js';
import type { NexmarkEvent } from './events.js';
import { NEXMARK_WATERMARK_DELAY_MS, NexmarkGenerator } from './generator.js';
import { nexmarkSplitSerializer, type NexmarkSplit } from './nexmark-split.js';

/** Options of a {@link NexmarkSource}. */
export interface NexmarkSourceOptions {
  /**
   * Generator options (seed, maxEvents, firstEventRate, …; see `NexmarkConfig`). When
   * `numEventGenerators` is not given, the source sets it to its parallelism, as nexmark does,
   * so the splits together produce `firstEventRate` events per second of event time.
   */
  readonly generator?: NexmarkOptions;
  /**
   * Wall-clock pacing of the whole source in events per second (nexmark's TPS), shared evenly
   * by the source subtasks. Undefined (default) emits as fast as possible.
   */
  readonly eventsPerSecond?: number;
  /** Events per `pollNext` at most (default 1024; 1 … 65 536). */
  readonly batchSize?: number;
}

/** Default events per `pollNext`. */
export const NEXMARK_SOURCE_BATCH_SIZE = 1024;

/**
 * A FLIP-27 source of Nexmark events (persons, auctions and bids) from the seeded
 * {@link NexmarkGenerator}. The enumerator cuts the configuration into one split per source
 * subtask with `splitGeneratorConfig(config, parallelism)`; split `k`'s events depend only on the
 * configuration, the parallelism and `k`. Each event is emitted with its event time
 * (`event.dateTime`) as record timestamp; use {@link NexmarkSource.watermarkStrategy}. A split's
 * checkpointed state is its generator snapshot, so restores neither lose nor repeat events.
 * Bounded when `maxEvents > 0`, else unbounded.
 *
 * Options are validated when the source is built (a bad one throws `NexmarkConfigError` naming
 * it); the object holds no resources and is rebuilt in every worker from the job module.
 */
export class NexmarkSource implements Source<NexmarkEvent, NexmarkSplit, NexmarkSplit[]> {
  /** The validated generator configuration before splitting (`numEventGenerators` as given, else 1). */
  readonly config: NexmarkConfig;
  private readonly generatorOptions: NexmarkOptions;
  readonly eventsPerSecond: number | undefined;
  readonly batchSize: number;

  constructor(options: NexmarkSourceOptions = {}) {
    for (const key of Object.keys(options)) {
      if (key !== 'generator' && key !== 'eventsPerSecond' && key !== 'batchSize') throw new NexmarkConfigError(key, 'unknown source option');
    }
    this.generatorOptions = { ...(options.generator ?? {}) };
    this.config = nexmarkConfig(this.generatorOptions);
    const rate = options.eventsPerSecond;
    if (rate !== undefined && (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0)) {
      throw new NexmarkConfigError('eventsPerSecond', `must be a positive finite number, got ${String(rate)}`);
    }
    this.eventsPerSecond = rate;
    const batch = options.batchSize ?? NEXMARK_SOURCE_BATCH_SIZE;
    if (!Number.isInteger(batch) || batch < 1 || batch > 65_536) {
      throw new NexmarkConfigError('batchSize', `must be an integer in [1, 65536], got ${String(batch)}`);
    }
    this.batchSize = batch;
  }

  /** A builder of the options, validated at `build()`. */
  static builder(): NexmarkSourceBuilder {
    return new NexmarkSourceBuilder();
  }

  /**
   * The watermark strategy of the Nexmark DDL: bounded out-of-orderness of
   * {@link NEXMARK_WATERMARK_DELAY_MS}, over the record timestamps the source attaches.
   */
  static watermarkStrategy(): WatermarkStrategy<NexmarkEvent> {
    return WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(NEXMARK_WATERMARK_DELAY_MS);
  }

  /**
   * The generator configuration of each split at `parallelism` (index = split id): exactly what
   * the enumerator assigns. Throws `NexmarkConfigError` when a bounded run has fewer events than
   * splits.
   */
  splitConfigs(parallelism: number): NexmarkConfig[] {
    const numEventGenerators = this.generatorOptions.numEventGenerators ?? parallelism;
    return splitGeneratorConfig(nexmarkConfig({ ...this.generatorOptions, numEventGenerators }), parallelism);
  }

  getBoundedness(): Boundedness {
    return this.config.maxEvents === 0 ? 'CONTINUOUS_UNBOUNDED' : 'BOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<NexmarkSplit>): SplitEnumerator<NexmarkSplit, NexmarkSplit[]> {
    const splits = this.splitConfigs(context.currentParallelism()).map(
      (config, k): NexmarkSplit => ({ splitId: String(k), state: new NexmarkGenerator(config).snapshot() }),
    );
    return new StaticSplitEnumerator(context, splits, { preferSubtaskSplit: true });
  }

  restoreEnumerator(context: SplitEnumeratorContext<NexmarkSplit>, checkpoint: NexmarkSplit[]): SplitEnumerator<NexmarkSplit, NexmarkSplit[]> {
    return new StaticSplitEnumerator(context, checkpoint, { preferSubtaskSplit: true });
  }

  createReader(context: SourceReaderContext): SourceReader<NexmarkEvent, NexmarkSplit> {
    const perReader = this.eventsPerSecond === undefined ? undefined : this.eventsPerSecond / context.currentParallelism();
    return new NexmarkSourceReader(context, this.batchSize, perReader);
  }

  getSplitSerializer(): SimpleVersionedSerializer<NexmarkSplit> {
    return nexmarkSplitSerializer;
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<NexmarkSplit[]> {
    return new SplitListSerializer(nexmarkSplitSerializer);
  }
}

/**
 * Fluent builder of a {@link NexmarkSource}. Setters only record; `build()` validates and throws
 * `NexmarkConfigError` naming the first bad option.
 */
export class NexmarkSourceBuilder {
  private generator: Record<string, unknown> = {};
  private eventsPerSecond: number | undefined;
  private batchSize: number | undefined;

  /** Seed of every random choice (same seed and parallelism ⇒ same events). */
  setSeed(seed: number): this {
    this.generator.seed = seed;
    return this;
  }

  /** Events over all splits; 0 = unbounded. */
  setMaxEvents(maxEvents: number): this {
    this.generator.maxEvents = maxEvents;
    return this;
  }

  /** Wall-clock pacing of the whole source, events per second; undefined = as fast as possible. */
  setEventsPerSecond(eventsPerSecond: number | undefined): this {
    this.eventsPerSecond = eventsPerSecond;
    return this;
  }

  /** Event time of event number 0 (epoch ms). */
  setBaseTime(baseTime: number): this {
    this.generator.baseTime = baseTime;
    return this;
  }

  /** Any other generator options (merged over what was set before). */
  setGeneratorOptions(options: NexmarkOptions): this {
    this.generator = { ...this.generator, ...options };
    return this;
  }

  /** Events per `pollNext` at most. */
  setBatchSize(batchSize: number): this {
    this.batchSize = batchSize;
    return this;
  }

  build(): NexmarkSource {
    return new NexmarkSource({
      generator: this.generator as NexmarkOptions,
      ...(this.eventsPerSecond !== undefined ? { eventsPerSecond: this.eventsPerSecond } : {}),
      ...(this.batchSize !== undefined ? { batchSize: this.batchSize } : {}),
    });
  }
}

class NexmarkSourceReader extends GeneratingSourceReader<NexmarkEvent, NexmarkSplit> {
  protected openSplit(split: NexmarkSplit): SplitCursor<NexmarkEvent, NexmarkSplit> {
    return new NexmarkSplitCursor(split);
  }
}

class NexmarkSplitCursor implements SplitCursor<NexmarkEvent, NexmarkSplit> {
  readonly splitId: string;
  private readonly generator: NexmarkGenerator;

  constructor(split: NexmarkSplit) {
    this.splitId = split.splitId;
    this.generator = NexmarkGenerator.restore(split.state);
  }

  emit(output: SourceOutput<NexmarkEvent>, max: number): number {
    const generator = this.generator;
    let n = 0;
    while (n < max && generator.hasNext()) {
      const event = generator.next();
      output.collect(event, event.dateTime);
      n++;
    }
    return n;
  }

  isFinished(): boolean {
    return !this.generator.hasNext();
  }

  snapshot(): NexmarkSplit {
    return { splitId: this.splitId, state: this.generator.snapshot() };
  }
}
