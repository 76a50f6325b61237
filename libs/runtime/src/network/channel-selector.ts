import { assignKeyToParallelOperator } from '@riffle/core';
import type { KeySelector, Partitioner } from '@riffle/core';
import type { PartitionerSpec } from '../graph/stream-graph.js';

/**
 * Chooses the output channel (subpartition) of each record of a `RecordWriter`. Called on the
 * task thread for every record; implementations are synchronous and allocation-free.
 */
export interface ChannelSelector<T> {
  /** True when every record goes to every channel (the writer serializes once and copies). */
  readonly isBroadcast: boolean;
  /** The channel of `value`, 0 ≤ result < numChannels. Not called when {@link isBroadcast}. */
  selectChannel(value: T): number;
}

/** Where a channel selector sits: the producer subtask and the partition it writes. */
export interface ChannelSelectorContext {
  /** Number of subpartitions of the result partition (consumers this producer subtask feeds). */
  readonly numChannels: number;
  /** Max parallelism of the consuming operator (key groups), for hash partitioning. */
  readonly maxParallelism: number;
  /** Index of the producer subtask, used to spread round-robin start points. */
  readonly producerIndex: number;
  /** Name of the producing operator, for error messages. */
  readonly operatorName: string;
}

/**
 * Creates the selector for an edge's {@link PartitionerSpec}. `numChannels` is the number of
 * subpartitions of this producer's partition: the consumer parallelism for all-to-all edges, the
 * number of pointwise-connected consumers for forward and rescale.
 * @throws Error for forward with more than one channel. The returned selector throws, naming the
 *   operator, when a key selector returns `undefined` or a custom partitioner returns an invalid
 *   channel.
 */
export function createChannelSelector<T>(spec: PartitionerSpec, ctx: ChannelSelectorContext): ChannelSelector<T> {
  const n = ctx.numChannels;
  if (!Number.isInteger(n) || n < 1) throw new Error(`channel selector of ${ctx.operatorName}: numChannels must be >= 1, got ${n}`);
  switch (spec.kind) {
    case 'forward':
      if (n !== 1) {
        throw new Error(`Forward partitioning of operator "${ctx.operatorName}" needs exactly one channel per producer, got ${n}`);
      }
      return new FixedChannelSelector(0);
    case 'global':
      return new FixedChannelSelector(0);
    case 'rebalance':
      return new RoundRobinChannelSelector(n, ctx.producerIndex % n);
    case 'rescale':
      return new RoundRobinChannelSelector(n, 0);
    case 'shuffle':
      return new ShuffleChannelSelector(n);
    case 'broadcast':
      return new BroadcastChannelSelector();
    case 'hash':
      return new KeyGroupChannelSelector(spec.keySelector, n, ctx.maxParallelism, ctx.operatorName);
    case 'custom':
      return new CustomChannelSelector(spec.keySelector, spec.partitioner, n, ctx.operatorName);
    default: {
      const never: never = spec;
      throw new Error(`unknown partitioner ${JSON.stringify(never)}`);
    }
  }
}

class FixedChannelSelector<T> implements ChannelSelector<T> {
  readonly isBroadcast = false;
  constructor(private readonly channel: number) {}
  selectChannel(_value: T): number {
    return this.channel;
  }
}

class RoundRobinChannelSelector<T> implements ChannelSelector<T> {
  readonly isBroadcast = false;
  private next: number;
  constructor(
    private readonly numChannels: number,
    start: number,
  ) {
    this.next = start;
  }
  selectChannel(_value: T): number {
    const ch = this.next;
    this.next = ch + 1 === this.numChannels ? 0 : ch + 1;
    return ch;
  }
}

class ShuffleChannelSelector<T> implements ChannelSelector<T> {
  readonly isBroadcast = false;
  constructor(private readonly numChannels: number) {}
  selectChannel(_value: T): number {
    return Math.floor(Math.random() * this.numChannels);
  }
}

class BroadcastChannelSelector<T> implements ChannelSelector<T> {
  readonly isBroadcast = true;
  selectChannel(_value: T): number {
    throw new Error('broadcast channel selector: every record goes to all channels');
  }
}

function undefinedKey(operatorName: string): Error {
  return new Error(`The key selector of the edge leaving operator "${operatorName}" returned undefined; a key must not be undefined`);
}

class KeyGroupChannelSelector<T> implements ChannelSelector<T> {
  readonly isBroadcast = false;
  constructor(
    private readonly keySelector: KeySelector<T, unknown>,
    private readonly numChannels: number,
    private readonly maxParallelism: number,
    private readonly operatorName: string,
  ) {
    if (!Number.isInteger(maxParallelism) || maxParallelism < numChannels) {
      throw new Error(`hash partitioning of operator "${operatorName}": max parallelism ${maxParallelism} is below the parallelism ${numChannels}`);
    }
  }
  selectChannel(value: T): number {
    const key = this.keySelector.getKey(value);
    if (key === undefined) throw undefinedKey(this.operatorName);
    return assignKeyToParallelOperator(key, this.maxParallelism, this.numChannels);
  }
}

class CustomChannelSelector<T> implements ChannelSelector<T> {
  readonly isBroadcast = false;
  constructor(
    private readonly keySelector: KeySelector<T, unknown>,
    private readonly partitioner: Partitioner<unknown>,
    private readonly numChannels: number,
    private readonly operatorName: string,
  ) {}
  selectChannel(value: T): number {
    const key = this.keySelector.getKey(value);
    if (key === undefined) throw undefinedKey(this.operatorName);
    const ch = this.partitioner.partition(key, this.numChannels);
    if (!Number.isInteger(ch) || ch < 0 || ch >= this.numChannels) {
      throw new Error(
        `The custom partitioner of the edge leaving operator "${this.operatorName}" returned ${String(ch)}; ` +
          `it must return an integer in [0, ${this.numChannels})`,
      );
    }
    return ch;
  }
}
