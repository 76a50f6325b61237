import type { MapStateDescriptor } from '@riffle/state';
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import type { DataStream } from '../streams/data-stream.js';

/**
 * A stream broadcast to every parallel instance of the operator it is connected to, together
 * with the broadcast state descriptors that operator keeps (Flink's `BroadcastStream`). Made by
 * `stream.broadcast(descriptor, ...)`; use it as `other.connect(broadcastStream)`.
 */
export class BroadcastStream<T> {
  /** @internal */
  constructor(
    private readonly environment: StreamExecutionEnvironment,
    /** The broadcast-partitioned stream. */
    private readonly broadcastInput: DataStream<T>,
    private readonly descriptors: readonly MapStateDescriptor<any, any>[],
  ) {}

  getExecutionEnvironment(): StreamExecutionEnvironment {
    return this.environment;
  }

  /** The broadcast state descriptors given to `broadcast(...)`. */
  getBroadcastStateDescriptors(): readonly MapStateDescriptor<any, any>[] {
    return this.descriptors;
  }

  /** @internal The stream with the broadcast partitioner. */
  getInput(): DataStream<T> {
    return this.broadcastInput;
  }
}
