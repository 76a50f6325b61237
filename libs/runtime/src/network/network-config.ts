/**
 * Sizing of the network stack of one worker thread. Every figure is per thread and applies to
 * every result partition and input gate the thread's {@link NetworkEnvironment} creates.
 *
 * Memory bound: a result partition with `n` subpartitions never holds more than
 * `(n * buffersPerSubpartition + floatingBuffersPerPartition + overdraftBuffersPerPartition)`
 * buffers, wherever they are (being filled, queued, in flight, queued at the consumer), as long
 * as its task honours `RecordWriter.isAvailable()` between units of work and one unit of work
 * writes less than the overdraft (see `RecordWriter`). Buffers are `bufferSize` bytes, except a
 * record larger than a buffer, which gets one dedicated buffer of its own size (still counted as
 * one buffer).
 */
export interface NetworkConfig {
  /** Bytes per network buffer (Flink's `taskmanager.memory.segment-size`). Default 32 KiB. */
  readonly bufferSize: number;
  /** Buffers each subpartition may use without touching the floating ones. Default 2. */
  readonly buffersPerSubpartition: number;
  /** Extra buffers shared by all subpartitions of one result partition. Default 8. */
  readonly floatingBuffersPerPartition: number;
  /**
   * Buffers a result partition may take beyond its pool while its writer is already unavailable
   * (Flink's overdraft buffers), so that the unit of work in progress can finish. Default 5.
   */
  readonly overdraftBuffersPerPartition: number;
  /**
   * Credits an input channel grants its producer: how many buffers may be in flight to, or
   * queued at, the consumer per channel. Default 2.
   */
  readonly creditsPerChannel: number;
}

/** Flink-like defaults: 32 KiB buffers, 2 per subpartition plus 8 floating, 5 overdraft, 2 credits. */
export const DEFAULT_NETWORK_CONFIG: NetworkConfig = Object.freeze({
  bufferSize: 32 * 1024,
  buffersPerSubpartition: 2,
  floatingBuffersPerPartition: 8,
  overdraftBuffersPerPartition: 5,
  creditsPerChannel: 2,
});

/** Smallest buffer size accepted: room for any event frame. */
export const MIN_BUFFER_SIZE = 64;

/**
 * Fills defaults into a partial configuration and validates it.
 * @throws Error naming the option when a value is not an integer in its allowed range.
 */
export function resolveNetworkConfig(partial: Partial<NetworkConfig> = {}): NetworkConfig {
  const config: NetworkConfig = { ...DEFAULT_NETWORK_CONFIG, ...partial };
  check('bufferSize', config.bufferSize, MIN_BUFFER_SIZE);
  check('buffersPerSubpartition', config.buffersPerSubpartition, 1);
  check('floatingBuffersPerPartition', config.floatingBuffersPerPartition, 0);
  check('overdraftBuffersPerPartition', config.overdraftBuffersPerPartition, 0);
  check('creditsPerChannel', config.creditsPerChannel, 1);
  return Object.freeze(config);
}

function check(name: keyof NetworkConfig, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`network config: ${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}

/** Number of pool buffers (without overdraft) of a result partition with `numSubpartitions`. */
export function partitionPoolSize(config: NetworkConfig, numSubpartitions: number): number {
  return numSubpartitions * config.buffersPerSubpartition + config.floatingBuffersPerPartition;
}

/**
 * The most bytes a result partition with `numSubpartitions` can hold when the bound holds (see
 * {@link NetworkConfig}); records larger than a buffer come on top with their own size.
 */
export function maxPartitionBytes(config: NetworkConfig, numSubpartitions: number): number {
  return (partitionPoolSize(config, numSubpartitions) + config.overdraftBuffersPerPartition) * config.bufferSize;
}
